namespace PcapLab.Read;

internal ref partial struct PcapngReader
{
    /// <summary>SHB: the byte order was settled while framing; a new section restarts local interface numbering.</summary>
    private bool TryStartSection(PcapngBlock block)
    {
        ushort major = ReadUInt16(block.Body[4..]);
        ushort minor = ReadUInt16(block.Body[6..]);
        if (major != 1) return Fault(block, ReadProblem.UnsupportedVersion, major, minor);
        _state.InSection = true;
        _state.SectionFirstInterface = _state.Context.InterfaceCount;
        return true;
    }

    /// <summary>IDB: link type, snap length, then options for name, description and timestamp scale.</summary>
    private bool TryAddInterface(PcapngBlock block)
    {
        ReadOnlySpan<byte> body = block.Body;
        var linkType = (LinkType)ReadUInt16(body);
        uint snap = ReadUInt32(body[4..]);
        if (!TryReadInterfaceOptions(block, body[8..], out var options)) return false;
        _state.Context.AddInterface(linkType, (int)Math.Min(snap, int.MaxValue), options.Name, options.Description,
            new TimeScale(options.UnitsPerSecond, options.OffsetSeconds));
        return true;
    }

    /// <summary>EPB: 32-bit interface id, 64-bit timestamp, captured and original lengths, data.</summary>
    private bool TryReadEnhancedPacket(PcapngBlock block, out PacketRecord packet)
    {
        ReadOnlySpan<byte> body = block.Body;
        return TryMakePacket(block, ReadUInt32(body), ReadTimestamp(body[4..]), ReadUInt32(body[12..]), ReadUInt32(body[16..]), body[20..], true, out packet);
    }

    /// <summary>OPB (obsolete): as EPB but a 16-bit interface id followed by a 16-bit drop count.</summary>
    private bool TryReadObsoletePacket(PcapngBlock block, out PacketRecord packet)
    {
        ReadOnlySpan<byte> body = block.Body;
        return TryMakePacket(block, ReadUInt16(body), ReadTimestamp(body[4..]), ReadUInt32(body[12..]), ReadUInt32(body[16..]), body[20..], true, out packet);
    }

    /// <summary>SPB: interface 0, no timestamp; captured length is the original length cut to the snap length.</summary>
    private bool TryReadSimplePacket(PcapngBlock block, out PacketRecord packet)
    {
        ReadOnlySpan<byte> body = block.Body;
        uint original = ReadUInt32(body);
        uint captured = original;
        int first = _state.SectionFirstInterface;
        if (first < _state.Context.InterfaceCount)
        {
            int snap = _state.Context.FactsOf(first).SnapLength;
            if (snap != 0 && captured > (uint)snap) captured = (uint)snap;
        }
        return TryMakePacket(block, 0, null, captured, original, body[4..], false, out packet);
    }

    private bool TryMakePacket(PcapngBlock block, uint localInterface, ulong? timestamp, uint captured, uint original,
        ReadOnlySpan<byte> data, bool checkSnap, out PacketRecord packet)
    {
        packet = default;
        int sectionInterfaces = _state.Context.InterfaceCount - _state.SectionFirstInterface;
        if (localInterface >= (uint)sectionInterfaces) return Fault(block, ReadProblem.UnknownInterface, localInterface, sectionInterfaces);
        if (captured > ReadProblemText.MaxPacketLength) return Fault(block, ReadProblem.PacketTooLarge, captured);
        if (captured > (uint)data.Length) return Fault(block, ReadProblem.PacketExceedsBlock, captured, data.Length);

        int id = _state.SectionFirstInterface + (int)localInterface;
        ref readonly var iface = ref _state.Context.FactsOf(id);
        if (captured > original) _state.Context.Warn(ReadProblem.CaptureLengthOverOriginalLength, block.Offset, captured, original);
        else if (checkSnap && iface.SnapLength != 0 && captured > (uint)iface.SnapLength)
            _state.Context.Warn(ReadProblem.CaptureLengthOverSnapLength, block.Offset, captured, iface.SnapLength);

        long ns = timestamp is { } ts ? iface.Scale.ToNanoseconds(ts) : 0;
        packet = new PacketRecord(ns, (int)Math.Min(original, int.MaxValue), id, iface.LinkType, data[..(int)captured], block.Offset);
        return true;
    }

    /// <summary>pcapng stores the 64-bit timestamp as high word then low word, each in section byte order.</summary>
    private readonly ulong ReadTimestamp(ReadOnlySpan<byte> s) => ((ulong)ReadUInt32(s) << 32) | ReadUInt32(s[4..]);
}

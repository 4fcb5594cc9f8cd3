using System.Buffers.Binary;

namespace PcapLab.Read;

/// <summary>Whether record headers hold (captured, original) or, as libpcap before 2.3 wrote them, (original, captured).</summary>
internal enum LengthOrder : byte { Normal, Swapped, MaybeSwapped }

/// <summary>What a classic pcap reader remembers between chunks: the file header's facts and where it is.</summary>
internal struct PcapReaderState
{
    internal CaptureContext Context;
    internal bool HeaderRead;
    internal bool BigEndian;
    internal int RecordHeaderLength;   // 16, or 24 for the modified (Kuznetzov) format
    internal long NsPerFraction;       // 1000 for microsecond files, 1 for nanosecond files
    internal int SnapLength;
    internal LinkType LinkType;
    internal LengthOrder Lengths;

    /// <summary>State for a file whose magic selected <paramref name="format"/> in <paramref name="bigEndian"/> order.</summary>
    internal PcapReaderState(CaptureContext context, CaptureFormat format, bool bigEndian)
    {
        Context = context;
        BigEndian = bigEndian;
        RecordHeaderLength = format == CaptureFormat.PcapModified ? 24 : 16;
        NsPerFraction = format == CaptureFormat.PcapNanosecond ? 1 : 1000;
    }
}

/// <summary>
/// Reads classic pcap records from one chunk of the file. Returns false when the chunk holds no complete record
/// (nothing consumed; <see cref="BytesNeeded"/> says how much is wanted) or when a fault was recorded in the context.
/// </summary>
internal ref struct PcapReader
{
    internal const int FileHeaderLength = 24;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly bool _isFinalBlock;
    private readonly long _bufferOffset;
    private PcapReaderState _state;
    private int _consumed;
    private int _needed;

    internal PcapReader(ReadOnlySpan<byte> buffer, bool isFinalBlock, long bufferOffset, PcapReaderState state)
    {
        _buffer = buffer;
        _isFinalBlock = isFinalBlock;
        _bufferOffset = bufferOffset;
        _state = state;
    }

    internal readonly int BytesConsumed => _consumed;
    internal readonly PcapReaderState CurrentState => _state;
    /// <summary>Contiguous bytes from <see cref="BytesConsumed"/> the next record needs, after a false return without a fault.</summary>
    internal readonly int BytesNeeded => _needed;

    /// <summary>Reads the next record (and the file header first, once). Offsets in the packet are relative to the file.</summary>
    internal bool TryReadRecord(out PacketRecord packet)
    {
        packet = default;
        if (!_state.HeaderRead && !TryReadFileHeader()) return false;

        ReadOnlySpan<byte> buf = _buffer[_consumed..];
        int headerLength = _state.RecordHeaderLength;
        if (buf.Length < headerLength)
        {
            if (_isFinalBlock && buf.Length > 0) Fault(ReadProblem.TruncatedRecordHeader, headerLength, buf.Length);
            return NeedMore(headerLength);
        }

        uint seconds = ReadUInt32(buf);
        uint fraction = ReadUInt32(buf[4..]);
        uint captured = ReadUInt32(buf[8..]);
        uint original = ReadUInt32(buf[12..]);
        if (_state.Lengths != LengthOrder.Normal && (_state.Lengths == LengthOrder.Swapped || captured > original))
            (captured, original) = (original, captured);
        if (captured > ReadProblemText.MaxPacketLength)
            return Fault(ReadProblem.PacketTooLarge, captured);

        int total = headerLength + (int)captured;
        if (buf.Length < total)
        {
            if (_isFinalBlock) Fault(ReadProblem.TruncatedRecordBody, captured, buf.Length - headerLength);
            return NeedMore(total);
        }

        long offset = _bufferOffset + _consumed;
        if (captured > original) _state.Context.Warn(ReadProblem.CaptureLengthOverOriginalLength, offset, captured, original);
        else if ((uint)_state.SnapLength != 0 && captured > (uint)_state.SnapLength)
            _state.Context.Warn(ReadProblem.CaptureLengthOverSnapLength, offset, captured, _state.SnapLength);

        long ns = unchecked(seconds * 1_000_000_000L + fraction * _state.NsPerFraction);
        packet = new PacketRecord(ns, (int)Math.Min(original, int.MaxValue), 0, _state.LinkType, buf.Slice(headerLength, (int)captured), offset);
        _consumed += total;
        return true;
    }

    /// <summary>Reads the 24-byte file header (link type, snap length) and synthesizes interface 0 from it.</summary>
    internal bool TryReadFileHeader()
    {
        ReadOnlySpan<byte> buf = _buffer[_consumed..];
        if (buf.Length < FileHeaderLength)
        {
            if (_isFinalBlock) Fault(ReadProblem.TruncatedFileHeader, FileHeaderLength, buf.Length);
            return NeedMore(FileHeaderLength);
        }
        ushort major = ReadUInt16(buf[4..]), minor = ReadUInt16(buf[6..]);
        // Old Linux libpcap wrote the two lengths the other way round; 2.3 files may be either (as Wireshark reads them).
        _state.Lengths = major != 2 || minor > 3 ? LengthOrder.Normal : minor == 3 ? LengthOrder.MaybeSwapped : LengthOrder.Swapped;
        uint snap = ReadUInt32(buf[16..]);
        _state.SnapLength = (int)Math.Min(snap, int.MaxValue);
        // The low 16 bits are the link type; higher bits carry FCS flags we do not use.
        _state.LinkType = (LinkType)(ushort)ReadUInt32(buf[20..]);
        _state.HeaderRead = true;
        _state.Context.AddInterface(_state.LinkType, _state.SnapLength, null, null,
            new TimeScale(_state.NsPerFraction == 1 ? 1_000_000_000 : 1_000_000, 0));
        _consumed += FileHeaderLength;
        return true;
    }

    private readonly uint ReadUInt32(ReadOnlySpan<byte> s) =>
        _state.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    private readonly ushort ReadUInt16(ReadOnlySpan<byte> s) =>
        _state.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    private bool NeedMore(int bytes)
    {
        _needed = bytes;
        return false;
    }

    private readonly bool Fault(ReadProblem problem, long a = 0, long b = 0)
    {
        _state.Context.SetFault(problem, _bufferOffset + _consumed, a, b);
        return false;
    }
}

using System.Buffers.Binary;

namespace PcapLab.Read;

/// <summary>What a pcapng reader remembers between chunks: the current section's byte order and first interface.</summary>
internal struct PcapngReaderState
{
    internal CaptureContext Context;
    internal bool BigEndian;
    internal bool InSection;
    /// <summary>Global index of the current section's interface 0: sections restart local numbering, the global index never does.</summary>
    internal int SectionFirstInterface;

    internal PcapngReaderState(CaptureContext context) => Context = context;
}

/// <summary>One framed pcapng block: its type, the body between the two length fields, and where it starts.</summary>
internal readonly ref struct PcapngBlock
{
    internal PcapngBlock(uint type, ReadOnlySpan<byte> body, long offset)
    {
        Type = type;
        Body = body;
        Offset = offset;
    }

    internal uint Type { get; }
    internal ReadOnlySpan<byte> Body { get; }
    internal long Offset { get; }
    internal int TotalLength => Body.Length + 12;
}

/// <summary>
/// Reads pcapng blocks from one chunk of the file, in the manner of Utf8JsonReader: false means the chunk holds no
/// further complete block (nothing of it consumed; see <see cref="BytesNeeded"/>) or that a fault was recorded in the context.
/// </summary>
internal ref partial struct PcapngReader
{
    internal const uint SectionHeaderType = 0x0A0D0D0A;
    internal const uint InterfaceDescriptionType = 1;
    internal const uint ObsoletePacketType = 2;
    internal const uint SimplePacketType = 3;
    internal const uint EnhancedPacketType = 6;
    internal const uint ByteOrderMagic = 0x1A2B3C4D;
    /// <summary>Largest block accepted; bigger claims are corrupt lengths, not data (bounds the reader's buffer).</summary>
    internal const int MaxBlockLength = 64 * 1024 * 1024;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly bool _isFinalBlock;
    private readonly long _bufferOffset;
    private PcapngReaderState _state;
    private int _consumed;
    private int _needed;

    internal PcapngReader(ReadOnlySpan<byte> buffer, bool isFinalBlock, long bufferOffset, PcapngReaderState state)
    {
        _buffer = buffer;
        _isFinalBlock = isFinalBlock;
        _bufferOffset = bufferOffset;
        _state = state;
    }

    internal readonly int BytesConsumed => _consumed;
    internal readonly PcapngReaderState CurrentState => _state;
    /// <summary>Contiguous bytes from <see cref="BytesConsumed"/> the next block needs, after a false return without a fault.</summary>
    internal readonly int BytesNeeded => _needed;

    /// <summary>Reads blocks until a packet (EPB, SPB or OPB); section and interface blocks update the state, the rest are skipped.</summary>
    internal bool TryReadPacket(out PacketRecord packet)
    {
        packet = default;
        while (TryReadBlock(out var block))
        {
            switch (block.Type)
            {
                case SectionHeaderType:
                    if (!TryStartSection(block)) return false;
                    break;
                case InterfaceDescriptionType:
                    if (!TryAddInterface(block)) return false;
                    break;
                case EnhancedPacketType:
                    return TryReadEnhancedPacket(block, out packet);
                case SimplePacketType:
                    return TryReadSimplePacket(block, out packet);
                case ObsoletePacketType:
                    return TryReadObsoletePacket(block, out packet);
                default:
                    break;   // NRB, ISB, DSB, custom and unknown blocks carry nothing a packet needs
            }
        }
        return false;
    }

    /// <summary>Frames the next block, checking both length fields. Consumes it on success.</summary>
    internal bool TryReadBlock(out PcapngBlock block)
    {
        block = default;
        ReadOnlySpan<byte> buf = _buffer[_consumed..];
        if (buf.Length < 12)
        {
            if (_isFinalBlock && buf.Length > 0) Fault(ReadProblem.TruncatedBlockHeader, 12, buf.Length);
            return NeedMore(12);
        }

        uint type = BinaryPrimitives.ReadUInt32LittleEndian(buf);   // the SHB type reads the same in both orders
        bool bigEndian = _state.BigEndian;
        if (type == SectionHeaderType)
        {
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(buf[8..]);
            if (magic == ByteOrderMagic) bigEndian = false;
            else if (magic == BinaryPrimitives.ReverseEndianness(ByteOrderMagic)) bigEndian = true;
            else return Fault(ReadProblem.BadByteOrderMagic, BinaryPrimitives.ReadUInt32BigEndian(buf[8..]));
        }
        else if (!bigEndian) { }
        else type = BinaryPrimitives.ReverseEndianness(type);

        uint length = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(buf[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(buf[4..]);
        if (length % 4 != 0) return Fault(ReadProblem.BlockLengthNotMultipleOf4, length);
        int minimum = MinimumLength(type);
        if (length < minimum) return Fault(ReadProblem.BlockLengthTooShort, length, minimum);
        if (length > MaxBlockLength) return Fault(ReadProblem.BlockLengthTooLarge, length, MaxBlockLength);
        if (buf.Length < length)
        {
            if (_isFinalBlock) Fault(ReadProblem.TruncatedBlock, length, buf.Length);
            return NeedMore((int)length);
        }

        uint trailer = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(buf[((int)length - 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(buf[((int)length - 4)..]);
        if (trailer != length) return Fault(ReadProblem.BlockTrailerMismatch, length, trailer);

        if (type == SectionHeaderType) _state.BigEndian = bigEndian;
        block = new PcapngBlock(type, buf.Slice(8, (int)length - 12), _bufferOffset + _consumed);
        _consumed += (int)length;
        return true;
    }

    /// <summary>Smallest legal total length per block type (header, fixed fields, trailer).</summary>
    private static int MinimumLength(uint type) => type switch
    {
        SectionHeaderType => 28,
        InterfaceDescriptionType => 20,
        EnhancedPacketType or ObsoletePacketType => 32,
        SimplePacketType => 16,
        _ => 12,
    };

    private readonly uint ReadUInt32(ReadOnlySpan<byte> s) =>
        _state.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    private readonly ushort ReadUInt16(ReadOnlySpan<byte> s) =>
        _state.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    private bool NeedMore(int bytes)
    {
        _needed = bytes;
        return false;
    }

    /// <summary>Records a fault at the block about to be read (the current position).</summary>
    private readonly bool Fault(ReadProblem problem, long a = 0, long b = 0)
    {
        _state.Context.SetFault(problem, _bufferOffset + _consumed, a, b);
        return false;
    }

    /// <summary>Records a fault at an already framed block.</summary>
    private readonly bool Fault(PcapngBlock block, ReadProblem problem, long a = 0, long b = 0)
    {
        _state.Context.SetFault(problem, block.Offset, a, b);
        return false;
    }
}

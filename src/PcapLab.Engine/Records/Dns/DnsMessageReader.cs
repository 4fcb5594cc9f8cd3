using System.Buffers.Binary;

namespace PcapLab.Records.Dns;

/// <summary>Why a DNS message could not be read further.</summary>
public enum DnsError : byte
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>Fewer than 12 bytes: no header.</summary>
    TruncatedHeader,
    /// <summary>A name, question or resource record runs past the end of the message.</summary>
    Truncated,
    /// <summary>Compression pointers loop or nest too deeply.</summary>
    CompressionLoop,
    /// <summary>A compression pointer points outside the message.</summary>
    BadPointer,
    /// <summary>A label length uses the reserved 0x40/0x80 prefixes.</summary>
    BadLabel,
    /// <summary>A decoded name exceeds 255 bytes.</summary>
    NameTooLong,
}

/// <summary>
/// Forward-only reader over one DNS message (RFC 1035), in the manner of Utf8JsonReader: no allocation, never throws.
/// Call <see cref="TryReadHeader"/>, then <see cref="TryReadQuestion"/> QdCount times, then <see cref="TryReadRecord"/>.
/// On false, <see cref="Error"/> says why and nothing further can be read.
/// </summary>
public ref struct DnsMessageReader
{
    /// <summary>Most compression pointers followed for one name; more means a loop (legitimate names need a handful).</summary>
    public const int MaxPointerJumps = 32;
    /// <summary>Bytes a rendered name may need: 255 wire bytes, each escaped to at most 4 characters.</summary>
    public const int MaxRenderedName = 1024;

    private readonly ReadOnlySpan<byte> _msg;
    private int _pos;

    /// <summary>Starts a reader over a whole DNS message (for TCP, without the 2-byte length prefix).</summary>
    public DnsMessageReader(ReadOnlySpan<byte> message) { _msg = message; _pos = 0; Error = DnsError.None; }

    /// <summary>Why the last Try call failed.</summary>
    public DnsError Error { get; private set; }
    /// <summary>Transaction id.</summary>
    public ushort Id { get; private set; }
    /// <summary>The flags word (QR, opcode, AA, TC, RD, RA, Z, rcode).</summary>
    public ushort Flags { get; private set; }
    /// <summary>Question count.</summary>
    public ushort QdCount { get; private set; }
    /// <summary>Answer count.</summary>
    public ushort AnCount { get; private set; }
    /// <summary>Authority count.</summary>
    public ushort NsCount { get; private set; }
    /// <summary>Additional count.</summary>
    public ushort ArCount { get; private set; }
    /// <summary>True for a response (QR bit).</summary>
    public readonly bool IsResponse => (Flags & 0x8000) != 0;
    /// <summary>Opcode (0 = standard query).</summary>
    public readonly int Opcode => (Flags >> 11) & 0xF;
    /// <summary>Response code (low 4 bits).</summary>
    public readonly byte Rcode => (byte)(Flags & 0xF);
    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _pos;

    /// <summary>Reads the 12-byte header.</summary>
    public bool TryReadHeader()
    {
        ReadOnlySpan<byte> m = _msg;
        if (m.Length < 12) return Fail(DnsError.TruncatedHeader);
        Id = BinaryPrimitives.ReadUInt16BigEndian(m);
        Flags = BinaryPrimitives.ReadUInt16BigEndian(m[2..]);
        QdCount = BinaryPrimitives.ReadUInt16BigEndian(m[4..]);
        AnCount = BinaryPrimitives.ReadUInt16BigEndian(m[6..]);
        NsCount = BinaryPrimitives.ReadUInt16BigEndian(m[8..]);
        ArCount = BinaryPrimitives.ReadUInt16BigEndian(m[10..]);
        _pos = 12;
        return true;
    }

    /// <summary>Reads one question; the name is rendered into <paramref name="name"/> (at least <see cref="MaxRenderedName"/> bytes).</summary>
    public bool TryReadQuestion(scoped Span<byte> name, out int nameLength, out ushort qtype, out ushort qclass)
    {
        qtype = qclass = 0;
        if (!TryReadName(name, out nameLength)) return false;
        ReadOnlySpan<byte> m = _msg;
        if (m.Length - _pos < 4) return Fail(DnsError.Truncated);
        qtype = BinaryPrimitives.ReadUInt16BigEndian(m[_pos..]);
        qclass = BinaryPrimitives.ReadUInt16BigEndian(m[(_pos + 2)..]);
        _pos += 4;
        return true;
    }

    /// <summary>Reads one resource record header and returns its RDATA and where it starts (names inside RDATA may point anywhere in the message).</summary>
    public bool TryReadRecord(scoped Span<byte> name, out int nameLength, out ushort type, out ushort klass, out uint ttl, out int rdataOffset, out int rdataLength)
    {
        type = klass = 0; ttl = 0; rdataOffset = rdataLength = 0;
        if (!TryReadName(name, out nameLength)) return false;
        ReadOnlySpan<byte> m = _msg;
        if (m.Length - _pos < 10) return Fail(DnsError.Truncated);
        type = BinaryPrimitives.ReadUInt16BigEndian(m[_pos..]);
        klass = BinaryPrimitives.ReadUInt16BigEndian(m[(_pos + 2)..]);
        ttl = BinaryPrimitives.ReadUInt32BigEndian(m[(_pos + 4)..]);
        rdataLength = BinaryPrimitives.ReadUInt16BigEndian(m[(_pos + 8)..]);
        _pos += 10;
        if (m.Length - _pos < rdataLength) return Fail(DnsError.Truncated);
        rdataOffset = _pos;
        _pos += rdataLength;
        return true;
    }

    /// <summary>Reads a (possibly compressed) name at the current position and moves past it.</summary>
    public bool TryReadName(scoped Span<byte> dest, out int written)
    {
        var e = ReadNameAt(_msg, _pos, dest, out written, out int end);
        if (e != DnsError.None) return Fail(e);
        _pos = end;
        return true;
    }

    /// <summary>
    /// Renders the name at <paramref name="offset"/> of <paramref name="msg"/> as dotted text (no trailing dot, root = empty),
    /// escaping non-printable bytes as \xNN like Zeek. <paramref name="end"/> is the offset just past the name in place.
    /// </summary>
    public static DnsError ReadNameAt(ReadOnlySpan<byte> msg, int offset, Span<byte> dest, out int written, out int end)
    {
        written = 0; end = offset;
        int pos = offset, jumps = 0, wireLength = 0;
        bool jumped = false;
        while (true)
        {
            if ((uint)pos >= (uint)msg.Length) return DnsError.Truncated;
            byte len = msg[pos];
            if (len == 0) { if (!jumped) end = pos + 1; return DnsError.None; }
            int kind = len & 0xC0;
            if (kind == 0xC0)
            {
                if (pos + 1 >= msg.Length) return DnsError.Truncated;
                int target = ((len & 0x3F) << 8) | msg[pos + 1];
                if (!jumped) end = pos + 2;
                jumped = true;
                if (++jumps > MaxPointerJumps) return DnsError.CompressionLoop;
                if (target >= msg.Length) return DnsError.BadPointer;
                pos = target;
                continue;
            }
            if (kind != 0) return DnsError.BadLabel;
            if (pos + 1 + len > msg.Length) return DnsError.Truncated;
            wireLength += len + 1;
            if (wireLength > 255) return DnsError.NameTooLong;
            if (written > 0) dest[written++] = (byte)'.';
            foreach (byte b in msg.Slice(pos + 1, len)) written += Escape(b, dest[written..]);
            pos += 1 + len;
        }
    }

    private static int Escape(byte b, Span<byte> dest)
    {
        if (b >= 0x20 && b < 0x7F) { dest[0] = b; return 1; }
        dest[0] = (byte)'\\'; dest[1] = (byte)'x';
        dest[2] = (byte)"0123456789abcdef"[b >> 4]; dest[3] = (byte)"0123456789abcdef"[b & 0xF];
        return 4;
    }

    private bool Fail(DnsError e) { Error = e; return false; }
}

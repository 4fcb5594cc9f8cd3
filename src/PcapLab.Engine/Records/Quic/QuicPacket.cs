using System.Buffers.Binary;

namespace PcapLab.Records.Quic;

/// <summary>The fields of a long-header packet (RFC 9000 17.2) needed to find, unprotect and skip it.</summary>
public readonly struct QuicLongHeader
{
    /// <summary>The version field.</summary>
    public uint Version { get; init; }
    /// <summary>The two type bits as sent (their meaning depends on the version).</summary>
    public int Type { get; init; }
    /// <summary>Offset of the Destination Connection ID.</summary>
    public int DcidOffset { get; init; }
    /// <summary>Length of the Destination Connection ID (0-20).</summary>
    public int DcidLength { get; init; }
    /// <summary>Offset of the (protected) packet number; only meaningful for Initial, 0-RTT and Handshake packets.</summary>
    public int PnOffset { get; init; }
    /// <summary>Bytes of this packet in the datagram (header plus its Length field); the rest may be coalesced packets.</summary>
    public int PacketLength { get; init; }
    /// <summary>True for an Initial packet of its version.</summary>
    public bool IsInitial => Type == QuicVersion.InitialType(Version);
}

/// <summary>Reads QUIC long headers, variable-length integers (RFC 9000 16) and the frames of Initial packets from spans.</summary>
public static class QuicPacket
{
    /// <summary>Reads a variable-length integer at <paramref name="pos"/>, advancing it; false when the span is too short.</summary>
    public static bool TryReadVarint(ReadOnlySpan<byte> s, ref int pos, out long value)
    {
        value = 0;
        if ((uint)pos >= (uint)s.Length) return false;
        int len = 1 << (s[pos] >> 6);
        if (s.Length - pos < len) return false;
        value = s[pos] & 0x3f;
        for (int i = 1; i < len; i++) value = (value << 8) | s[pos + i];
        pos += len;
        return true;
    }

    /// <summary>
    /// Parses the long header at the start of <paramref name="d"/>. False for a short header, a Version Negotiation
    /// packet (version 0), a Retry (no Length field) or a header that runs past the datagram.
    /// </summary>
    public static bool TryReadLongHeader(ReadOnlySpan<byte> d, out QuicLongHeader header)
    {
        header = default;
        if (d.Length < 7 || (d[0] & 0x80) == 0) return false;
        uint version = BinaryPrimitives.ReadUInt32BigEndian(d[1..]);
        if (version == 0) return false;
        int type = (d[0] >> 4) & 3;
        int dcil = d[5];
        if (dcil > 20 || d.Length < 7 + dcil) return false;
        int pos = 6 + dcil;
        int scil = d[pos];
        if (scil > 20) return false;
        pos += 1 + scil;
        int initialType = QuicVersion.InitialType(version);
        if (type == QuicVersion.RetryType(version)) return false;
        if (type == initialType)
        {
            if (!TryReadVarint(d, ref pos, out long tokenLen) || tokenLen > d.Length - pos) return false;
            pos += (int)tokenLen;
        }
        if (!TryReadVarint(d, ref pos, out long length) || length > d.Length - pos) return false;
        header = new QuicLongHeader
        {
            Version = version, Type = type, DcidOffset = 6, DcidLength = dcil, PnOffset = pos, PacketLength = pos + (int)length,
        };
        return true;
    }
}

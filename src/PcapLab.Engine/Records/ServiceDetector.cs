using System.Buffers.Binary;
using PcapLab.Records.Dns;

namespace PcapLab.Records;

/// <summary>
/// Names a flow's service from the first payload bytes of either direction (Zeek's names: "dns", "http", "ssl", "ssh",
/// "smtp", "ftp", "quic", "dhcp", "ntp"). Signatures check structure, not the port; the port only breaks ties for
/// formats too short to tell apart (NTP).
/// </summary>
public static class ServiceDetector
{
    private static ReadOnlySpan<byte> Http1 => "HTTP/1."u8;

    private static readonly byte[][] Methods =
    [
        "GET "u8.ToArray(), "POST "u8.ToArray(), "HEAD "u8.ToArray(), "PUT "u8.ToArray(), "DELETE "u8.ToArray(),
        "OPTIONS "u8.ToArray(), "CONNECT "u8.ToArray(), "PATCH "u8.ToArray(), "TRACE "u8.ToArray(),
    ];

    /// <summary>Detects a TCP service from the first bytes one side sent; null when nothing matches (yet).</summary>
    public static string? DetectTcp(ReadOnlySpan<byte> p)
    {
        if (p.Length < 3) return null;
        if (IsTlsHandshake(p)) return "ssl";
        if (p.StartsWith("SSH-"u8)) return "ssh";
        if (p.StartsWith(Http1)) return "http";
        foreach (var m in Methods)
            if (p.StartsWith(m) && p.Length > m.Length && p[m.Length] != ' ') return "http";
        if (p.Length >= 4 && (p.StartsWith("220 "u8) || p.StartsWith("220-"u8)))
        {
            var line = FirstLine(p);
            if (Contains(line, "SMTP"u8) || Contains(line, "smtp"u8) || Contains(line, "Postfix"u8)) return "smtp";
            if (Contains(line, "FTP"u8) || Contains(line, "ftp"u8) || Contains(line, "FileZilla"u8)) return "ftp";
        }
        if (StartsWithCommand(p, "EHLO "u8) || StartsWithCommand(p, "HELO "u8)) return "smtp";
        if (p.Length >= 2 && IsDnsOverTcp(p)) return "dns";
        return null;
    }

    /// <summary>Detects a UDP service from one datagram's payload.</summary>
    public static string? DetectUdp(ReadOnlySpan<byte> p, ushort srcPort, ushort dstPort)
    {
        if (IsQuicInitial(p)) return "quic";
        if (IsDhcp(p)) return "dhcp";
        if (IsDns(p)) return "dns";
        if ((srcPort == 123 || dstPort == 123) && IsNtp(p)) return "ntp";
        return null;
    }

    /// <summary>A TLS handshake record (content type 22, version 3.x) starting with ClientHello or ServerHello.</summary>
    public static bool IsTlsHandshake(ReadOnlySpan<byte> p) =>
        p.Length >= 6 && p[0] == 22 && p[1] == 3 && p[2] <= 4 && (p[5] == 1 || p[5] == 2);

    /// <summary>A DNS message whose header and first question parse, with plausible counts.</summary>
    public static bool IsDns(ReadOnlySpan<byte> p)
    {
        var r = new DnsMessageReader(p);
        if (!r.TryReadHeader() || r.Opcode > 5 || r.QdCount != 1) return false;
        if (!r.IsResponse && (r.AnCount != 0 || r.NsCount > 1 || r.ArCount > 2)) return false;
        if (r.AnCount > 256 || r.NsCount > 256 || r.ArCount > 256) return false;
        Span<byte> name = stackalloc byte[DnsMessageReader.MaxRenderedName];
        if (!r.TryReadQuestion(name, out _, out ushort qtype, out ushort qclass)) return false;
        if ((qclass & 0x7fff) is not (1 or 3 or 4 or 254 or 255) || qtype == 0) return false;
        return r.IsResponse || r.Position == p.Length || r.ArCount > 0;
    }

    private static bool IsDnsOverTcp(ReadOnlySpan<byte> p)
    {
        int len = BinaryPrimitives.ReadUInt16BigEndian(p);
        return len >= 12 && p.Length >= 2 + 12 && IsDnsPrefix(p.Slice(2, Math.Min(len, p.Length - 2)), len == p.Length - 2);
    }

    private static bool IsDnsPrefix(ReadOnlySpan<byte> p, bool complete) => complete ? IsDns(p) : p.Length >= 12 && IsDnsHeader(p);

    private static bool IsDnsHeader(ReadOnlySpan<byte> p) =>
        ((p[2] >> 3) & 0xF) <= 5 && BinaryPrimitives.ReadUInt16BigEndian(p[4..]) == 1;

    /// <summary>A QUIC long-header Initial packet of version 1, 2 or a draft (RFC 9000 17.2).</summary>
    public static bool IsQuicInitial(ReadOnlySpan<byte> p)
    {
        if (p.Length < 7 || (p[0] & 0xC0) != 0xC0) return false;
        uint version = BinaryPrimitives.ReadUInt32BigEndian(p[1..]);
        int type = (p[0] >> 4) & 3;
        bool initial = version switch
        {
            1 => type == 0,
            0x6b3343cf => type == 1, // QUIC v2 renumbers the Initial type
            _ => (version & 0xFFFFFF00) == 0xFF000000 && type == 0,
        };
        if (!initial) return false;
        int dcil = p[5];
        return dcil <= 20 && p.Length > 6 + dcil && p[6 + dcil] <= 20;
    }

    /// <summary>BOOTP/DHCP: op 1 or 2 and the DHCP magic cookie at offset 236.</summary>
    public static bool IsDhcp(ReadOnlySpan<byte> p) =>
        p.Length >= 240 && (p[0] == 1 || p[0] == 2) && BinaryPrimitives.ReadUInt32BigEndian(p[236..]) == 0x63825363;

    /// <summary>NTP: at least 48 bytes, version 1-4, mode 1-5.</summary>
    public static bool IsNtp(ReadOnlySpan<byte> p)
    {
        if (p.Length < 48) return false;
        int version = (p[0] >> 3) & 7, mode = p[0] & 7;
        return version is >= 1 and <= 4 && mode is >= 1 and <= 5;
    }

    private static ReadOnlySpan<byte> FirstLine(ReadOnlySpan<byte> p)
    {
        int lf = p.IndexOf((byte)'\n');
        return lf < 0 ? p : p[..lf];
    }

    private static bool Contains(ReadOnlySpan<byte> s, ReadOnlySpan<byte> word) => s.IndexOf(word) >= 0;

    private static bool StartsWithCommand(ReadOnlySpan<byte> p, ReadOnlySpan<byte> cmd) =>
        p.Length >= cmd.Length && System.Text.Ascii.EqualsIgnoreCase(p[..cmd.Length], cmd);
}

using System.Buffers.Binary;
using PcapLab.Records.Dns;
using PcapLab.Records.Quic;

namespace PcapLab.Records;

/// <summary>
/// Names a flow's service from the first payload bytes of either direction (Zeek's names: "dns", "http", "ssl", "ssh",
/// "smtp", "ftp", "quic", "dtls", "dhcp", "ntp"). Signatures check structure, not the port; the port only breaks ties for
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
        if (IsTlsHandshake(p) || IsTlsRecords(p)) return "ssl";
        if (p.StartsWith("SSH-"u8)) return "ssh";
        if (p.StartsWith(Http1)) return "http";
        foreach (var m in Methods)
            if (p.StartsWith(m) && p.Length > m.Length) return "http";
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
        if (IsDtlsHandshake(p) || IsDtlsRecords(p)) return "dtls";
        if (IsDhcp(p)) return "dhcp";
        if (IsDns(p)) return "dns";
        if ((srcPort == 123 || dstPort == 123) && IsNtp(p)) return "ntp";
        return null;
    }

    /// <summary>A TLS handshake record (content type 22, version 3.x) starting with ClientHello or ServerHello.</summary>
    public static bool IsTlsHandshake(ReadOnlySpan<byte> p) =>
        p.Length >= 6 && p[0] == 22 && p[1] == 3 && p[2] <= 4 && (p[5] == 1 || p[5] == 2);

    /// <summary>
    /// TLS records seen mid-connection (the capture began after the handshake): a change_cipher_spec, alert, handshake
    /// or application_data header of version 3.1-3.4 whose length lands exactly on the end of the payload or on a second
    /// valid header.
    /// </summary>
    public static bool IsTlsRecords(ReadOnlySpan<byte> p)
    {
        if (!IsRecordHeader(p)) return false;
        int next = 5 + BinaryPrimitives.ReadUInt16BigEndian(p[3..]);
        return next == p.Length || (next + 5 <= p.Length && IsRecordHeader(p[next..]));
    }

    private static bool IsRecordHeader(ReadOnlySpan<byte> p) =>
        p.Length >= 5 && p[0] is >= 20 and <= 23 && p[1] == 3 && p[2] is >= 1 and <= 4
        && BinaryPrimitives.ReadUInt16BigEndian(p[3..]) is > 0 and <= 16384 + 2048;

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

    /// <summary>
    /// A QUIC client's first packet: an IETF long-header Initial of version 1, 2, a draft or mvfst (RFC 9000 17.2), or a
    /// Google QUIC packet carrying a "Q0xx"/"T0xx" version (long header, or the older public header), padded as
    /// client hellos are.
    /// </summary>
    public static bool IsQuicInitial(ReadOnlySpan<byte> p)
    {
        if (p.Length < 7) return false;
        if ((p[0] & 0xC0) != 0xC0) return IsGoogleQuicPublicHeader(p);
        uint version = BinaryPrimitives.ReadUInt32BigEndian(p[1..]);
        int type = (p[0] >> 4) & 3;
        bool initial = version switch
        {
            QuicVersion.V1 or QuicVersion.V2 => type == QuicVersion.InitialType(version),
            _ when (version & 0xFFFFFF00) == 0xFF000000 => type == 0,     // IETF drafts
            _ when (version & 0xFFFFFFF0) == 0xfaceb000 => type == 0,     // Facebook mvfst
            _ when (version & 0x0F0F0F0F) == 0x0A0A0A0A => p.Length >= 1200, // reserved versions that force negotiation
            _ => IsGoogleVersion(p[1..5]),
        };
        if (!initial) return false;
        int dcil = p[5];
        return dcil <= 20 && p.Length > 6 + dcil && p[6 + dcil] <= 20;
    }

    private static bool IsGoogleVersion(ReadOnlySpan<byte> v) =>
        (v[0] == 'Q' || v[0] == 'T') && char.IsAsciiDigit((char)v[1]) && char.IsAsciiDigit((char)v[2]) && char.IsAsciiDigit((char)v[3]);

    // gQUIC before Q046: public flags with the version bit and an 8-byte connection id, then the version.
    private static bool IsGoogleQuicPublicHeader(ReadOnlySpan<byte> p) =>
        p.Length >= 1000 && (p[0] & 0x81) == 0x01 && (p[0] & 0x08) != 0 && IsGoogleVersion(p[9..13]);

    /// <summary>
    /// A DTLS handshake record (RFC 6347 4.1: content type 22, version 1.0/1.2 or OpenSSL's pre-standard 0x0100, epoch 0)
    /// whose first handshake fragment (type ClientHello, ServerHello or HelloVerifyRequest) fits its message and record.
    /// </summary>
    public static bool IsDtlsHandshake(ReadOnlySpan<byte> p)
    {
        if (p.Length < 13 + 12 || p[0] != 22 || !IsDtlsVersion(p[1..]) || BinaryPrimitives.ReadUInt16BigEndian(p[3..]) != 0) return false;
        int recordLen = BinaryPrimitives.ReadUInt16BigEndian(p[11..]);
        if (recordLen < 12 || recordLen > p.Length - 13) return false;
        var h = p.Slice(13, recordLen);
        if (h[0] is not (1 or 2 or 3)) return false;
        int msgLen = Read24(h[1..]), offset = Read24(h[6..]), fragLen = Read24(h[9..]);
        return fragLen <= recordLen - 12 && offset + fragLen <= msgLen;
    }

    /// <summary>
    /// DTLS records seen mid-session: a change_cipher_spec, alert, handshake or application_data header with a DTLS
    /// version whose length lands exactly on the end of the datagram or on a second valid header.
    /// </summary>
    public static bool IsDtlsRecords(ReadOnlySpan<byte> p)
    {
        if (!IsDtlsRecordHeader(p)) return false;
        int next = 13 + BinaryPrimitives.ReadUInt16BigEndian(p[11..]);
        return next == p.Length || (next + 13 <= p.Length && IsDtlsRecordHeader(p[next..]));
    }

    private static bool IsDtlsRecordHeader(ReadOnlySpan<byte> p) =>
        p.Length >= 13 && p[0] is >= 20 and <= 23 && BinaryPrimitives.ReadUInt16BigEndian(p[1..]) is 0xfeff or 0xfefd
        && BinaryPrimitives.ReadUInt16BigEndian(p[11..]) is > 0 and <= 16384 + 2048;

    private static bool IsDtlsVersion(ReadOnlySpan<byte> v) => BinaryPrimitives.ReadUInt16BigEndian(v) is 0xfeff or 0xfefd or 0x0100;

    private static int Read24(ReadOnlySpan<byte> s) => (s[0] << 16) | (s[1] << 8) | s[2];

    /// <summary>BOOTP/DHCP: op 1 or 2 and the DHCP magic cookie at offset 236.</summary>
    public static bool IsDhcp(ReadOnlySpan<byte> p) =>
        p.Length >= 240 && (p[0] == 1 || p[0] == 2) && BinaryPrimitives.ReadUInt32BigEndian(p[236..]) == 0x63825363;

    /// <summary>NTP: version 1-4; modes 1-5 carry the 48-byte header, 6 (control) and 7 (private) are shorter.</summary>
    public static bool IsNtp(ReadOnlySpan<byte> p)
    {
        if (p.Length < 8) return false;
        int version = (p[0] >> 3) & 7, mode = p[0] & 7;
        if (version is < 1 or > 4 || mode == 0) return false;
        return mode >= 6 || p.Length >= 48;
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

using System.Security.Cryptography;
using System.Text;

namespace PcapLab.Records.Tls;

/// <summary>
/// JA3/JA3S (Salesforce) and JA4/JA4S (FoxIO) fingerprints of parsed hellos. GREASE values (RFC 8701) are left out of
/// every list as both specifications require.
/// </summary>
public static class TlsFingerprints
{
    /// <summary>True for the RFC 8701 GREASE values 0x0a0a, 0x1a1a, ..., 0xfafa.</summary>
    public static bool IsGrease(ushort v) => (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);

    /// <summary>The JA3 string: "SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats" in decimal, '-' separated.</summary>
    public static string Ja3String(TlsHello h)
    {
        var sb = new StringBuilder(256);
        sb.Append(h.LegacyVersion).Append(',');
        Join(sb, h.Ciphers); sb.Append(',');
        Join(sb, h.Extensions); sb.Append(',');
        Join(sb, h.Groups); sb.Append(',');
        for (int i = 0; i < h.PointFormats.Count; i++) { if (i > 0) sb.Append('-'); sb.Append(h.PointFormats[i]); }
        return sb.ToString();
    }

    /// <summary>JA3: MD5 of <see cref="Ja3String"/>, lower-case hex.</summary>
    public static string Ja3(TlsHello clientHello) => Md5Hex(Ja3String(clientHello));

    /// <summary>The JA3S string: "SSLVersion,Cipher,Extensions".</summary>
    public static string Ja3sString(TlsHello h)
    {
        var sb = new StringBuilder(64);
        sb.Append(h.LegacyVersion).Append(',');
        Join(sb, h.Ciphers); sb.Append(',');
        Join(sb, h.Extensions);
        return sb.ToString();
    }

    /// <summary>JA3S: MD5 of <see cref="Ja3sString"/>.</summary>
    public static string Ja3s(TlsHello serverHello) => Md5Hex(Ja3sString(serverHello));

    /// <summary>
    /// JA4 of a ClientHello: protocol (t/q/d), version, SNI (d/i), cipher and extension counts, ALPN first+last character,
    /// then the truncated SHA-256 of the sorted ciphers and of the sorted extensions (without SNI and ALPN) plus the
    /// signature algorithms in their original order.
    /// </summary>
    public static string Ja4(TlsHello h, char protocol = 't')
    {
        var ciphers = h.Ciphers.Where(c => !IsGrease(c)).ToList();
        var exts = h.Extensions.Where(e => !IsGrease(e)).ToList();
        var sb = new StringBuilder(40);
        sb.Append(protocol).Append(VersionCode(h.EffectiveVersion));
        sb.Append(h.Extensions.Contains(0x0000) ? 'd' : 'i');
        sb.Append(Math.Min(ciphers.Count, 99).ToString("00")).Append(Math.Min(exts.Count, 99).ToString("00"));
        sb.Append(AlpnCode(h.Alpn.Count > 0 ? h.Alpn[0] : null));
        sb.Append('_');
        ciphers.Sort();
        sb.Append(ciphers.Count == 0 ? "000000000000" : Sha12(HexList(ciphers)));
        sb.Append('_');
        var hashed = exts.Where(e => e != 0x0000 && e != 0x0010).ToList();
        hashed.Sort();
        var sigs = h.SignatureAlgorithms.Where(s => !IsGrease(s)).ToList();
        string extPart = sigs.Count == 0 ? HexList(hashed) : HexList(hashed) + "_" + HexList(sigs);
        sb.Append(hashed.Count == 0 ? "000000000000" : Sha12(extPart));
        return sb.ToString();
    }

    /// <summary>JA4S of a ServerHello: protocol, version, extension count, chosen ALPN, the cipher in hex, and the hash of the extensions in order.</summary>
    public static string Ja4s(TlsHello h, char protocol = 't')
    {
        var exts = h.Extensions.Where(e => !IsGrease(e)).ToList();
        var sb = new StringBuilder(32);
        sb.Append(protocol).Append(VersionCode(h.EffectiveVersion));
        sb.Append(Math.Min(exts.Count, 99).ToString("00"));
        sb.Append(AlpnCode(h.Alpn.Count > 0 ? h.Alpn[0] : null));
        sb.Append('_').Append(h.Ciphers.Count > 0 ? h.Ciphers[0].ToString("x4") : "0000").Append('_');
        sb.Append(exts.Count == 0 ? "000000000000" : Sha12(HexList(exts)));
        return sb.ToString();
    }

    /// <summary>JA4's two-character version code.</summary>
    public static string VersionCode(ushort v) => v switch
    {
        0x0304 => "13", 0x0303 => "12", 0x0302 => "11", 0x0301 => "10", 0x0300 => "s3", 0x0002 => "s2",
        0xfeff => "d1", 0xfefd => "d2", 0xfefc => "d3", _ => "00",
    };

    // First and last character of the first ALPN value; the hex form's ends when either byte is not alphanumeric.
    private static string AlpnCode(byte[]? alpn)
    {
        if (alpn == null || alpn.Length == 0) return "00";
        byte first = alpn[0], last = alpn[^1];
        if (char.IsAsciiLetterOrDigit((char)first) && char.IsAsciiLetterOrDigit((char)last))
            return new string([(char)first, (char)last]);
        string hex = Convert.ToHexStringLower(alpn);
        return new string([hex[0], hex[^1]]);
    }

    /// <summary>The first 12 hex characters of SHA-256 over the ASCII text.</summary>
    public static string Sha12(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash)[..12];
    }

    private static string HexList(List<ushort> values) => string.Join(",", values.Select(v => v.ToString("x4")));

    private static void Join(StringBuilder sb, List<ushort> values)
    {
        bool first = true;
        foreach (var v in values)
        {
            if (IsGrease(v)) continue;
            if (!first) sb.Append('-');
            sb.Append(v);
            first = false;
        }
    }

    private static string Md5Hex(string s)
    {
        Span<byte> hash = stackalloc byte[16];
        MD5.HashData(Encoding.ASCII.GetBytes(s), hash);
        return Convert.ToHexStringLower(hash);
    }
}

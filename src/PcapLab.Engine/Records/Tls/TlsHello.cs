using System.Buffers.Binary;
using System.Text;

namespace PcapLab.Records.Tls;

/// <summary>The fields of a ClientHello or ServerHello that records and fingerprints use, in wire order (GREASE kept).</summary>
public sealed class TlsHello
{
    /// <summary>legacy_version of the hello.</summary>
    public ushort LegacyVersion { get; set; }
    /// <summary>Cipher suites offered (ClientHello) or the one chosen (ServerHello).</summary>
    public List<ushort> Ciphers { get; } = [];
    /// <summary>Extension types in order.</summary>
    public List<ushort> Extensions { get; } = [];
    /// <summary>supported_groups (ClientHello).</summary>
    public List<ushort> Groups { get; } = [];
    /// <summary>ec_point_formats.</summary>
    public List<byte> PointFormats { get; } = [];
    /// <summary>signature_algorithms in order.</summary>
    public List<ushort> SignatureAlgorithms { get; } = [];
    /// <summary>supported_versions (the list in a ClientHello, the one chosen in a ServerHello).</summary>
    public List<ushort> SupportedVersions { get; } = [];
    /// <summary>ALPN protocol names in order (raw bytes; JA4 needs them for non-printable values).</summary>
    public List<byte[]> Alpn { get; } = [];
    /// <summary>The host_name from server_name.</summary>
    public string? ServerName { get; set; }
    /// <summary>key_share group chosen by a TLS 1.3 server.</summary>
    public ushort? KeyShareGroup { get; set; }

    /// <summary>True for a DTLS hello (legacy_version 0xfeXX, RFC 6347).</summary>
    public bool IsDtls => LegacyVersion >= 0xfe00;

    /// <summary>
    /// The version that counts: the highest non-GREASE supported_versions entry when present, else legacy_version.
    /// DTLS counts down (0xfeff is 1.0, 0xfefd 1.2, 0xfefc 1.3), so for DTLS the highest is the smallest 0xfeXX value.
    /// </summary>
    public ushort EffectiveVersion
    {
        get
        {
            ushort best = 0;
            bool dtls = IsDtls;
            foreach (var v in SupportedVersions)
            {
                if (TlsFingerprints.IsGrease(v)) continue;
                if (dtls ? v >= 0xfe00 && (best == 0 || v < best) : v > best && v < 0x7f00) best = v;
            }
            return best != 0 ? best : LegacyVersion;
        }
    }
}

/// <summary>Why a hello could not be parsed.</summary>
public enum TlsError : byte
{
    /// <summary>No error.</summary>
    None,
    /// <summary>A length runs past the end of its container.</summary>
    Truncated,
    /// <summary>A length is inconsistent (odd cipher list, list longer than its extension, ...).</summary>
    BadLength,
}

/// <summary>
/// Reads ClientHello and ServerHello bodies (the handshake message after its 4-byte header) from a span, in the
/// manner of Utf8JsonReader: bounds checked once per field, no exceptions, false with <see cref="Error"/> on bad input.
/// </summary>
public ref struct TlsHandshakeReader
{
    private readonly ReadOnlySpan<byte> _b;
    private readonly bool _dtls;
    private int _pos;

    /// <summary>
    /// Starts over one handshake message body. <paramref name="dtls"/>: the body is DTLS's (RFC 6347 4.2.1), whose
    /// ClientHello carries a cookie after the session id; the caller has already removed the 12-byte DTLS header.
    /// </summary>
    public TlsHandshakeReader(ReadOnlySpan<byte> body, bool dtls = false) { _b = body; _dtls = dtls; _pos = 0; Error = TlsError.None; }

    /// <summary>Why the last call failed.</summary>
    public TlsError Error { get; private set; }

    /// <summary>Parses a ClientHello body.</summary>
    public bool TryReadClientHello(TlsHello h)
    {
        if (!U16(out ushort ver) || !Skip(32) || !Vector8(out _)) return false;
        if (_dtls && !Vector8(out _)) return false; // cookie
        h.LegacyVersion = ver;
        if (!Vector16(out var ciphers)) return false;
        if ((ciphers.Length & 1) != 0) return Fail(TlsError.BadLength);
        for (int i = 0; i < ciphers.Length; i += 2) h.Ciphers.Add(BinaryPrimitives.ReadUInt16BigEndian(ciphers[i..]));
        if (!Vector8(out _)) return false;
        return ReadExtensions(h, client: true);
    }

    /// <summary>Parses a ServerHello body.</summary>
    public bool TryReadServerHello(TlsHello h)
    {
        if (!U16(out ushort ver) || !Skip(32) || !Vector8(out _) || !U16(out ushort cipher) || !Skip(1)) return false;
        h.LegacyVersion = ver;
        h.Ciphers.Add(cipher);
        return ReadExtensions(h, client: false);
    }

    private bool ReadExtensions(TlsHello h, bool client)
    {
        // Extensions are optional; a lone trailing byte (seen in the wild, tolerated by tshark) is not a block either.
        if (_b.Length - _pos < 2) return true;
        if (!Vector16(out var exts)) return false;
        while (exts.Length > 0)
        {
            if (exts.Length < 4) return Fail(TlsError.Truncated);
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(exts);
            int len = BinaryPrimitives.ReadUInt16BigEndian(exts[2..]);
            if (exts.Length - 4 < len) return Fail(TlsError.Truncated);
            h.Extensions.Add(type);
            if (!ReadExtension(h, type, exts.Slice(4, len), client)) return false;
            exts = exts[(4 + len)..];
        }
        return true;
    }

    private bool ReadExtension(TlsHello h, ushort type, ReadOnlySpan<byte> d, bool client)
    {
        switch (type)
        {
            case 0x0000 when client:
                return ReadServerName(h, d);
            case 0x000a:
                return ReadU16List(d, h.Groups, lengthBytes: 2);
            case 0x000b:
                if (d.Length < 1 || d[0] > d.Length - 1) return Fail(TlsError.BadLength);
                foreach (byte f in d.Slice(1, d[0])) h.PointFormats.Add(f);
                return true;
            case 0x000d:
                return ReadU16List(d, h.SignatureAlgorithms, lengthBytes: 2);
            case 0x0010:
                return ReadAlpn(h, d);
            case 0x002b:
                if (client) return ReadU16List(d, h.SupportedVersions, lengthBytes: 1);
                if (d.Length < 2) return Fail(TlsError.BadLength);
                h.SupportedVersions.Add(BinaryPrimitives.ReadUInt16BigEndian(d));
                return true;
            case 0x0033 when !client:
                if (d.Length >= 2) h.KeyShareGroup = BinaryPrimitives.ReadUInt16BigEndian(d);
                return true;
            default:
                return true;
        }
    }

    private bool ReadServerName(TlsHello h, ReadOnlySpan<byte> d)
    {
        if (d.Length == 0) return true; // a server's empty acknowledgement
        if (d.Length < 2) return Fail(TlsError.BadLength);
        int listLen = BinaryPrimitives.ReadUInt16BigEndian(d);
        if (listLen > d.Length - 2) return Fail(TlsError.BadLength);
        var list = d.Slice(2, listLen);
        while (list.Length >= 3)
        {
            byte kind = list[0];
            int n = BinaryPrimitives.ReadUInt16BigEndian(list[1..]);
            if (n > list.Length - 3) return Fail(TlsError.BadLength);
            if (kind == 0 && h.ServerName == null) h.ServerName = Encoding.ASCII.GetString(list.Slice(3, n));
            list = list[(3 + n)..];
        }
        return true;
    }

    private bool ReadAlpn(TlsHello h, ReadOnlySpan<byte> d)
    {
        if (d.Length < 2) return Fail(TlsError.BadLength);
        int listLen = BinaryPrimitives.ReadUInt16BigEndian(d);
        if (listLen > d.Length - 2) return Fail(TlsError.BadLength);
        var list = d.Slice(2, listLen);
        while (list.Length > 0)
        {
            int n = list[0];
            if (n > list.Length - 1) return Fail(TlsError.BadLength);
            h.Alpn.Add(list.Slice(1, n).ToArray());
            list = list[(1 + n)..];
        }
        return true;
    }

    private bool ReadU16List(ReadOnlySpan<byte> d, List<ushort> dest, int lengthBytes)
    {
        if (d.Length < lengthBytes) return Fail(TlsError.BadLength);
        int n = lengthBytes == 1 ? d[0] : BinaryPrimitives.ReadUInt16BigEndian(d);
        if (n > d.Length - lengthBytes || (n & 1) != 0) return Fail(TlsError.BadLength);
        for (int i = 0; i < n; i += 2) dest.Add(BinaryPrimitives.ReadUInt16BigEndian(d[(lengthBytes + i)..]));
        return true;
    }

    private bool U16(out ushort v)
    {
        v = 0;
        if (_b.Length - _pos < 2) return Fail(TlsError.Truncated);
        v = BinaryPrimitives.ReadUInt16BigEndian(_b[_pos..]);
        _pos += 2;
        return true;
    }

    private bool Skip(int n)
    {
        if (_b.Length - _pos < n) return Fail(TlsError.Truncated);
        _pos += n;
        return true;
    }

    private bool Vector8(out ReadOnlySpan<byte> v)
    {
        v = default;
        if (_b.Length - _pos < 1) return Fail(TlsError.Truncated);
        int n = _b[_pos];
        if (_b.Length - _pos - 1 < n) return Fail(TlsError.Truncated);
        v = _b.Slice(_pos + 1, n);
        _pos += 1 + n;
        return true;
    }

    private bool Vector16(out ReadOnlySpan<byte> v)
    {
        v = default;
        if (_b.Length - _pos < 2) return Fail(TlsError.Truncated);
        int n = BinaryPrimitives.ReadUInt16BigEndian(_b[_pos..]);
        if (_b.Length - _pos - 2 < n) return Fail(TlsError.Truncated);
        v = _b.Slice(_pos + 2, n);
        _pos += 2 + n;
        return true;
    }

    private bool Fail(TlsError e) { Error = e; return false; }
}

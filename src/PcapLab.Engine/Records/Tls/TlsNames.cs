using System.Collections.Frozen;

namespace PcapLab.Records.Tls;

/// <summary>Names of TLS versions, cipher suites and groups as Zeek's ssl.log prints them (IANA names).</summary>
public static class TlsNames
{
    private static readonly FrozenDictionary<ushort, string> Ciphers = new Dictionary<ushort, string>
    {
        [0x1301] = "TLS_AES_128_GCM_SHA256", [0x1302] = "TLS_AES_256_GCM_SHA384", [0x1303] = "TLS_CHACHA20_POLY1305_SHA256",
        [0x1304] = "TLS_AES_128_CCM_SHA256", [0x1305] = "TLS_AES_128_CCM_8_SHA256",
        [0xc02b] = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", [0xc02c] = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        [0xc02f] = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", [0xc030] = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        [0xcca8] = "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", [0xcca9] = "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        [0xccaa] = "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        [0xc009] = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", [0xc00a] = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        [0xc013] = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", [0xc014] = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        [0xc023] = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", [0xc024] = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        [0xc027] = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", [0xc028] = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        [0x009c] = "TLS_RSA_WITH_AES_128_GCM_SHA256", [0x009d] = "TLS_RSA_WITH_AES_256_GCM_SHA384",
        [0x009e] = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", [0x009f] = "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        [0x002f] = "TLS_RSA_WITH_AES_128_CBC_SHA", [0x0035] = "TLS_RSA_WITH_AES_256_CBC_SHA",
        [0x003c] = "TLS_RSA_WITH_AES_128_CBC_SHA256", [0x003d] = "TLS_RSA_WITH_AES_256_CBC_SHA256",
        [0x0033] = "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", [0x0039] = "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        [0x0067] = "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", [0x006b] = "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        [0x000a] = "TLS_RSA_WITH_3DES_EDE_CBC_SHA", [0x0005] = "TLS_RSA_WITH_RC4_128_SHA", [0x0004] = "TLS_RSA_WITH_RC4_128_MD5",
        [0x00ff] = "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", [0x5600] = "TLS_FALLBACK_SCSV",
    }.ToFrozenDictionary();

    /// <summary>IANA cipher suite name, or hex such as "0xc0ff" when not in the common set.</summary>
    public static string Cipher(ushort c) => Ciphers.TryGetValue(c, out var s) ? s : "0x" + c.ToString("x4");

    /// <summary>Version name as Zeek prints it ("TLSv12", "TLSv13", "SSLv3", "DTLSv12").</summary>
    public static string Version(ushort v) => v switch
    {
        0x0002 => "SSLv2", 0x0300 => "SSLv3", 0x0301 => "TLSv10", 0x0302 => "TLSv11", 0x0303 => "TLSv12", 0x0304 => "TLSv13",
        0xfeff => "DTLSv10", 0xfefd => "DTLSv12", 0xfefc => "DTLSv13",
        _ => "unknown-" + v,
    };

    /// <summary>Named group (curve) name as Zeek prints it.</summary>
    public static string Group(ushort g) => g switch
    {
        23 => "secp256r1", 24 => "secp384r1", 25 => "secp521r1", 29 => "x25519", 30 => "x448",
        256 => "ffdhe2048", 257 => "ffdhe3072", 258 => "ffdhe4096", 259 => "ffdhe6144", 260 => "ffdhe8192",
        0x11ec => "X25519MLKEM768", 0x6399 => "X25519Kyber768Draft00",
        _ => "unknown-" + g,
    };
}

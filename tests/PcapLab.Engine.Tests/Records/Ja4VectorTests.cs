using System.Globalization;
using PcapLab.Records.Tls;

namespace PcapLab.Engine.Tests.Records;

/// <summary>
/// Published fingerprint vectors. JA3: the two examples of the salesforce/ja3 README. JA4/JA4S: FoxIO-LLC/ja4 README
/// (JA4_ro → JA4) and its test data sigalg-grease.pcapng.json (JA4_ro, JA4S_r → JA4, JA4S). Hellos are rebuilt in wire
/// order from the "original order" raw strings, with GREASE values added that the specs say to ignore.
/// </summary>
public class Ja4VectorTests
{
    private static List<ushort> Hex(string csv) => [.. csv.Split(',').Select(h => ushort.Parse(h, NumberStyles.HexNumber))];

    [Fact]
    public void Ja3_readme_example_with_extensions()
    {
        var h = new TlsHello { LegacyVersion = 769 };
        h.Ciphers.AddRange([0x0a0a, 47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4]);
        h.Extensions.AddRange([0x1a1a, 0, 10, 11]);
        h.Groups.AddRange([0x2a2a, 23, 24, 25]);
        h.PointFormats.Add(0);
        Assert.Equal("769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0", TlsFingerprints.Ja3String(h));
        Assert.Equal("ada70206e40642a3e4461f35503241d5", TlsFingerprints.Ja3(h));
    }

    [Fact]
    public void Ja3_readme_example_without_extensions()
    {
        var h = new TlsHello { LegacyVersion = 769 };
        h.Ciphers.AddRange([4, 5, 10, 9, 100, 98, 3, 6, 19, 18, 99]);
        Assert.Equal("769,4-5-10-9-100-98-3-6-19-18-99,,,", TlsFingerprints.Ja3String(h));
        Assert.Equal("de350869b8c85de67a350c8d186f11e6", TlsFingerprints.Ja3(h));
    }

    [Theory]
    // FoxIO README: JA4_ro t13d1516h2_..., JA4 t13d1516h2_8daaf6152771_e5627efa2ab1
    [InlineData("1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035",
        "0000,0033,000d,0023,000b,ff01,000a,001b,4469,0012,002d,0010,0005,002b,0017,0015",
        "0403,0804,0401,0503,0805,0501,0806,0601", "t13d1516h2_8daaf6152771_e5627efa2ab1")]
    // FoxIO python/test/testdata/sigalg-grease.pcapng.json
    [InlineData("1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035",
        "fe0d,0010,0017,0033,44cd,ff01,000a,000d,0023,002b,000b,ca34,002d,0000,0005,001b,0012",
        "0904,0905,0906,0403,0804,0401,0503,0805,0501,0806,0601", "t13d1517h2_8daaf6152771_cb7bf5808d99")]
    public void Ja4_published_vectors(string ciphers, string extensions, string sigalgs, string expected)
    {
        var h = new TlsHello { LegacyVersion = 0x0303, ServerName = "example.com" };
        h.Ciphers.Add(0x3a3a); h.Ciphers.AddRange(Hex(ciphers));
        h.Extensions.Add(0x4a4a); h.Extensions.AddRange(Hex(extensions)); h.Extensions.Add(0xfafa);
        h.SignatureAlgorithms.Add(0x5a5a); h.SignatureAlgorithms.AddRange(Hex(sigalgs));
        h.SupportedVersions.AddRange([0x6a6a, 0x0304, 0x0303]);
        h.Alpn.Add("h2"u8.ToArray()); h.Alpn.Add("http/1.1"u8.ToArray());
        Assert.Equal(expected, TlsFingerprints.Ja4(h));
    }

    [Fact]
    public void Ja4s_published_vector()
    {
        // sigalg-grease.pcapng.json: JA4S t130200_1302_234ea6891581, JA4S_r t130200_1302_0033,002b
        var h = new TlsHello { LegacyVersion = 0x0303 };
        h.Ciphers.Add(0x1302);
        h.Extensions.AddRange([0x0033, 0x002b]);
        h.SupportedVersions.Add(0x0304);
        Assert.Equal("t130200_1302_234ea6891581", TlsFingerprints.Ja4s(h));
    }

    [Fact]
    public void Ja4_alpn_http11_is_h1_and_no_alpn_is_00()
    {
        // FoxIO tls-handshake.pcapng snapshot: http/1.1 clients print "h1"; a hello without ALPN prints "00".
        var h = new TlsHello { LegacyVersion = 0x0303 };
        h.Ciphers.AddRange(Hex("1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035"));
        h.Extensions.AddRange(Hex("0000,0033,000d,0023,000b,ff01,000a,001b,4469,0012,002d,0010,0005,002b,0017,0015"));
        h.SignatureAlgorithms.AddRange(Hex("0403,0804,0401,0503,0805,0501,0806,0601"));
        h.SupportedVersions.Add(0x0304);
        h.Alpn.Add("http/1.1"u8.ToArray());
        Assert.Equal("t13d1516h1_8daaf6152771_e5627efa2ab1", TlsFingerprints.Ja4(h));
        h.Alpn.Clear();
        Assert.StartsWith("t13d151600_", TlsFingerprints.Ja4(h));
    }

    [Theory]
    [InlineData((ushort)0x0a0a, true)] [InlineData((ushort)0xfafa, true)] [InlineData((ushort)0x1a2a, false)] [InlineData((ushort)0x0303, false)]
    public void Grease_values_per_rfc8701(ushort v, bool grease) => Assert.Equal(grease, TlsFingerprints.IsGrease(v));
}

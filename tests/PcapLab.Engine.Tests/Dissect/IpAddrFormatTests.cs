using System.Net;
using PcapLab.Dissect;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>
/// IpAddr's canonical text against System.Net.IPAddress.ToString() (RFC 5952), and against tshark where the two differ.
/// They differ only inside ::/96 and ::ffff:0:0/96 (observed with tshark 4.0.17 and .NET 10):
/// <code>
/// address            tshark              .NET               IpAddr
/// ::ffff:0:0         ::ffff:0.0.0.0      ::ffff:0:0         ::ffff:0.0.0.0
/// ::ffff:0:1.2.3.4   ::ffff:0:102:304    ::ffff:0:1.2.3.4   ::ffff:0:102:304
/// ::1.2.3.4          ::1.2.3.4           ::1.2.3.4          ::102:304   (RFC 5952 section 5: dotted only for mapped)
/// </code>
/// So those prefixes are checked against tshark's output, and the deprecated IPv4-compatible form is the one known gap.
/// </summary>
public sealed class IpAddrFormatTests
{
    public static TheoryData<string> Specials() => new()
    {
        "::", "::1", "1::", "fe80::1", "ff02::1:ff00:7701", "2001:db8::", "2001:db8:0:0:1:0:0:1", "2001:0:0:1:0:0:0:1",
        "1:0:0:2:0:0:0:3", "0:0:1:0:0:0:0:0", "1:2:3:4:5:6:7:8", "1:0:2:3:4:5:6:7", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "::ffff:1.2.3.4", "::ffff:255.255.255.255", "64:ff9b::1.2.3.4",
        "0.0.0.0", "255.255.255.255", "10.0.0.1", "192.168.100.200",
    };

    [Theory]
    [MemberData(nameof(Specials))]
    public void SpecialAddressesMatchSystemNet(string text)
    {
        var expected = IPAddress.Parse(text).ToString();
        Assert.Equal(expected, IpAddr.Parse(text).ToString());
    }

    [Fact]
    public void RandomAddressesMatchSystemNet()
    {
        var rng = new Random(5952);
        Span<byte> b = stackalloc byte[16];
        Span<byte> utf8 = stackalloc byte[48];
        for (int i = 0; i < 20000; i++)
        {
            rng.NextBytes(b);
            // Zero runs of random length and place, so that "::" choice and tie-breaking are exercised.
            int groups = rng.Next(8);
            for (int z = 0, at = rng.Next(8); z < groups; z++) { int g = (at + z * (1 + rng.Next(2))) % 8; b[2 * g] = 0; b[2 * g + 1] = 0; }
            if (TsharkChecked(b)) continue;
            var expected = new IPAddress(b).ToString();
            var ours = IpAddr.V6(b);
            Assert.Equal(expected, ours.ToString());
            int n = ours.FormatUtf8(utf8);
            Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(utf8[..n]));
            Assert.Equal(ours, IpAddr.Parse(expected));

            var v4 = IpAddr.V4(b[..4]);
            Assert.Equal(new IPAddress(b[..4]).ToString(), v4.ToString());
        }
    }

    // ::/96, ::ffff:0:0/96 and ::ffff:0:0:0/96, where .NET differs from tshark.
    private static bool TsharkChecked(ReadOnlySpan<byte> b) =>
        b[..8].IndexOfAnyExcept((byte)0) < 0 && (b[8..12].IndexOfAnyExcept((byte)0) < 0 || b[8..12].SequenceEqual(new byte[] { 0, 0, 0xFF, 0xFF })
            || b[8..12].SequenceEqual(new byte[] { 0xFF, 0xFF, 0, 0 }));

    /// <summary>tshark 4.0.17's ipv6.src for the same addresses (raw IPv6 packets written to a pcap and read back).</summary>
    [Theory]
    [InlineData("::ffff:0:0", "::ffff:0.0.0.0")]
    [InlineData("::ffff:1.2.3.4", "::ffff:1.2.3.4")]
    [InlineData("::ffff:0:1.2.3.4", "::ffff:0:102:304")]
    [InlineData("::0.0.0.1", "::1")]
    [InlineData("64:ff9b::1.2.3.4", "64:ff9b::102:304")]
    public void MappedAndTranslatedAsTshark(string address, string tshark) => Assert.Equal(tshark, IpAddr.Parse(address).ToString());

    [Fact]
    public void Ipv4CompatibleIsHexPerRfc5952()
    {
        // The known difference: tshark and .NET print the deprecated ::a.b.c.d form dotted.
        Assert.Equal("::102:304", IpAddr.Parse("::1.2.3.4").ToString());
    }
}

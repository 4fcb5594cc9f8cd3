using PcapLab.Dissect;
using PcapLab.Flows;

namespace PcapLab.Engine.Tests.Flows;

/// <summary>
/// The published Community ID vectors of corelight/community-id-spec: baseline/README.md's tables (default seed,
/// seed=1) and baseline/baseline_deflt.json (tuples from its pcaps; ports there are already Zeek's ICMP mapping).
/// </summary>
public class CommunityIdTests
{
    private const string V6a = "fe80:0001:0203:0405:0607:0809:0A0B:0C0D", V6b = "fe80:1011:1213:1415:1617:1819:1A1B:1C1D";

    [Theory]
    // Default settings table
    [InlineData(6, "1.2.3.4", "5.6.7.8", 1122, 3344, 0, "1:wCb3OG7yAFWelaUydu0D+125CLM=")]
    [InlineData(6, "5.6.7.8", "1.2.3.4", 3344, 1122, 0, "1:wCb3OG7yAFWelaUydu0D+125CLM=")]
    [InlineData(17, "1.2.3.4", "5.6.7.8", 1122, 3344, 0, "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=")]
    [InlineData(17, "5.6.7.8", "1.2.3.4", 3344, 1122, 0, "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=")]
    [InlineData(132, "1.2.3.4", "5.6.7.8", 1122, 3344, 0, "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=")]
    [InlineData(132, "5.6.7.8", "1.2.3.4", 3344, 1122, 0, "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=")]
    [InlineData(1, "1.2.3.4", "5.6.7.8", 8, 0, 0, "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=")]
    [InlineData(1, "5.6.7.8", "1.2.3.4", 0, 0, 0, "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=")]
    [InlineData(1, "1.2.3.4", "5.6.7.8", 11, 0, 0, "1:f/YiSyWqczrTgfUCZlBUnvHRcPk=")]
    [InlineData(58, V6a, V6b, 128, 0, 0, "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=")]
    [InlineData(58, V6b, V6a, 129, 0, 0, "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=")]
    [InlineData(58, V6a, V6b, 146, 0, 0, "1:fYC8+pz24E+EhANP1EZhpX0Dw10=")]
    [InlineData(46, "1.2.3.4", "5.6.7.8", 0, 0, 0, "1:ikv3kmf89luf73WPz1jOs49S768=")]
    [InlineData(46, "5.6.7.8", "1.2.3.4", 0, 0, 0, "1:ikv3kmf89luf73WPz1jOs49S768=")]
    [InlineData(46, V6a, V6b, 0, 0, 0, "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=")]
    [InlineData(46, V6b, V6a, 0, 0, 0, "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=")]
    // seed=1 table
    [InlineData(6, "1.2.3.4", "5.6.7.8", 1122, 3344, 1, "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=")]
    [InlineData(17, "5.6.7.8", "1.2.3.4", 3344, 1122, 1, "1:OShq+iKDAMVouh/4bMxB9Sz4amw=")]
    [InlineData(132, "1.2.3.4", "5.6.7.8", 1122, 3344, 1, "1:uitchpn5MMGAQKBJh7bIr/bAr7s=")]
    [InlineData(1, "5.6.7.8", "1.2.3.4", 0, 0, 1, "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=")]
    [InlineData(1, "1.2.3.4", "5.6.7.8", 11, 0, 1, "1:1DD7cWGC/Yg91YGsQeni8du3pIA=")]
    [InlineData(58, V6b, V6a, 129, 0, 1, "1:IO27GQzPuCtNnwFvjWALMHu5tJE=")]
    [InlineData(58, V6a, V6b, 146, 0, 1, "1:Cv4IKJe56BNkF0MBW2YxQ3Nwc3s=")]
    [InlineData(46, "5.6.7.8", "1.2.3.4", 0, 0, 1, "1:/buhqeOmaRCopOZFy9HnoJd5XW8=")]
    [InlineData(46, V6a, V6b, 0, 0, 1, "1:j6EyyfBzL4vWKHFXgUqb5Az3OxM=")]
    // baseline_deflt.json
    [InlineData(58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 136, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=")]
    [InlineData(58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 135, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=")]
    [InlineData(58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 136, 0, "1:zavyT/cezQr1fmImYCwYnMXbgck=")]
    [InlineData(58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 136, 135, 0, "1:zavyT/cezQr1fmImYCwYnMXbgck=")]
    [InlineData(58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ=")]
    [InlineData(58, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4, 0, "1:hLZd0XGWojozrvxqE0dWB1iM6R0=")]
    [InlineData(58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 129, 0, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=")]
    [InlineData(58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 128, 0, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=")]
    [InlineData(58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 134, 0, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=")]
    [InlineData(58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 133, 0, "1:pkvHqCL88/tg1k4cPigmZXUtL00=")]
    [InlineData(1, "192.168.0.89", "192.168.0.1", 8, 0, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=")]
    [InlineData(1, "192.168.0.1", "192.168.0.89", 0, 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=")]
    [InlineData(1, "10.0.0.1", "10.0.0.2", 11, 0, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM=")]
    [InlineData(6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25, 0, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=")]
    [InlineData(6, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943, 0, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=")]
    [InlineData(132, "192.168.170.8", "192.168.170.56", 7, 7, 0, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=")]
    [InlineData(132, "192.168.170.56", "192.168.170.8", 7, 7, 0, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=")]
    [InlineData(6, "128.232.110.120", "66.35.250.204", 34855, 80, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=")]
    [InlineData(6, "66.35.250.204", "128.232.110.120", 80, 34855, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=")]
    [InlineData(17, "192.168.1.52", "8.8.8.8", 54585, 53, 0, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=")]
    [InlineData(17, "8.8.8.8", "192.168.1.52", 53, 54585, 0, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=")]
    [InlineData(46, "10.1.12.1", "10.1.12.2", 0, 0, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=")]
    [InlineData(46, "10.1.12.2", "10.1.12.1", 0, 0, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=")]
    public void SpecVectors(int proto, string src, string dst, int sport, int dport, int seed, string expected) =>
        Assert.Equal(expected, CommunityId.Compute(IpAddr.Parse(src), IpAddr.Parse(dst), (byte)proto, (ushort)sport, (ushort)dport, (ushort)seed));

    [Fact] // The flow table computes the same ID for a flow as the spec's tuple, whichever side sent first.
    public void FlowRecordsCarryTheSpecId()
    {
        var sink = new FlowList();
        var table = new FlowTable(new FlowOptions(), sink);
        var q = Pkt.Udp("192.168.1.52", 54585, "8.8.8.8", 53, 30);
        var a = Pkt.Udp("8.8.8.8", 53, "192.168.1.52", 54585, 90);
        table.Observe(q, Pkt.T0, 0);
        table.Observe(a, Pkt.T0 + Pkt.Second / 50, 0);
        var echo = Pkt.Icmp("192.168.0.1", "192.168.0.89", 0, 0); // an echo reply seen alone
        table.Observe(echo, Pkt.T0 + Pkt.Second, 0);
        table.Flush();
        Assert.Equal("1:d/FP5EW3wiY1vCndhwleRRKHowQ=", sink.Flows[0].CommunityId);
        Assert.Equal("1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", sink.Flows[1].CommunityId);
    }
}

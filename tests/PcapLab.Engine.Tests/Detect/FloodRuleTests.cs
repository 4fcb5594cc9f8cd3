namespace PcapLab.Engine.Tests.Detect;

public sealed class FloodRuleTests
{
    private const string Attacker = "127.66.0.2", Server = "127.10.0.1", Client = "127.20.0.1";

    [Fact]
    public void HalfOpenConnectionsPilingOnOnePortAreASynFlood()
    {
        using var d = new DetectDb();
        // hping3 -S -p 8080 --faster: a new source port per SYN; the server answers SYN-ACK, the attacker's kernel resets.
        for (int i = 0; i < 3000; i++) d.Flow(i * 0.001, Attacker, 1024 + i, Server, 8080, state: i % 3 == 0 ? "S0" : "RSTOS0", origPkts: 2, respPkts: 1);
        d.Detect();
        var a = Assert.Single(d.Alerts("syn_flood"));
        Assert.Equal(("MALICIOUS", Attacker, Server), (a.Severity, a.Src, a.Dst));
        Assert.Contains("3000 failed TCP handshakes to 127.10.0.1:8080", a.Summary);
        Assert.Equal(1000, a.FlowIds.Length); // the evidence cap
        Assert.Equal(1.0, a.Score);
        Assert.Empty(d.Alerts("vertical_scan"));
    }

    [Fact]
    public void SpoofedSourcesAreOneFloodWithNoSingleSource()
    {
        using var d = new DetectDb();
        // hping3 --rand-source: every SYN from a different address, none answered.
        for (int i = 0; i < 1000; i++) d.Flow(i * 0.002, $"127.{100 + i / 250}.{i % 250}.{1 + i % 7}", 2000 + i, Server, 80, state: "S0");
        d.Detect();
        var a = Assert.Single(d.Alerts("syn_flood"));
        Assert.Null(a.Src);
        Assert.Contains("from 1000 source(s), spoofed-looking: at most 1 per source", a.Summary);
    }

    [Fact]
    public void ABusyServerWithOccasionalResetsIsNotAFlood()
    {
        using var d = new DetectDb();
        for (int i = 0; i < 2000; i++)
            d.Flow(i * 0.01, $"127.20.0.{1 + i % 50}", 30000 + i, Server, 443, state: i % 100 == 0 ? "REJ" : "SF", origBytes: 500, respBytes: 5000, origPkts: 6, respPkts: 8, duration: 0.05);
        d.AssertQuiet();
    }

    [Fact]
    public void ASlowTrickleOfUnansweredSynsIsNotAFlood()
    {
        using var d = new DetectDb();
        // A client retrying a dead service every 3 s for 15 minutes: many S0, far below the rate.
        for (int i = 0; i < 300; i++) d.Flow(i * 3, Client, 40000 + i, Server, 5432, state: "S0", origPkts: 3);
        d.Detect();
        Assert.Empty(d.Alerts("syn_flood"));
        Assert.DoesNotContain(d.Alerts(), a => a.Severity == "MALICIOUS"); // a timer-driven retry may well look like a beacon

    }

    [Fact]
    public void UnansweredUdpAtHighRateIsAUdpFlood()
    {
        using var d = new DetectDb();
        for (int i = 0; i < 500; i++) d.Flow(i * 0.004, Attacker, 3000 + i, Server, 53, proto: "udp", state: "S0", origBytes: 1000, origPkts: 10, duration: 0.003);
        d.Detect();
        var a = Assert.Single(d.Alerts("udp_flood"));
        Assert.Contains("5000 UDP packets to 127.10.0.1", a.Summary);
        Assert.Equal(Attacker, a.Src);
    }

    [Fact]
    public void ABusyResolverAnsweringItsClientsIsNotAUdpFlood()
    {
        using var d = new DetectDb();
        for (int i = 0; i < 5000; i++) d.Flow(i * 0.0015, $"127.20.0.{1 + i % 200}", 10000 + i, Server, 53, proto: "udp", state: "SF", origBytes: 40, respBytes: 120, origPkts: 1, respPkts: 1, duration: 0.001);
        d.AssertQuiet();
    }

    [Fact]
    public void PingFloodIsAnIcmpFloodEvenWhenAnswered()
    {
        using var d = new DetectDb();
        d.Flow(0, Attacker, 8, Server, 0, proto: "icmp", state: "SF", origBytes: 56 * 5000, respBytes: 56 * 5000, origPkts: 5000, respPkts: 5000, duration: 4);
        d.Detect();
        var a = Assert.Single(d.Alerts("icmp_flood"));
        Assert.Contains("5000 ICMP packets", a.Summary);
        Assert.Contains("(1250/s)", a.Summary);
    }

    [Fact]
    public void OrdinaryPingIsNotAFlood()
    {
        using var d = new DetectDb();
        d.Flow(0, Client, 8, Server, 0, proto: "icmp", state: "SF", origBytes: 56 * 600, respBytes: 56 * 600, origPkts: 600, respPkts: 600, duration: 599);
        d.AssertQuiet();
    }
}

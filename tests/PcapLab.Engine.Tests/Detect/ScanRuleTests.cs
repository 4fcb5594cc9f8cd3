namespace PcapLab.Engine.Tests.Detect;

public sealed class ScanRuleTests
{
    private const string Attacker = "127.66.0.1", Server = "127.10.0.1", Client = "127.20.0.1";

    [Fact]
    public void SynScanOfAThousandPortsIsAVerticalScan()
    {
        using var d = new DetectDb();
        // nmap -sS top 1000 on one host: closed ports answer RST (REJ), three open ports answer SYN-ACK then nmap resets.
        for (int i = 0; i < 1000; i++)
            d.Flow(i * 0.0005, Attacker, 45000, Server, i + 1, state: i is 21 or 79 or 442 ? "RSTOS0" : "REJ", origPkts: 1, respPkts: 1);
        d.Detect();
        var a = Assert.Single(d.Alerts("vertical_scan"));
        Assert.Equal(("SUSPICIOUS", Attacker, Server), (a.Severity, a.Src, a.Dst));
        Assert.Contains("probed 1000 ports", a.Summary);
        Assert.Equal(1000, a.FlowIds.Length);
        Assert.Equal(1.0, a.Score);
        Assert.Empty(d.Alerts("horizontal_scan"));
        Assert.Empty(d.Alerts("syn_flood"));
    }

    [Fact]
    public void ConnectScanResetsWithoutDataCountAsFailed()
    {
        using var d = new DetectDb();
        // nmap -sT: open ports complete the handshake and nmap resets at once (RSTO, no payload); closed ones are refused.
        for (int i = 0; i < 30; i++) d.Flow(i * 0.01, Attacker, 50000 + i, Server, 8000 + i, state: i % 10 == 0 ? "RSTO" : "REJ", origPkts: 2, respPkts: 1);
        d.Detect();
        var a = Assert.Single(d.Alerts("vertical_scan"));
        Assert.Contains("30 of 30 connections failed", a.Summary);
        Assert.Equal(0.75, a.Score, 6);
    }

    [Fact]
    public void EpisodesFartherApartThanTheGapAreJudgedSeparately()
    {
        using var d = new DetectDb();
        // 15 ports now and 15 more an hour later: neither episode reaches 20 ports.
        for (int i = 0; i < 15; i++) d.Flow(i, Attacker, 45000, Server, 100 + i, state: "S0");
        for (int i = 0; i < 15; i++) d.Flow(3600 + i, Attacker, 45000, Server, 200 + i, state: "S0");
        d.Detect();
        Assert.Empty(d.Alerts("vertical_scan"));
    }

    [Fact]
    public void BusyWebClientIsNotAScan()
    {
        using var d = new DetectDb();
        // A browser: 500 connections to one server's 443 and a few to 80, all carrying data.
        for (int i = 0; i < 500; i++) d.Flow(i * 0.2, Client, 40000 + i, Server, 443, state: "SF", origBytes: 800, respBytes: 30000, origPkts: 12, respPkts: 30, duration: 0.5, service: "ssl");
        for (int i = 0; i < 5; i++) d.Flow(i * 3, Client, 41000 + i, Server, 80, state: "SF", origBytes: 400, respBytes: 2000, origPkts: 5, respPkts: 5, duration: 0.1, service: "http");
        d.AssertQuiet();
    }

    [Fact]
    public void PassiveFtpDataConnectionsToManyPortsAreNotAScan()
    {
        using var d = new DetectDb();
        var rng = new Random(7);
        double t = 0;
        for (int i = 0; i < 40; i++) d.Flow(t += -Math.Log(1 - rng.NextDouble()) * 2, Client, 42000 + i, Server, 30000 + i * 7, state: "SF", origBytes: 0, respBytes: 500000, origPkts: 20, respPkts: 400, duration: 1);
        d.AssertQuiet();
    }

    [Fact]
    public void SweepOfPort22AcrossASubnetIsAHorizontalScan()
    {
        using var d = new DetectDb();
        for (int h = 1; h <= 254; h++) d.Flow(h * 0.004, Attacker, 60000, $"127.10.1.{h}", 22, state: h % 50 == 0 ? "SF" : "S0", origBytes: h % 50 == 0 ? 30 : 0, respBytes: h % 50 == 0 ? 40 : 0);
        d.Detect();
        var a = Assert.Single(d.Alerts("horizontal_scan"));
        Assert.Equal((Attacker, (string?)null), (a.Src, a.Dst));
        Assert.Contains("probed 22/tcp on 254 hosts", a.Summary);
        Assert.Empty(d.Alerts("vertical_scan"));
    }

    [Fact]
    public void ClientReachingManyWebServersIsNotAHorizontalScan()
    {
        using var d = new DetectDb();
        for (int h = 1; h <= 60; h++) d.Flow(h, Client, 40000 + h, $"127.10.2.{h}", 443, state: "SF", origBytes: 700, respBytes: 9000, origPkts: 8, respPkts: 10, duration: 0.3);
        d.AssertQuiet();
    }

    [Fact]
    public void PingSweepIsAnIcmpSweep()
    {
        using var d = new DetectDb();
        for (int h = 1; h <= 100; h++) d.Flow(h * 0.01, Attacker, 8, $"127.10.3.{h}", 0, proto: "icmp", state: h <= 10 ? "SF" : "S0", origBytes: 56, respBytes: h <= 10 ? 56 : 0, respPkts: h <= 10 ? 1 : 0);
        d.Detect();
        var a = Assert.Single(d.Alerts("icmp_sweep"));
        Assert.Contains("pinged 100 hosts", a.Summary);
        Assert.Contains("10 answered", a.Summary);
    }

    [Fact]
    public void PingingAFewHostsIsNotASweep()
    {
        using var d = new DetectDb();
        for (int h = 1; h <= 5; h++) d.Flow(h * 10, Client, 8, $"127.10.3.{h}", 0, proto: "icmp", origPkts: 4, respPkts: 4, origBytes: 224, respBytes: 224, duration: 3);
        d.AssertQuiet();
    }
}

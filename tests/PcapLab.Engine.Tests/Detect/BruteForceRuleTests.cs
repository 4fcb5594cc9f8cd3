namespace PcapLab.Engine.Tests.Detect;

public sealed class BruteForceRuleTests
{
    private const string Attacker = "127.66.0.3", Server = "127.10.0.1", Client = "127.20.0.1";

    [Fact]
    public void ManyShortAlikeSshConnectionsAreABruteForce()
    {
        using var d = new DetectDb();
        var rng = new Random(1);
        // hydra -t 4 against sshd on 2222: each connection is a key exchange plus a few failed passwords, ~3 kB each way.
        for (int i = 0; i < 60; i++)
            d.Flow(i * 0.7 + rng.NextDouble() * 0.3, Attacker, 40000 + i, Server, 2222, state: i % 5 == 0 ? "RSTO" : "SF",
                origBytes: 2900 + rng.Next(-150, 150), respBytes: 3300 + rng.Next(-100, 100), origPkts: 18, respPkts: 16, duration: 2.5, service: "ssh");
        d.Detect();
        var a = Assert.Single(d.Alerts("ssh_brute_force"));
        Assert.Equal(("MALICIOUS", Attacker, Server), (a.Severity, a.Src, a.Dst));
        Assert.Contains("made 60 short ssh connections to 127.10.0.1:2222", a.Summary);
        Assert.Equal(60, a.FlowIds.Length);
        Assert.Equal(1.0, a.Score);
    }

    [Fact]
    public void PortIsUsedOnlyWhenTheServiceIsUnknown()
    {
        using var d = new DetectDb();
        // Same pattern on port 22 but the dissector says it is HTTP: not SSH. And on port 2222 without a service: SSH.
        for (int i = 0; i < 20; i++) d.Flow(i * 2, Attacker, 40000 + i, Server, 22, origBytes: 3000, respBytes: 3000, origPkts: 10, respPkts: 10, duration: 1, service: "http");
        for (int i = 0; i < 20; i++) d.Flow(i * 2, Attacker, 41000 + i, "127.10.0.2", 2222, origBytes: 3000, respBytes: 3000, origPkts: 10, respPkts: 10, duration: 1);
        d.Detect();
        var a = Assert.Single(d.Alerts("ssh_brute_force"));
        Assert.Equal("127.10.0.2", a.Dst);
    }

    [Fact]
    public void AdminSessionsAndAutomationAreNotBruteForce()
    {
        using var d = new DetectDb();
        var rng = new Random(2);
        // Three interactive logins (large), then an Ansible run: 25 connections of very different sizes.
        for (int i = 0; i < 3; i++) d.Flow(i * 1800, Client, 40000 + i, Server, 22, origBytes: 90000 + i * 5000, respBytes: 400000, origPkts: 900, respPkts: 1000, duration: 600, service: "ssh");
        double t = 6000;
        for (int i = 0; i < 25; i++)
            d.Flow(t += -Math.Log(1 - rng.NextDouble()) * 20, Client, 41000 + i, "127.10.0.5", 22, origBytes: rng.Next(3000, 19000), respBytes: rng.Next(3000, 60000),
                origPkts: 30, respPkts: 30, duration: 5, service: "ssh");
        d.AssertQuiet();
    }

    [Fact]
    public void RefusedSshConnectionsAreNotLoginAttempts()
    {
        using var d = new DetectDb();
        for (int i = 0; i < 50; i++) d.Flow(i * 0.5, Attacker, 40000 + i, Server, 22, state: "REJ", origPkts: 1, respPkts: 1);
        d.Detect();
        Assert.Empty(d.Alerts("ssh_brute_force"));
    }

    [Fact]
    public void ManyShortFtpControlConnectionsAreABruteForce()
    {
        using var d = new DetectDb();
        for (int i = 0; i < 30; i++) d.Flow(i * 1.1, Attacker, 40000 + i, Server, 21, origBytes: 60 + i % 5, respBytes: 180, origPkts: 6, respPkts: 5, duration: 1, service: "ftp");
        d.Detect();
        var a = Assert.Single(d.Alerts("ftp_brute_force"));
        Assert.Contains("made 30 short ftp connections", a.Summary);
    }

    [Fact]
    public void ManyUnauthorizedAnswersAreAnHttpAuthBruteForce()
    {
        using var d = new DetectDb();
        for (int i = 0; i < 100; i++) d.Http(i * 0.2, Attacker, Server, "GET", "/admin/", 401, userAgent: "Mozilla/5.0 (Hydra)");
        d.Http(20.1, Attacker, Server, "GET", "/admin/", 200);
        d.Detect();
        var a = Assert.Single(d.Alerts("http_auth_brute_force"));
        Assert.Equal(("MALICIOUS", Attacker, Server), (a.Severity, a.Src, a.Dst));
        Assert.Contains("got 100 of 101 answers refused", a.Summary);
        Assert.Contains("mostly /admin/", a.Summary);
    }

    [Fact]
    public void AUserMistypingAPasswordIsNotABruteForce()
    {
        using var d = new DetectDb();
        for (int i = 0; i < 4; i++) d.Http(i * 5, Client, Server, "GET", "/private/", 401);
        d.Http(25, Client, Server, "GET", "/private/", 200);
        var rng = new Random(3);
        double t = 30;
        for (int i = 0; i < 40; i++) d.Http(t += -Math.Log(1 - rng.NextDouble()) * 8, Client, Server, "GET", $"/private/page{i}.html", 200);
        d.AssertQuiet();
    }
}

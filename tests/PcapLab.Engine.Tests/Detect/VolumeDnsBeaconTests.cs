using PcapLab.Detect;
using PcapLab.Detect.Rules;

namespace PcapLab.Engine.Tests.Detect;

public sealed class HighVolumeRuleTests
{
    [Fact]
    public void ASourceSendingFarMoreThanItsPeersIsFlagged()
    {
        using var d = new DetectDb();
        var rng = new Random(4);
        for (int h = 1; h <= 10; h++)
            for (int i = 0; i < 5; i++) d.Flow(h * 100 + i * 13.7 + rng.NextDouble() * 5, $"127.20.0.{h}", 40000 + i, "127.10.0.1", 443, origBytes: 200_000 + rng.Next(100_000), respBytes: 2_000_000, origPkts: 200, respPkts: 1500, duration: 3);
        // One host uploads 400 MB to an outside server in a few connections.
        for (int i = 0; i < 4; i++) d.Flow(2000 + i * 97.3, "127.20.0.99", 45000 + i, "127.10.0.9", 443, origBytes: 100_000_000, respBytes: 50_000, origPkts: 70_000, respPkts: 30_000, duration: 60);
        d.Detect();
        var a = Assert.Single(d.Alerts("high_volume"));
        Assert.Equal(("SUSPICIOUS", "127.20.0.99", "127.10.0.9"), (a.Severity, a.Src, a.Dst));
        Assert.Contains("sent 411.2 MB in 4 flows", a.Summary); // IP bytes: payload + 40-byte headers
        Assert.Equal(4, a.FlowIds.Length);
    }

    [Fact]
    public void EvenSourcesAndSmallCapturesStayQuiet()
    {
        using var d = new DetectDb();
        var rng = new Random(5);
        // Ten clients each sending 20-30 MB: no outlier. A tiny capture where one host sent 100x the others, but only 2 MB.
        for (int h = 1; h <= 10; h++) d.Flow(h * 311.1, $"127.20.0.{h}", 40000, "127.10.0.1", 443, origBytes: 20_000_000 + rng.Next(10_000_000), respBytes: 1000, origPkts: 15000, respPkts: 7000, duration: 30);
        for (int h = 1; h <= 5; h++) d.Flow(5000 + h * 7.7, $"127.20.1.{h}", 40000, "127.10.0.2", 80, origBytes: h == 1 ? 2_000_000 : 20_000, respBytes: 1000, origPkts: 100, respPkts: 50, duration: 1);
        d.AssertQuiet();
    }

    [Fact]
    public void AbsoluteLimitFiresWithoutPeers()
    {
        using var d = new DetectDb();
        d.Flow(0, "127.20.0.1", 40000, "127.10.0.1", 9000, origBytes: 1_500_000_000, respBytes: 0, origPkts: 1_000_000, respPkts: 500_000, duration: 100);
        d.Detect();
        Assert.Equal(0.77, Assert.Single(d.Alerts("high_volume")).Score, 2); // 1.54 GB of IP bytes over a 1 GB limit
    }
}

public sealed class DnsTunnelRuleTests
{
    private const string Resolver = "127.10.0.53";

    private static string Base32Chunk(Random rng, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        return string.Create(length, rng, (span, r) => { for (int i = 0; i < span.Length; i++) span[i] = alphabet[r.Next(alphabet.Length)]; });
    }

    [Fact]
    public void EncodedSubdomainsUnderOneDomainAreATunnel()
    {
        using var d = new DetectDb();
        var rng = new Random(6);
        // dnscat2/iodine style: data packed as base32 in 52-char labels, a sequence number, under t.exfil.example.
        for (int i = 0; i < 120; i++)
            d.Dns(i * 0.25, "127.66.0.4", Resolver, $"{Base32Chunk(rng, 52)}.{Base32Chunk(rng, 20)}.{i}.t.exfil.example", i % 2 == 0 ? "TXT" : "A", port: 30000 + i);
        d.Detect();
        var a = Assert.Single(d.Alerts("dns_tunnel"));
        Assert.Equal(("MALICIOUS", "127.66.0.4", "exfil.example"), (a.Severity, a.Src, a.Dst));
        Assert.Contains("queried 120 distinct subdomains of exfil.example (120 queries, 60 TXT/NULL)", a.Summary);
        Assert.Equal(1.0, a.Score); // many subdomains, entropy, long labels, TXT volume
        Assert.Equal(120, a.FlowIds.Length);
    }

    [Fact]
    public void TxtVolumeAloneIsSuspicious()
    {
        using var d = new DetectDb();
        for (int i = 0; i < 40; i++) d.Dns(i, "127.66.0.4", Resolver, $"c{i}.cmd.example.org", "TXT", port: 30000 + i);
        d.Detect();
        var a = Assert.Single(d.Alerts("dns_tunnel"));
        Assert.Equal("SUSPICIOUS", a.Severity);
        Assert.Equal(0.5, a.Score);
    }

    [Fact]
    public void ANormalResolverPatternIsNotATunnel()
    {
        using var d = new DetectDb();
        var rng = new Random(8);
        string[] names = ["www.example.com", "mail.example.com", "api.github.com", "fonts.gstatic.com", "www.bbc.co.uk", "news.bbc.co.uk",
            "static.cdn.example.net", "ocsp.digicert.com", "time.cloudflare.com", "d3k9x8qz1w2b.cloudfront.net"];
        // Five clients browsing: lookups at random (exponential) times, a few names over and over.
        for (int c = 1; c <= 5; c++)
        {
            double t = 0;
            for (int i = 0; i < 120; i++)
                d.Dns(t += -Math.Log(1 - rng.NextDouble()) * 10, $"127.20.0.{c}", Resolver, names[rng.Next(names.Length)], rng.Next(3) == 0 ? "AAAA" : "A", port: 20000 + c * 200 + i);
        }
        // A mail server's DNSBL lookups as mail arrives: many distinct subdomains of one zone, but short digit labels.
        double m = 0;
        for (int i = 0; i < 80; i++)
            d.Dns(m += -Math.Log(1 - rng.NextDouble()) * 5, "127.20.0.25", Resolver, $"{rng.Next(1, 255)}.{rng.Next(255)}.{rng.Next(255)}.{rng.Next(1, 224)}.zen.spamhaus.org", port: 21000 + i);
        d.AssertQuiet();
    }

    [Fact]
    public void EntropyIsShannonsOverTheSubdomainCharacters()
    {
        using var d = new DetectDb();
        var subs = Enumerable.Range(0, 32).Select(i => $"abcdabcd.q{i:00}x").ToArray();
        for (int i = 0; i < subs.Length; i++) d.Dns(i * 3.3, "127.66.0.5", Resolver, subs[i] + ".tunnel.example", "NULL", port: 30000 + i);
        d.Detect(DetectionRules.Default with { DnsTunnel = DetectionRules.Default.DnsTunnel with { MinTxtNullQueries = 1000, MinEntropy = 2.8 } });
        var a = Assert.Single(d.Alerts("dns_tunnel"));
        // Oracle: Shannon's H = -Σ p log2 p over the characters of the subdomain without dots, averaged over queries.
        double expected = subs.Average(s =>
        {
            var chars = s.Replace(".", "");
            return -chars.GroupBy(c => c).Sum(g => (double)g.Count() / chars.Length * Math.Log2((double)g.Count() / chars.Length));
        });
        Assert.InRange(expected, 2.8, 3.0); // "abcdabcdq07x": a-d twice, q,0,7,x once → 2.918
        Assert.Contains($"entropy {expected:0.00} bits/char", a.Summary);
    }
}

public sealed class BeaconingRuleTests
{
    [Fact]
    public void ATimerWithJitterAndFixedSizeIsABeacon()
    {
        using var d = new DetectDb();
        var rng = new Random(9);
        for (int i = 0; i < 48; i++)
            d.Flow(i * 60 + rng.NextDouble() * 2, "127.20.0.7", 40000 + i, "127.66.0.9", 8443, origBytes: 310 + rng.Next(0, 4), respBytes: 120, origPkts: 5, respPkts: 4, duration: 0.2);
        d.Detect();
        var a = Assert.Single(d.Alerts("beaconing"));
        Assert.Equal(("SUSPICIOUS", "127.20.0.7", "127.66.0.9"), (a.Severity, a.Src, a.Dst));
        Assert.True(a.Score > 0.9, a.Summary);
        Assert.Matches(@"48 connections every (59\.\d|60(\.\d)?) s", a.Summary);
        Assert.Equal(48, a.FlowIds.Length);
    }

    [Fact]
    public void BrowsingAtRandomTimesIsNotABeacon()
    {
        using var d = new DetectDb();
        var rng = new Random(10);
        double t = 0;
        for (int i = 0; i < 200; i++)
            d.Flow(t += -Math.Log(1 - rng.NextDouble()) * 30, "127.20.0.8", 40000 + i, "127.10.0.1", 443, origBytes: 500 + rng.Next(0, 3000), respBytes: rng.Next(1000, 90000), origPkts: 10, respPkts: 40, duration: 1);
        d.AssertQuiet();
    }

    [Fact]
    public void ScoreComponentsFollowRita()
    {
        // Perfectly regular: intervals and sizes constant → 1. Skewed intervals (many short, few long) lower the skew term.
        long[] even = Enumerable.Range(0, 30).Select(i => i * 10_000_000_000L).ToArray();
        long[] sizes = Enumerable.Repeat(100L, 30).ToArray();
        Assert.Equal(1.0, BeaconScore.Compute(even, sizes).Score, 9);
        var (score, median) = BeaconScore.Regularity([1, 1, 1, 2, 10]);
        Assert.Equal(1, median);
        // Q1 = 1, Q2 = 1, Q3 = 2: Bowley = (2 + 1 - 2) / 1 = 1 → symmetry 0; MAD = median(0,0,0,1,9) = 0 → tightness 1.
        Assert.Equal(0.5, score, 9);
    }
}

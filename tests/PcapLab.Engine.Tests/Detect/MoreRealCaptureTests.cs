using PcapLab.Detect;
using PcapLab.Detect.Rules;
using PcapLab.Ingest;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Detect;

/// <summary>
/// The rules datasets/ does not cover, on real captures recorded by tests/data/detect/record.sh (hping3, vsftpd + curl,
/// a Basic-auth web server + curl, iperf3, curl on a timer) in a private namespace: attackers 127.66.2.x, servers
/// 127.10.0.x, benign clients 127.20.2.x. Each capture holds the attack and benign traffic beside it; the default rules
/// must blame the attacker with the rule's severity and leave the benign client alone.
/// </summary>
public sealed class MoreRealCaptureTests
{
    /// <summary>Ingests tests/data/detect/<paramref name="name"/> into a fresh store, runs the default rules, returns the alerts.</summary>
    private static List<AlertRow> Detect(string name)
    {
        var capture = Path.Combine(Repo.TestData, "detect", name);
        Assert.True(File.Exists(capture), $"missing capture {capture}; record it with tests/data/detect/record.sh");
        using var d = new DetectDb();
        var summary = Ingestor.Load(d.Db, [capture]);
        Assert.True(summary.AllOk, $"{name}: ingest failed: {string.Join("; ", summary.Captures.Select(c => c.Error))}");
        d.Detect();
        return d.Alerts();
    }

    private static string Describe(IEnumerable<AlertRow> alerts) => string.Join(" | ", alerts.Select(a => $"{a.Rule} {a.Severity} {a.Src}→{a.Dst}: {a.Summary}"));

    /// <summary>Asserts exactly one <paramref name="rule"/> alert, from <paramref name="src"/> to <paramref name="dst"/>, and that no alert blames a benign client.</summary>
    private static AlertRow Fires(List<AlertRow> alerts, string rule, string severity, string src, string dst)
    {
        var hits = alerts.Where(a => a.Rule == rule).ToList();
        Assert.True(hits.Count == 1, $"expected one {rule} alert; got: {Describe(alerts)}");
        var a = hits[0];
        Assert.Equal(severity, a.Severity);
        Assert.Equal(src, a.Src);
        Assert.Equal(dst, a.Dst);
        Assert.InRange(a.Score, 0.5, 1.0);
        Assert.NotEmpty(a.FlowIds);
        var blamed = alerts.Where(x => x.Src is { } s && s.StartsWith("127.20.", StringComparison.Ordinal)).ToList();
        Assert.True(blamed.Count == 0, "benign client blamed: " + Describe(blamed));
        return a;
    }

    [Fact]
    public void UdpFloodFromHping3Fires()
    {
        var alerts = Detect("udp-flood.pcap");
        var a = Fires(alerts, "udp_flood", "MALICIOUS", "127.66.2.1", "127.10.0.1");
        // hping3 sent 3000 (tshark agrees); hping3 walks its source port up from a random base, and the 6 datagrams whose
        // source port is a known server port (RADIUS 1812/1813, GTP 2123/2152, STUN 3478, Teredo 3544) are one-packet flows
        // the flow table orients towards that port, Zeek-style, so they count as sent to the attacker instead.
        long pkts = long.Parse(a.Summary.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(pkts, 2990, 3000);
        Assert.Contains(" UDP packets to 127.10.0.1 ", a.Summary);
        Assert.EndsWith("0 answered", a.Summary);
        // The echo service that answered its 20 requests is not flooded.
        Assert.DoesNotContain(alerts, x => x.Dst == "127.10.0.2");
    }

    [Fact]
    public void IcmpFloodFromHping3Fires()
    {
        var alerts = Detect("icmp-flood.pcap");
        var a = Fires(alerts, "icmp_flood", "MALICIOUS", "127.66.2.2", "127.10.0.3");
        Assert.StartsWith("2000 ICMP packets to 127.10.0.3", a.Summary);
        // Five pings to another host are not a flood, and the victim's 2000 echo replies do not make the attacker a victim.
        Assert.DoesNotContain(alerts, x => x.Dst is "127.10.0.4" or "127.66.2.2");
    }

    [Fact]
    public void FtpBruteForceAgainstVsftpdFires()
    {
        var alerts = Detect("ftp-brute.pcap");
        var a = Fires(alerts, "ftp_brute_force", "MALICIOUS", "127.66.2.3", "127.10.0.5");
        Assert.StartsWith("127.66.2.3 made 20 short ftp connections to 127.10.0.5:21", a.Summary);
        Assert.Equal(20, a.FlowIds.Length);
    }

    [Fact]
    public void FtpControlConnectionsAreNamedFtpByTheirBanner()
    {
        // The rule keys on flows.service; vsftpd's "220 (vsFTPd 3.0.3)" banner must name every control connection.
        var capture = Path.Combine(Repo.TestData, "detect", "ftp-brute.pcap");
        using var d = new DetectDb();
        Assert.True(Ingestor.Load(d.Db, [capture]).AllOk);
        Assert.Equal(22L, d.Db.Scalar<long>("SELECT count(*) FROM flows WHERE resp_p = 21 AND service = 'ftp'"));
        Assert.Equal(0L, d.Db.Scalar<long>("SELECT count(*) FROM flows WHERE resp_p = 21 AND coalesce(service, '') <> 'ftp'"));
    }

    [Fact]
    public void HttpAuthBruteForceFiresOnTheGuesserNotOnTheUserWhoMistyped()
    {
        var alerts = Detect("http-auth-brute.pcap");
        var a = Fires(alerts, "http_auth_brute_force", "MALICIOUS", "127.66.2.5", "127.10.0.6");
        Assert.StartsWith("127.66.2.5 got 40 of 41 answers refused by 127.10.0.6 (40 × 401)", a.Summary);
        Assert.DoesNotContain(alerts, x => x.Src == "127.20.2.5");
    }

    [Fact]
    public void HighVolumeFiresOnTheIperf3UploaderFromHeadersOnlyCapture()
    {
        var alerts = Detect("high-volume.pcap");
        var a = Fires(alerts, "high_volume", "SUSPICIOUS", "127.66.2.4", "127.10.0.7");
        Assert.StartsWith("127.66.2.4 sent 6", a.Summary); // 60 MiB of payload plus headers: 62.9+ MB, from a 96-byte snaplen capture
        Assert.Contains("median of 7 sources", a.Summary);
        Assert.Single(alerts);
    }

    [Fact]
    public void BeaconingFiresOnTheTimerNotOnTheReader()
    {
        var alerts = Detect("beaconing.pcap");
        var a = Fires(alerts, "beaconing", "SUSPICIOUS", "127.66.2.6", "127.10.0.8");
        Assert.Contains("26 connections every 2 s (median)", a.Summary);
        Assert.InRange(a.Score, 0.8, 1.0);
        // The reader made 25 connections (enough to be scored) at irregular pauses with a median above 1 s: scored, and quiet.
        Assert.DoesNotContain(alerts, x => x.Src == "127.20.2.6");
    }

    [Fact]
    public void TheIrregularReaderIsScoredAndScoresLow()
    {
        // Quiet for the right reason: the benign pair passes the rule's gates (connections, median interval) and fails on score.
        using var d = new DetectDb();
        Assert.True(Ingestor.Load(d.Db, [Path.Combine(Repo.TestData, "detect", "beaconing.pcap")]).AllOk);
        using var r = d.Db.Query("""
            SELECT list(epoch_ns(ts) ORDER BY ts, flow_id), list(coalesce(orig_bytes, 0) ORDER BY ts, flow_id)
            FROM flows WHERE orig_h = '127.20.2.6' AND resp_h = '127.10.0.8'
            """);
        Assert.True(r.Read());
        long[] starts = ((object?[])r.GetValue(0)!).Select(Convert.ToInt64).ToArray();
        long[] bytes = ((object?[])r.GetValue(1)!).Select(Convert.ToInt64).ToArray();
        var score = BeaconScore.Compute(starts, bytes);
        var rules = DetectionRules.Default.Beaconing;
        Assert.Equal(25, starts.Length);
        Assert.True(starts.Length >= rules.MinConnections && score.MedianIntervalSeconds >= rules.MinMedianIntervalSeconds, $"not scored: {score}");
        Assert.True(score.Score < rules.MinScore, $"the reader looks like a beacon: {score}");
    }
}

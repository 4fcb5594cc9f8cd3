using PcapLab.Detect;
using PcapLab.Ingest;
using PcapLab.Store;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Detect;

/// <summary>
/// Rules over real labeled captures (datasets/&lt;session&gt;/&lt;label&gt;/&lt;scenario&gt;.pcap[ng], recorded with real tools on
/// loopback: attackers 127.66.0.x, servers 127.10.0.x, benign clients 127.20.0.x). A missing capture is a failure
/// that names what is missing, never a skip. PCAPLAB_DATASETS overrides the folder.
/// </summary>
public sealed class RealCaptureTests
{
    private const string AttackerPrefix = "127.66.";

    private static string DatasetsRoot => Environment.GetEnvironmentVariable("PCAPLAB_DATASETS") is { Length: > 0 } p ? p : Repo.Datasets;

    private static List<string> Captures(string label)
    {
        var found = Directory.Exists(DatasetsRoot)
            ? Directory.EnumerateDirectories(DatasetsRoot)
                .Select(session => Path.Combine(session, label))
                .Where(Directory.Exists)
                .SelectMany(dir => Directory.EnumerateFiles(dir))
                .Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        Assert.True(found.Count > 0, $"missing capture: no {DatasetsRoot}/<session>/{label}/<scenario>.pcap[ng]; the '{label}' captures of the labeled dataset must be recorded first");
        return found;
    }

    /// <summary>Ingests one capture into a fresh store, runs the default rules, returns the alerts.</summary>
    private static List<AlertRow> Detect(string capture)
    {
        using var d = new DetectDb();
        var summary = Ingestor.Load(d.Db, [capture]);
        Assert.True(summary.AllOk, $"{capture}: ingest failed: {string.Join("; ", summary.Captures.Select(c => c.Error))}");
        Assert.True(d.Db.Scalar<long>("SELECT count(*) FROM flows") > 0, $"{capture}: no flows ingested");
        d.Detect();
        return d.Alerts();
    }

    private static string Describe(IEnumerable<AlertRow> alerts) => string.Join(" | ", alerts.Select(a => $"{a.Rule} {a.Severity} {a.Src}→{a.Dst}: {a.Summary}"));

    /// <summary>Each capture of <paramref name="label"/> raises at least one of <paramref name="rules"/> from an attacker address with the severity given.</summary>
    private static void EachCaptureFires(string label, string severity, params string[] rules)
    {
        var misses = new List<string>();
        foreach (var capture in Captures(label))
        {
            var alerts = Detect(capture);
            bool hit = alerts.Any(a => rules.Contains(a.Rule) && a.Severity == severity && (a.Src is null || a.Src.StartsWith(AttackerPrefix, StringComparison.Ordinal)));
            if (!hit) misses.Add($"{Path.GetRelativePath(DatasetsRoot, capture)} raised no {string.Join("/", rules)} ({severity}); got: {Describe(alerts)}");
        }
        Assert.True(misses.Count == 0, string.Join(Environment.NewLine, misses));
    }

    [Fact]
    public void PortScanCapturesRaiseAScan() => EachCaptureFires("portscan", "SUSPICIOUS", "vertical_scan", "horizontal_scan", "icmp_sweep");

    [Fact]
    public void SynFloodCapturesRaiseASynFlood() => EachCaptureFires("synflood", "MALICIOUS", "syn_flood");

    [Fact]
    public void BruteForceCapturesRaiseABruteForce() => EachCaptureFires("bruteforce", "MALICIOUS", "ssh_brute_force", "ftp_brute_force", "http_auth_brute_force");

    [Fact]
    public void DnsTunnelCapturesRaiseADnsTunnel() => EachCaptureFires("dnstunnel", "MALICIOUS", "dns_tunnel");

    [Fact]
    public void WebAttackCapturesRaiseAWebAttack() => EachCaptureFires("webattack", "MALICIOUS", "sql_injection", "xss", "path_traversal", "command_injection", "log4shell");

    [Fact]
    public void BenignCapturesRaiseNothingMalicious()
    {
        var noisy = new List<string>();
        foreach (var capture in Captures("benign"))
        {
            var bad = Detect(capture).Where(a => a.Severity == "MALICIOUS").ToList();
            if (bad.Count > 0) noisy.Add($"{Path.GetRelativePath(DatasetsRoot, capture)}: {Describe(bad)}");
        }
        Assert.True(noisy.Count == 0, string.Join(Environment.NewLine, noisy));
    }

    [Fact]
    public void AttackCapturesDoNotBlameBenignClients()
    {
        // Whatever fires on an attack capture, the source is the attacker (or unknown), never a benign client.
        var wrong = new List<string>();
        foreach (var label in new[] { "portscan", "synflood", "bruteforce", "dnstunnel", "webattack" })
            foreach (var capture in Captures(label))
                wrong.AddRange(Detect(capture).Where(a => a.Severity == "MALICIOUS" && a.Src is { } s && s.StartsWith("127.20.", StringComparison.Ordinal))
                    .Select(a => $"{Path.GetRelativePath(DatasetsRoot, capture)}: {a.Rule} {a.Src}→{a.Dst}: {a.Summary}"));
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }
}

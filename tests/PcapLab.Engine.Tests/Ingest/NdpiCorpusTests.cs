using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using PcapLab.Ingest;
using PcapLab.Store;
using PcapLab.Testing;
using Xunit.Abstractions;

namespace PcapLab.Engine.Tests.Ingest;

/// <summary>
/// Ingests every capture of nDPI's test corpus (../shared/corpus/ndpi, 543 real files of every kind, some malformed)
/// and cross-checks our flows against the flows nDPI's own ndpiReader listed for each file.
/// </summary>
public partial class NdpiCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_corpus_capture_ingests_and_flows_agree_with_ndpi()
    {
        var corpus = Repo.NdpiCorpus ?? throw new InvalidOperationException("the nDPI corpus is missing: expected ../shared/corpus/ndpi beside the clone (or PCAPLAB_SHARED)");
        var captures = Directory.GetFiles(Path.Combine(corpus, "pcap")).Where(f => !f.EndsWith(".txt")).Order(StringComparer.Ordinal).ToArray();
        Assert.True(captures.Length >= 500, $"expected the whole corpus, found {captures.Length} files");

        using var lab = new Lab();
        var summary = lab.Load(captures, new IngestOptions { Reload = true });
        Assert.Equal(captures.Length, summary.Captures.Count);
        var failed = summary.Captures.Where(c => c.Status != "ok").ToList();
        foreach (var c in failed) output.WriteLine($"{c.Status}: {c.Error}");
        // Files that stop early still keep the packets read before the fault.
        Assert.All(failed, c => Assert.Contains(Path.GetFileName(c.Path), c.Error));

        // nDPI's expected flows, one row per TCP/UDP flow line of each result file.
        lab.Execute("CREATE TABLE ndpi (file VARCHAR, proto VARCHAR, a VARCHAR, ap INTEGER, b VARCHAR, bp INTEGER, pkts BIGINT)");
        using (var app = lab.Connection.CreateAppender("ndpi"))
            foreach (var cap in captures)
            {
                var result = Path.Combine(corpus, "result", Path.GetFileName(cap) + ".out");
                if (!File.Exists(result)) continue;
                foreach (var line in File.ReadLines(result))
                {
                    var m = FlowLine().Match(line);
                    if (!m.Success) continue;
                    app.AppendRow(Path.GetFileName(cap), m.Groups["proto"].Value.ToLowerInvariant(), Canonical(m.Groups["a"].Value), int.Parse(m.Groups["ap"].Value),
                        Canonical(m.Groups["b"].Value), int.Parse(m.Groups["bp"].Value),
                        long.Parse(m.Groups["p1"].Value, CultureInfo.InvariantCulture) + long.Parse(m.Groups["p2"].Value, CultureInfo.InvariantCulture));
                }
            }
        lab.Execute("""
            CREATE TABLE ours AS
            SELECT regexp_extract(c.path, '[^/]+$') AS file, f.proto,
                   least(f.orig_h || '|' || f.orig_p, f.resp_h || '|' || f.resp_p) AS e1,
                   greatest(f.orig_h || '|' || f.orig_p, f.resp_h || '|' || f.resp_p) AS e2,
                   sum(f.orig_pkts + f.resp_pkts) AS pkts
            FROM flows f JOIN captures c USING (capture_id) WHERE f.proto IN ('tcp', 'udp') GROUP BY ALL;
            CREATE TABLE theirs AS
            SELECT file, proto, least(a || '|' || ap, b || '|' || bp) AS e1, greatest(a || '|' || ap, b || '|' || bp) AS e2, sum(pkts) AS pkts
            FROM ndpi WHERE proto IN ('tcp', 'udp') GROUP BY ALL;
            """);
        long theirs = lab.Scalar<long>("SELECT count(*) FROM theirs");
        long found = lab.Scalar<long>("SELECT count(*) FROM theirs t WHERE EXISTS (SELECT 1 FROM ours o WHERE o.file = t.file AND o.proto = t.proto AND o.e1 = t.e1 AND o.e2 = t.e2)");
        long ours = lab.Scalar<long>("SELECT count(*) FROM ours");
        long samePackets = lab.Scalar<long>("SELECT count(*) FROM theirs t JOIN ours o USING (file, proto, e1, e2) WHERE o.pkts = t.pkts");
        long packetsTotal = lab.Scalar<long>("SELECT sum(packets) FROM captures");
        output.WriteLine($"{captures.Length} files, {packetsTotal} packets, {failed.Count} stopped early; nDPI lists {theirs} TCP/UDP endpoint pairs, " +
                         $"we have {found} of them ({100.0 * found / theirs:F1}%), with equal packet counts for {samePackets}; we list {ours} pairs");
        foreach (var row in lab.Query("""
                SELECT t.file, count(*) AS missing FROM theirs t
                WHERE NOT EXISTS (SELECT 1 FROM ours o WHERE o.file = t.file AND o.proto = t.proto AND o.e1 = t.e1 AND o.e2 = t.e2)
                GROUP BY 1 ORDER BY 2 DESC LIMIT 15
                """).Rows)
            output.WriteLine($"  missing from ours: {row[0]}: {row[1]}");

        // The same connections, seen by two independent dissectors: nearly all of nDPI's flows must be ours too,
        // and where both count the same flow, nearly always the same number of packets.
        Assert.True(found >= theirs * 0.97, $"only {found} of nDPI's {theirs} TCP/UDP flows found");
        Assert.True(samePackets >= found * 0.90, $"packet counts agree for only {samePackets} of {found} common flows");
        Assert.Equal(0L, lab.Scalar<long>("SELECT count(*) FROM packets WHERE ip_version IS NOT NULL AND flow_id IS NULL AND ip_frag_offset IS NULL"));
    }

    private static string Canonical(string address)
    {
        var a = address.Trim('[', ']');
        return IPAddress.TryParse(a, out var ip) ? PcapLab.Dissect.IpAddr.Parse(ip.ToString()).ToString() : a;
    }

    [GeneratedRegex(@"^\s+\d+\s+(?<proto>TCP|UDP)\s+(?<a>\S+):(?<ap>\d+)\s+<?->\s+(?<b>\S+):(?<bp>\d+)\s.*?\[(?<p1>\d+) pkts/\d+ bytes <?-> (?<p2>\d+) pkts/\d+ bytes\]")]
    private static partial Regex FlowLine();
}

using System.Text.RegularExpressions;
using PcapLab.Testing;
using Xunit.Abstractions;

namespace PcapLab.Engine.Tests.Records;

/// <summary>The nDPI corpus (real captures from many sources): the parsers never throw, and TLS fingerprints agree with ndpiReader's.</summary>
public partial class CorpusTests(ITestOutputHelper output)
{
    private static string Corpus => Repo.NdpiCorpus ?? throw new InvalidOperationException("the nDPI corpus (../shared/corpus/ndpi) is missing");

    [Fact]
    public void Every_corpus_capture_runs_without_exceptions()
    {
        int files = 0, dns = 0, http = 0, tls = 0, ssh = 0, weirds = 0;
        foreach (var path in Directory.GetFiles(Path.Combine(Corpus, "pcap")).Where(f => !f.EndsWith(".txt")).Order())
        {
            var c = TestPipeline.Run(path);
            files++; dns += c.Dns.Count; http += c.Http.Count; tls += c.Tls.Count; ssh += c.Ssh.Count; weirds += c.Weirds.Count;
        }
        output.WriteLine($"files={files} dns={dns} http={http} tls={tls} ssh={ssh} weirds={weirds}");
        Assert.True(files > 500);
        Assert.True(dns > 1000 && http > 100 && tls > 100 && ssh > 0);
    }

    [GeneratedRegex(@"^\s*\d+\s+TCP\s+(\S+) <?-> (\S+) .*?\[JA3C: ([0-9a-f]{32})\]\[JA4: ([a-z0-9_]+)\]")]
    private static partial Regex NdpiTlsLine();

    /// <summary>Per flow, our JA3 and JA4 against ndpiReader's JA3C and JA4 for every TLS-over-TCP flow in the corpus results.</summary>
    [Fact]
    public void Ja3_and_ja4_match_ndpi_results()
    {
        int compared = 0, ja3Diff = 0, ja4Diff = 0, exact = 0;
        var diffs = new List<string>();
        foreach (var result in Directory.GetFiles(Path.Combine(Corpus, "result"), "*.out").Order())
        {
            var expected = new Dictionary<(string, string), (string Ja3, string Ja4)>();
            foreach (var line in File.ReadLines(result))
            {
                var m = NdpiTlsLine().Match(line);
                if (m.Success) expected[Endpoints(m.Groups[1].Value, m.Groups[2].Value)] = (m.Groups[3].Value, m.Groups[4].Value);
            }
            if (expected.Count == 0) continue;
            var pcap = Path.Combine(Corpus, "pcap", Path.GetFileNameWithoutExtension(result));
            if (!File.Exists(pcap)) continue;
            var c = TestPipeline.Run(pcap);
            foreach (var t in c.Tls)
            {
                if (t.Ja4 == null) continue;
                var (o, r, _) = c.Flows[t.FlowId];
                if (!expected.TryGetValue(Endpoints(o, r), out var e)) continue;
                compared++;
                if (e.Ja3 != t.Ja3) { ja3Diff++; diffs.Add($"{Path.GetFileName(pcap)} {o}->{r} ja3 {t.Ja3} ndpi {e.Ja3}"); }
                if (Ja4Core(e.Ja4) != Ja4Core(t.Ja4)) { ja4Diff++; diffs.Add($"{Path.GetFileName(pcap)} {o}->{r} ja4 {t.Ja4} ndpi {e.Ja4}"); }
                if (e.Ja4 == t.Ja4) exact++;
            }
        }
        foreach (var d in diffs.Take(60)) output.WriteLine(d);
        output.WriteLine($"compared={compared} ja3Diff={ja3Diff} ja4Diff={ja4Diff} ja4Exact={exact}");
        Assert.True(compared > 100);
        Assert.Equal(0, ja3Diff);
        Assert.Equal(0, ja4Diff);
    }

    /// <summary>
    /// The parts of JA4 where ndpiReader (at the corpus commit) follows FoxIO's specification: protocol, cipher and
    /// extension counts, and both hashes. It departs from the spec elsewhere, so those parts are checked against
    /// FoxIO's own published vectors instead (<see cref="Ja4VectorTests"/>): it prints the first two ALPN characters
    /// ("ht" for http/1.1, where FoxIO prints "h1"), decides d/i differently, and hashes an empty extension list as
    /// SHA-256("") (e3b0c44298fc) where FoxIO prints 000000000000. For QUIC it prints version "00", outside the core too.
    /// </summary>
    internal static string Ja4Core(string ja4)
    {
        var parts = ja4.Split('_');
        if (parts.Length != 3 || parts[0].Length < 10) return ja4;
        string c = parts[2] == "e3b0c44298fc" ? "000000000000" : parts[2];
        return $"{parts[0][0]}{parts[0][4..8]}_{parts[1]}_{c}";
    }

    [GeneratedRegex(@"^\s*\d+\s+(TCP|UDP)\s+(\S+) <?-> (\S+) \[proto: [0-9.]+/([A-Za-z_0-9]+)[^\]]*\].*\[Confidence: DPI\]")]
    private static partial Regex NdpiFlowLine();

    private static readonly Dictionary<string, string> NdpiToZeek = new()
    {
        ["HTTP"] = "http", ["TLS"] = "ssl", ["DNS"] = "dns", ["QUIC"] = "quic", ["DHCP"] = "dhcp", ["NTP"] = "ntp",
        ["SSH"] = "ssh", ["SMTP"] = "smtp", ["FTP_CONTROL"] = "ftp",
    };

    /// <summary>Our payload-based service against ndpiReader's DPI classification, per flow, over the whole corpus.</summary>
    [Fact]
    public void Service_detection_agrees_with_ndpi()
    {
        var agree = new Dictionary<string, int>(); var total = new Dictionary<string, int>();
        var misses = new List<string>();
        foreach (var result in Directory.GetFiles(Path.Combine(Corpus, "result"), "*.out").Order())
        {
            var expected = new Dictionary<(string, string), string>();
            foreach (var line in File.ReadLines(result))
            {
                var m = NdpiFlowLine().Match(line);
                if (m.Success && NdpiToZeek.TryGetValue(m.Groups[4].Value, out var svc))
                    expected[Endpoints(m.Groups[1].Value + m.Groups[2].Value, m.Groups[1].Value + m.Groups[3].Value)] = svc;
            }
            if (expected.Count == 0) continue;
            var pcap = Path.Combine(Corpus, "pcap", Path.GetFileNameWithoutExtension(result));
            if (!File.Exists(pcap)) continue;
            var c = TestPipeline.Run(pcap);
            foreach (var (id, (o, r, proto)) in c.Flows)
            {
                string pn = proto == 6 ? "TCP" : "UDP";
                if (!expected.TryGetValue(Endpoints(pn + o, pn + r), out var want)) continue;
                total[want] = total.GetValueOrDefault(want) + 1;
                c.Services.TryGetValue(id, out var got);
                if (got == want) agree[want] = agree.GetValueOrDefault(want) + 1;
                else misses.Add($"{Path.GetFileName(pcap)} {o}->{r} ndpi={want} ours={got}");
            }
        }
        foreach (var k in total.Keys.Order()) output.WriteLine($"{k}: {agree.GetValueOrDefault(k)}/{total[k]}");
        foreach (var m in misses.Take(80)) output.WriteLine(m);
        foreach (var k in total.Keys)
            Assert.True(agree.GetValueOrDefault(k) >= 0.9 * total[k], $"{k}: {agree.GetValueOrDefault(k)}/{total[k]}");
    }

    private static (string, string) Endpoints(string a, string b)
    {
        a = Normalize(a); b = Normalize(b);
        return string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }

    // ndpiReader writes IPv6 endpoints as [addr]:port; IpAddr.ToString gives addr:port here.
    private static string Normalize(string ep) => ep.Replace("[", "").Replace("]", "");
}

using System.Text.RegularExpressions;
using PcapLab.Testing;
using Xunit.Abstractions;

namespace PcapLab.Engine.Tests.Records;

/// <summary>
/// tls rows for QUIC and DTLS flows of the nDPI corpus against two oracles nobody here wrote: ndpiReader's result
/// files (SNI, JA3C, JA4 per flow) and tshark's own QUIC Initial decryption and DTLS dissection.
/// </summary>
public partial class QuicDtlsCorpusTests(ITestOutputHelper output)
{
    private static string Corpus => Repo.NdpiCorpus ?? throw new InvalidOperationException("the nDPI corpus (../shared/corpus/ndpi) is missing");

    [GeneratedRegex(@"^\s*\d+\s+UDP\s+(\S+) <?-> (\S+) .*?\[JA3C: ([0-9a-f]{32})\]\[JA4: ([qd][a-z0-9_]+)\]")]
    private static partial Regex NdpiUdpTlsLine();

    [GeneratedRegex(@"\[Hostname/SNI: ([^\]]*)\]")]
    private static partial Regex NdpiSni();

    /// <summary>Every QUIC (JA4 'q') and DTLS (JA4 'd') flow for which ndpiReader gives a fingerprint: same SNI, JA3 and JA4 (core) from our row.</summary>
    [Fact]
    public void Sni_ja3_and_ja4_match_ndpi_for_every_quic_and_dtls_flow()
    {
        int compared = 0;
        var diffs = new List<string>();
        foreach (var result in Directory.GetFiles(Path.Combine(Corpus, "result"), "*.out").Order())
        {
            var expected = new Dictionary<(string, string), (string? Sni, string Ja3, string Ja4)>();
            foreach (var line in File.ReadLines(result))
            {
                var m = NdpiUdpTlsLine().Match(line);
                if (!m.Success) continue;
                var sni = NdpiSni().Match(line);
                expected[Endpoints(m.Groups[1].Value, m.Groups[2].Value)] = (sni.Success ? sni.Groups[1].Value : null, m.Groups[3].Value, m.Groups[4].Value);
            }
            if (expected.Count == 0) continue;
            var file = Path.GetFileNameWithoutExtension(result);
            var c = TestPipeline.Run(Path.Combine(Corpus, "pcap", file));
            var ours = c.Tls.Where(t => c.Flows.TryGetValue(t.FlowId, out var f) && f.Proto == 17)
                .ToDictionary(t => Endpoints(c.Flows[t.FlowId].Orig, c.Flows[t.FlowId].Resp));
            foreach (var (ep, e) in expected)
            {
                compared++;
                if (!ours.TryGetValue(ep, out var t)) { diffs.Add($"{file} {ep}: no tls row (ndpi {e.Ja4})"); continue; }
                if (e.Sni != null && e.Sni != t.ServerName) diffs.Add($"{file} {ep}: sni {t.ServerName} ndpi {e.Sni}");
                if (e.Ja3 != t.Ja3) diffs.Add($"{file} {ep}: ja3 {t.Ja3} ndpi {e.Ja3}");
                if (Ja4Core(e.Ja4) != Ja4Core(t.Ja4 ?? "")) diffs.Add($"{file} {ep}: ja4 {t.Ja4} ndpi {e.Ja4}");
            }
        }
        foreach (var d in diffs) output.WriteLine(d);
        output.WriteLine($"compared={compared} diffs={diffs.Count}");
        Assert.True(compared > 20);
        Assert.Empty(diffs);
    }

    /// <summary>
    /// As CorpusTests.Ja4Core: the parts of JA4 where ndpiReader follows FoxIO (protocol, counts, both hashes); it prints
    /// version "00" for QUIC, takes the first two ALPN characters, and hashes an empty list as SHA-256("").
    /// </summary>
    private static string Ja4Core(string ja4)
    {
        var parts = ja4.Split('_');
        if (parts.Length != 3 || parts[0].Length < 10) return ja4;
        string c = parts[2] == "e3b0c44298fc" ? "000000000000" : parts[2];
        return $"{parts[0][0]}{parts[0][4..8]}_{parts[1]}_{c}";
    }

    private static (string, string) Endpoints(string a, string b)
    {
        a = Normalize(a); b = Normalize(b);
        return string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }

    // ndpiReader writes [v6]:port and shortens a single zero group to "::"; compare parsed addresses.
    private static string Normalize(string ep)
    {
        int colon = ep.LastIndexOf(':');
        return System.Net.IPAddress.Parse(ep[..colon].Trim('[', ']')) + ep[colon..];
    }
}

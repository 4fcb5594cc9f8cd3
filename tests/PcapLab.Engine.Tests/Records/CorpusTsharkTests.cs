using PcapLab.Testing;
using Xunit.Abstractions;

namespace PcapLab.Engine.Tests.Records;

/// <summary>tshark as the oracle on real third-party captures from the nDPI corpus (DNS, HTTP, TLS fields).</summary>
public class CorpusTsharkTests(ITestOutputHelper output)
{
    private static string Pcap(string name) =>
        Path.Combine(Repo.NdpiCorpus ?? throw new InvalidOperationException("the nDPI corpus is missing"), "pcap", name);

    private static List<string> Multiset(IEnumerable<string> xs) => [.. xs.Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("dns.pcap")]
    [InlineData("dns_long_domainname.pcap")]
    [InlineData("dns-tunnel-iodine.pcap")]
    [InlineData("dns_exfiltration.pcap")]
    [InlineData("dns_fragmented.pcap")]
    public void Dns_queries_and_answers_match_tshark(string file)
    {
        var path = Pcap(file);
        var ours = TestPipeline.Run(path);
        var t = Tshark.Fields(path, "dns && !mdns && udp", "dns.flags.response", "dns.id", "dns.qry.name", "dns.a", "dns.count.answers");
        // One row per query (Zeek's pairing): tshark's queries, plus responses whose query was not captured.
        var queryIds = t.Where(r => r[0] == "0").Select(r => r[1] + " " + r[2]).ToHashSet();
        var expected = t.Where(r => r[0] == "0").Select(r => r[1] + " " + r[2])
            .Concat(t.Where(r => r[0] == "1" && !queryIds.Contains(r[1] + " " + r[2])).Select(r => r[1] + " " + r[2]));
        var mine = ours.Dns.Where(d => d.Proto == "udp").Select(d => "0x" + d.TransId.ToString("x4") + " " + d.Query);
        Assert.NotEmpty(t);
        // Binary labels: tshark prints replacement characters, we escape them as \xNN like Zeek; compare the rest.
        static bool Printable(string s) => s.All(ch => ch >= 0x20 && ch < 0x7f) && !s.Contains("\\x");
        Assert.Equal(Multiset(expected.Distinct().Where(Printable)), Multiset(mine.Distinct().Where(Printable)));
        Assert.Equal(expected.Distinct().Count(), mine.Distinct().Count());
        var expectedA = t.Where(r => r[0] == "1" && r[3].Length > 0).SelectMany(r => r[3].Split(',')).ToHashSet();
        var mineA = ours.Dns.Where(d => d.Proto == "udp").SelectMany(d => d.Answers).Where(a => System.Net.IPAddress.TryParse(a, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).ToHashSet();
        // tshark's dns.a also lists additional-section glue; Zeek's answers (and ours) are the answer section only.
        Assert.Subset(expectedA, mineA);
        foreach (var r in t.Where(r => r[0] == "1"))
        {
            var rec = ours.Dns.FirstOrDefault(d => d.IsResponse && "0x" + d.TransId.ToString("x4") == r[1] && d.Query == r[2]);
            if (rec == null) continue; // a binary name (compared by count above)
            Assert.Equal(int.Parse(r[4]), rec.Answers.Length);
        }
        output.WriteLine($"{file}: {ours.Dns.Count} dns rows, {expectedA.Count} A answers");
    }

    [Theory]
    [InlineData("http.pcapng")]
    [InlineData("http_asymmetric.pcapng")]
    [InlineData("http_connect.pcap")]
    [InlineData("1kxun.pcap")]
    [InlineData("http-lines-split.pcap")]
    public void Http_requests_match_tshark(string file)
    {
        var path = Pcap(file);
        var ours = TestPipeline.Run(path);
        var t = Tshark.Fields(path, "http.request && tcp", "http.request.method", "http.request.uri", "http.host");
        Assert.NotEmpty(t);
        var expected = t.Select(r => string.Join(" ", r));
        var mine = ours.Http.Where(h => h.Method != null).Select(h => $"{h.Method} {h.Uri} {h.Host}");
        Assert.Equal(Multiset(expected), Multiset(mine));
        // Interim 1xx responses (except 101) are not transactions of their own, as in Zeek's http.log.
        var codes = Tshark.Fields(path, "http.response && tcp", "http.response.code").Select(r => r[0]).Where(c => c == "101" || c[0] != '1');
        var myCodes = ours.Http.Where(h => h.StatusCode != null).Select(h => h.StatusCode!.Value.ToString()).ToList();
        foreach (var g in codes.Concat(myCodes).Distinct().Order())
            output.WriteLine($"status {g}: tshark {codes.Count(c => c == g)} ours {myCodes.Count(c => c == g)}");
        // Every response tshark dissects is ours too. We may find a few more: after a capture gap we resynchronise on the
        // next status line, where tshark shows the rest of the stream as "Continuation".
        foreach (var g in codes.Distinct()) Assert.True(myCodes.Count(c => c == g) >= codes.Count(c => c == g), "status " + g);
        Assert.True(myCodes.Count <= codes.Count() * 1.05 + 1);
        output.WriteLine($"{file}: {ours.Http.Count} http rows");
    }

    [Theory]
    [InlineData("tls-esni-fuzzed.pcap")]
    [InlineData("tls_invalid_reads.pcap")]
    [InlineData("443-safari.pcap")]
    [InlineData("443-firefox.pcap")]
    [InlineData("tls_long_cert.pcap")]
    [InlineData("1kxun.pcap")]
    public void Tls_client_hellos_match_tshark(string file)
    {
        var path = Pcap(file);
        var ours = TestPipeline.Run(path);
        var t = Tshark.Fields(path, "tls.handshake.type == 1 && tcp && !gtp", "tls.handshake.extensions_server_name", "tls.handshake.ja3_full");
        Assert.NotEmpty(t);
        // tshark writes "v,ciphers," for a hello without an extension block; the JA3 README keeps all five fields ("v,ciphers,,,").
        static string Ja3Of(string full) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(
            System.Text.Encoding.ASCII.GetBytes(full + new string(',', Math.Max(0, 4 - full.Count(ch => ch == ','))))));
        var expected = t.Select(r => r[0] + " " + Ja3Of(r[1]));
        // The test harness does not decapsulate tunnels (GTP); the real dissector does.
        var mine = ours.Tls.Where(x => x.Ja3 != null).Select(x => (x.ServerName ?? "") + " " + x.Ja3);
        Assert.Equal(Multiset(expected), Multiset(mine));
        var servers = Tshark.Fields(path, "tls.handshake.type == 2 && tcp && !gtp", "tls.handshake.ja3s").Select(r => r[0]);
        Assert.Equal(Multiset(servers), Multiset(ours.Tls.Where(x => x.Ja3s != null).Select(x => x.Ja3s!)));
        output.WriteLine($"{file}: {ours.Tls.Count} tls rows");
    }
}

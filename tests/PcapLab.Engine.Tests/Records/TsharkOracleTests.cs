using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Records;

/// <summary>Records from real loopback captures compared field by field with tshark's dissection of the same files.</summary>
public class TsharkOracleTests
{
    private static string Data(string name) => Path.Combine(Repo.TestData, "records", name);

    [Theory]
    [InlineData("dns.pcap")]
    [InlineData("frag.pcap")]
    public void Dns_matches_tshark(string file)
    {
        var path = Data(file);
        var ours = TestPipeline.Run(path);
        var queries = Tshark.Fields(path, "dns.flags.response == 0", "dns.id", "dns.qry.name", "dns.qry.type");
        var responses = Tshark.Fields(path, "dns.flags.response == 1", "dns.id", "dns.qry.name", "dns.qry.type", "dns.flags.rcode", "dns.a", "dns.aaaa", "dns.cname", "dns.ptr.domain_name", "dns.mx.mail_exchange", "dns.txt");
        Assert.NotEmpty(queries);
        Assert.Equal(queries.Count, ours.Dns.Count);
        Assert.All(ours.Dns, r => Assert.True(r.IsResponse));
        foreach (var t in responses)
        {
            ushort id = Convert.ToUInt16(t[0], 16);
            var r = Assert.Single(ours.Dns, d => d.TransId == id && d.Query == t[1]);
            Assert.Equal(t[2], r.QType.ToString());
            Assert.Equal(t[3], r.Rcode.ToString());
            var expected = new List<string>();
            foreach (var col in t[4..9]) if (col.Length > 0) expected.AddRange(col.Split(','));
            // One TXT record per response in these captures: Zeek renders its strings as one answer, "TXT n s TXT n s ...".
            if (t[9].Length > 0) expected.Add(string.Join(" ", t[9].Split(',').Select(txt => $"TXT {txt.Length} {txt}")));
            Assert.Equal(expected.Order(), r.Answers.Order());
            Assert.Equal(r.Answers.Length, r.TTLs.Length);
        }
        Assert.All(ours.Services.Values, s => Assert.Equal("dns", s));
        Assert.Empty(ours.Weirds);
    }

    [Fact]
    public void Dns_over_tcp_is_parsed()
    {
        var ours = TestPipeline.Run(Data("dns.pcap"));
        Assert.Equal(2, ours.Dns.Count(d => d.Proto == "tcp" && d.IsResponse));
        Assert.Contains(ours.Dns, d => d.Proto == "tcp" && d.QTypeName == "MX" && d.Answers.SequenceEqual(["mail.pcaplab.test"]));
        Assert.Contains(ours.Dns, d => d.QTypeName == "A" && d.Query == "alias.pcaplab.test" && d.Answers.SequenceEqual(["www.pcaplab.test", "10.1.2.3"]));
        Assert.Contains(ours.Dns, d => d.RcodeName == "REFUSED" && d.Rejected);
    }

    [Fact]
    public void Fragmented_dns_is_reassembled_for_ipv4_and_ipv6()
    {
        var ours = TestPipeline.Run(Data("frag.pcap"));
        var big = ours.Dns.Where(d => d.Query == "big.pcaplab.test").ToList();
        Assert.Equal(2, big.Count);
        Assert.All(big, d => Assert.Equal(12, Assert.Single(d.Answers).Split("TXT 250 ").Length - 1));
    }

    [Fact]
    public void Http_matches_tshark()
    {
        var path = Data("http.pcap");
        var ours = TestPipeline.Run(path);
        var reqs = Tshark.Fields(path, "http.request", "frame.number", "http.request.method", "http.request.uri", "http.host", "http.user_agent", "http.referer", "http.request.version");
        var resps = Tshark.Fields(path, "http.response", "http.response.code", "http.content_type", "http.request_in");
        // tshark aggregates pipelined requests of one frame into comma-separated values: expand them.
        var expected = new List<string[]>();
        foreach (var t in reqs)
        {
            var cols = t.Select(c => c.Split(',')).ToArray();
            int n = cols[1].Length;
            for (int k = 0; k < n; k++) expected.Add(cols.Select(c => c.Length == n ? c[k] : c.Length == 1 ? c[0] : "").ToArray());
        }
        Assert.Equal(5, expected.Count);
        Assert.Equal(expected.Count, ours.Http.Count);
        var ordered = ours.Http.OrderBy(h => h.FrameNo).ThenBy(h => h.TransDepth).ToList();
        for (int i = 0; i < expected.Count; i++)
        {
            var t = expected[i]; var h = ordered[i];
            Assert.Equal(long.Parse(t[0]), h.FrameNo);
            Assert.Equal(t[1], h.Method);
            Assert.Equal(t[2], h.Uri);
            Assert.Equal(t[3], h.Host ?? "");
            Assert.Equal(t[4], h.UserAgent ?? "");
            Assert.Equal(t[5], h.Referrer ?? "");
            Assert.Equal(t[6], "HTTP/" + h.Version);
        }
        // tshark links only the first of two pipelined requests sharing a frame to its response: the next one inherits it.
        for (int i = 1; i < resps.Count; i++) if (resps[i][2] == "") resps[i][2] = resps[i - 1][2];
        foreach (var g in resps.GroupBy(t => long.Parse(t[2])))
        {
            var mine = ours.Http.Where(x => x.FrameNo == g.Key).OrderBy(x => x.TransDepth).ToList();
            Assert.Equal(g.Select(t => t[0]), mine.Select(h => h.StatusCode.ToString()));
            Assert.Equal(g.Select(t => t[1]), mine.Select(h => h.RespMimeTypes ?? ""));
        }
        // Pipelining: two requests in one segment, answered in order on one connection.
        var pipelined = ours.Http.GroupBy(h => h.FlowId).Single(g => g.Count() == 2).OrderBy(h => h.TransDepth).ToList();
        Assert.Equal(["/", "/x"], pipelined.Select(h => h.Uri));
        Assert.Equal([1, 2], pipelined.Select(h => h.TransDepth));
        Assert.Equal(3, pipelined[1].ResponseBodyLen); // "xx\n"
        Assert.Equal(14, pipelined[0].ResponseBodyLen); // "hello pcaplab\n"
        var head = Assert.Single(ours.Http, h => h.Method == "HEAD");
        Assert.Equal(0, head.ResponseBodyLen);
        var post = Assert.Single(ours.Http, h => h.Method == "POST");
        Assert.Equal(7, post.RequestBodyLen);
        Assert.Equal("application/json", post.OrigMimeTypes);
        Assert.Equal(501, post.StatusCode);
        Assert.True(post.ResponseBodyLen > 0);
        Assert.All(ours.Services.Values, s => Assert.Equal("http", s));
        Assert.Empty(ours.Weirds);
    }

    [Fact]
    public void Tls_matches_tshark_ja3_sni_alpn()
    {
        var path = Data("tls.pcap");
        var ours = TestPipeline.Run(path);
        var hellos = Tshark.Fields(path, "tls.handshake.type == 1", "tls.handshake.extensions_server_name", "tls.handshake.ja3", "tls.handshake.ja3_full", "tls.handshake.extensions_alpn_str");
        var servers = Tshark.Fields(path, "tls.handshake.type == 2", "tls.handshake.ja3s", "tls.handshake.extensions_alpn_str", "tls.handshake.ciphersuite");
        Assert.Equal(3, hellos.Count);
        Assert.Equal(hellos.Count, ours.Tls.Count);
        var recs = ours.Tls.OrderBy(t => t.FrameNo).ToList();
        for (int i = 0; i < hellos.Count; i++)
        {
            Assert.Equal(hellos[i][0], recs[i].ServerName);
            Assert.Equal(hellos[i][1], recs[i].Ja3);
            Assert.Equal(hellos[i][3], string.Join(",", recs[i].ClientAlpn));
            Assert.Equal(servers[i][0], recs[i].Ja3s);
            Assert.Equal(servers[i][1], recs[i].NextProtocol ?? "");
            Assert.Equal(Convert.ToUInt16(servers[i][2], 16), Convert.ToUInt16(CipherHex(recs[i].Cipher!), 16));
            Assert.True(recs[i].Established);
        }
        Assert.Equal("TLSv13", recs[0].Version);
        Assert.Equal("TLSv12", recs[1].Version);
        Assert.All(ours.Services.Values, s => Assert.Equal("ssl", s));
        Assert.Empty(ours.Weirds);
    }

    private static string CipherHex(string name) => name switch
    {
        "TLS_AES_256_GCM_SHA384" => "0x1302", "TLS_AES_128_GCM_SHA256" => "0x1301",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" => "0xc030", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" => "0xc02f",
        _ => name,
    };

    [Fact]
    public void Ssh_banners_match_tshark()
    {
        var path = Data("ssh.pcap");
        var ours = TestPipeline.Run(path);
        var banners = Tshark.Fields(path, "ssh.protocol", "ssh.protocol", "tcp.srcport");
        var r = Assert.Single(ours.Ssh);
        Assert.Equal(2, banners.Count);
        Assert.Equal(banners.Single(b => b[1] != "12222")[0], r.Client);
        Assert.Equal(banners.Single(b => b[1] == "12222")[0], r.Server);
        Assert.Equal(2, r.Version);
        Assert.Equal("ssh", Assert.Single(ours.Services.Values));
    }
}

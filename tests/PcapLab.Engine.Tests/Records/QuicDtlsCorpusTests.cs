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
                if (CorpusTests.Ja4Core(e.Ja4) != CorpusTests.Ja4Core(t.Ja4 ?? "")) diffs.Add($"{file} {ep}: ja4 {t.Ja4} ndpi {e.Ja4}");
            }
        }
        foreach (var d in diffs) output.WriteLine(d);
        output.WriteLine($"compared={compared} diffs={diffs.Count}");
        Assert.True(compared > 20);
        Assert.Empty(diffs);
    }

    /// <summary>
    /// tshark decrypts QUIC Initials and dissects DTLS itself: the distinct (SNI, JA3) pairs of its ClientHellos over UDP
    /// are exactly those of our tls rows. Left out: quic-forcing-vn-with-data.pcapng, where tshark 4.0 cannot decrypt the v1
    /// Initial that follows Version Negotiation (its expert info says the tag check failed) while ndpiReader and we read
    /// the same hello (checked in <see cref="Sni_ja3_and_ja4_match_ndpi_for_every_quic_and_dtls_flow"/>).
    /// </summary>
    [Theory]
    [InlineData("quic-23.pcap")] [InlineData("quic-24.pcap")] [InlineData("quic-27.pcap")] [InlineData("quic-28.pcap")]
    [InlineData("quic-29.pcap")] [InlineData("quic-33.pcapng")] [InlineData("quic-34.pcap")] [InlineData("quic-v2.pcapng")]
    [InlineData("quic-mvfst-22.pcap")] [InlineData("quic-mvfst-27.pcapng")]
    [InlineData("quic-mvfst-exp.pcap")] [InlineData("quic_0RTT.pcap")] [InlineData("quic_crypto_aes_auth_size.pcap")]
    [InlineData("quic_frags_ch_in_multiple_packets.pcapng")] [InlineData("quic_frags_ch_out_of_order_same_packet_craziness.pcapng")]
    [InlineData("quic_frags_different_dcid.pcapng")] [InlineData("quic_t50.pcap")] [InlineData("quic_t51.pcap")]
    [InlineData("quic_interop_V.pcapng")] [InlineData("quic_cc_ack.pcapng")] [InlineData("quic_sh.pcap")]
    [InlineData("quic-fuzz-overflow.pcapng")] [InlineData("quic-mvfst-22_decryption_error.pcap")]
    [InlineData("doq.pcapng")] [InlineData("doq_adguard.pcapng")]
    [InlineData("dtls.pcap")] [InlineData("dtls2.pcap")] [InlineData("dtls_certificate.pcapng")]
    [InlineData("dtls_certificate_fragments.pcap")] [InlineData("dtls_old_version.pcapng")]
    [InlineData("dtls_session_id_and_coockie_both.pcap")] [InlineData("dtls_mid_sessions.pcapng")]
    [InlineData("stun_dtls_rtp.pcapng")] [InlineData("stun_dtls_unidirectional_client.pcap")] [InlineData("stun_dtls_unidirectional_server.pcap")]
    public void Client_hellos_match_tshark(string file)
    {
        var path = Path.Combine(Corpus, "pcap", file);
        var t = Tshark.Fields(path, "(tls.handshake.type == 1 && udp) || dtls.handshake.type == 1",
            "tls.handshake.extensions_server_name", "tls.handshake.ja3", "dtls.handshake.extensions_server_name", "dtls.handshake.ja3",
            "dtls.handshake.message_seq");
        var all = t.Select(r => (r[0] + r[2]) + " " + (r[1] + r[3])).ToHashSet();
        // A row is one flow's first ClientHello; a DTLS client re-sends it (message_seq 1) after HelloVerifyRequest, possibly changed.
        var first = t.Where(r => r[4] is "" or "0").Select(r => (r[0] + r[2]) + " " + (r[1] + r[3])).ToHashSet();
        var c = TestPipeline.Run(path);
        var mine = c.Tls.Where(x => x.Ja3 != null && c.Flows[x.FlowId].Proto == 17).Select(x => (x.ServerName ?? "") + " " + x.Ja3).ToHashSet();
        output.WriteLine($"{file}: tshark {t.Count} hellos, {all.Count} distinct; ours {mine.Count} distinct; weirds {string.Join(",", c.Weirds.Distinct())}");
        Assert.Subset(all, mine);
        Assert.Superset(first, mine);
    }

    /// <summary>
    /// The server's side of QUIC handshakes: the distinct JA3S of tshark's decrypted ServerHellos are exactly ours. The
    /// server's Initial keys come from the client's first connection id, or from the one it took after a Retry
    /// (quic-24, quic-29 and doq_adguard have Retries), so these files also guard that switch.
    /// </summary>
    [Theory]
    [InlineData("quic-23.pcap")] [InlineData("quic-24.pcap")] [InlineData("quic-27.pcap")] [InlineData("quic-28.pcap")]
    [InlineData("quic-29.pcap")] [InlineData("quic-33.pcapng")] [InlineData("quic-34.pcap")] [InlineData("quic-v2.pcapng")]
    [InlineData("quic-mvfst-22.pcap")] [InlineData("quic-mvfst-27.pcapng")] [InlineData("quic_0RTT.pcap")]
    [InlineData("quic_interop_V.pcapng")] [InlineData("quic_t50.pcap")] [InlineData("quic_t51.pcap")]
    [InlineData("doq.pcapng")] [InlineData("doq_adguard.pcapng")]
    public void Server_hellos_match_tshark(string file)
    {
        var path = Path.Combine(Corpus, "pcap", file);
        var theirs = Tshark.Fields(path, "tls.handshake.type == 2 && udp", "tls.handshake.ja3s").Select(r => r[0]).ToHashSet();
        var c = TestPipeline.Run(path);
        var ours = c.Tls.Where(x => x.Ja3s != null && c.Flows[x.FlowId].Proto == 17).Select(x => x.Ja3s!).ToHashSet();
        output.WriteLine($"{file}: tshark {string.Join(",", theirs)}; ours {string.Join(",", ours)}; weirds {string.Join(",", c.Weirds.Distinct())}");
        Assert.Equal(theirs.Order(), ours.Order());
        Assert.DoesNotContain("quic_decryption_failed", c.Weirds);
    }

    /// <summary>Google QUIC (Q0xx, including Q050's IETF-style long header) is not decrypted, and that is no malformation either.</summary>
    [Theory]
    [InlineData("quic_q39.pcap")] [InlineData("quic_q43.pcap")] [InlineData("quic_q46.pcap")] [InlineData("quic_q46_b.pcap")]
    [InlineData("quic_q50.pcap")] [InlineData("quic046.pcap")] [InlineData("gquic.pcap")]
    public void Google_quic_gives_no_quic_weirds(string file)
    {
        var c = TestPipeline.Run(Path.Combine(Corpus, "pcap", file));
        Assert.True(c.Flows.Values.Any(f => f.Proto == 17), "the capture has UDP flows");
        Assert.DoesNotContain(c.Weirds, w => w.StartsWith("quic_", StringComparison.Ordinal));
    }

    /// <summary>
    /// DTLS 1.2 key exchange: the named curve of tshark's ServerKeyExchange is the curve of our row. Left out:
    /// dtls_certificate.pcapng, which holds only the first fragment (58 of 329 bytes) of its ServerKeyExchange; tshark
    /// dissects no fields of an incomplete message, while the curve is in that first fragment and we read it.
    /// </summary>
    [Theory]
    [InlineData("dtls_certificate_fragments.pcap")] [InlineData("stun_dtls_rtp.pcapng")]
    [InlineData("stun_dtls_unidirectional_server.pcap")] [InlineData("dtls.pcap")]
    public void Dtls_curves_match_tshark(string file)
    {
        var path = Path.Combine(Corpus, "pcap", file);
        var theirs = Tshark.Fields(path, "dtls.handshake.type == 12", "dtls.handshake.server_named_curve")
            .Where(r => r[0].Length > 0).Select(r => PcapLab.Records.Tls.TlsNames.Group(Convert.ToUInt16(r[0], 16))).ToHashSet();
        var c = TestPipeline.Run(path);
        var ours = c.Tls.Where(x => x.Curve != null && c.Flows[x.FlowId].Proto == 17).Select(x => x.Curve!).ToHashSet();
        output.WriteLine($"{file}: tshark {string.Join(",", theirs)}; ours {string.Join(",", ours)}");
        Assert.Equal(theirs.Order(), ours.Order());
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

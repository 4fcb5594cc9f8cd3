using PcapLab.Dissect;
using PcapLab.Records;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Records;

/// <summary>DTLS hellos cut or malformed, built from a real ClientHello of the nDPI corpus: weirds, never exceptions.</summary>
public class DtlsTests
{
    private static byte[] RealClientHello()
    {
        var p = new PacketInfo();
        foreach (var f in TestPackets.Read(Path.Combine(Repo.NdpiCorpus!, "pcap", "dtls.pcap")))
        {
            if (!TestPackets.Dissect(f.LinkType, f.Data, ref p) || p.IpProto != 17) continue;
            var payload = f.Data.AsSpan(p.PayloadOffset, p.PayloadLength);
            if (ServiceDetector.IsDtlsHandshake(payload) && payload[13] == 1) return payload.ToArray();
        }
        throw new InvalidOperationException("no DTLS ClientHello in dtls.pcap");
    }

    private static Collected Run(params byte[][] datagrams)
    {
        var c = new Collected();
        var app = new AppLayer(AppLayerOptions.Default, c, c);
        var p = new PacketInfo();
        p.Reset(); p.IpVersion = 4; p.IpProto = 17; p.SrcPort = 40000; p.DstPort = 4433;
        foreach (var d in datagrams)
        {
            p.PayloadLength = d.Length;
            var svc = app.OnPacket(5, true, in p, d, 1, 1);
            if (svc != null) c.Services[5] = svc;
        }
        app.OnFlowEnded(5);
        return c;
    }

    [Fact]
    public void The_real_hello_is_a_dtls_row()
    {
        var c = Run(RealClientHello());
        Assert.Empty(c.Weirds);
        Assert.Equal("dtls", c.Services[5]);
        var t = Assert.Single(c.Tls);
        Assert.StartsWith("d", t.Ja4);
        Assert.Equal("bd743610892cec1efed851b2b5efd4f5", t.Ja3); // tshark's dtls.handshake.ja3 for this hello
    }

    [Fact]
    public void A_hello_cut_inside_consistent_headers_is_a_weird()
    {
        var hello = RealClientHello();
        int weirds = 0, cuts = 0;
        for (int n = 13 + 12 + 1; n < hello.Length; n++)
        {
            // Shorten the record and the handshake message together, so the flow is still DTLS but the hello body ends early.
            var d = hello[..n];
            int body = n - 25;
            d[11] = (byte)((n - 13) >> 8); d[12] = (byte)(n - 13);
            d[14] = d[22] = (byte)(body >> 16); d[15] = d[23] = (byte)(body >> 8); d[16] = d[24] = (byte)body;
            var c = Run(d);
            cuts++;
            if (c.Weirds.Contains("dtls_bad_client_hello")) weirds++;
            else Assert.Single(c.Tls); // a cut that lands on a field boundary is a shorter valid hello
        }
        Assert.True(weirds >= cuts - 4, $"{weirds} weirds for {cuts} cuts");
    }

    [Fact]
    public void A_record_cut_by_the_capture_is_a_weird()
    {
        var hello = RealClientHello();
        for (int n = 13; n < hello.Length; n += 7)
        {
            var c = Run(hello, hello[..n]);
            Assert.Contains("dtls_truncated_record", c.Weirds);
        }
    }

    [Fact]
    public void A_fragment_past_its_message_is_a_weird()
    {
        var hello = RealClientHello();
        var bad = (byte[])hello.Clone();
        bad[19] = 0xff; // fragment_offset far beyond the message length
        var c = Run(hello, bad);
        Assert.Contains("dtls_bad_fragment", c.Weirds);
    }
}

using PcapLab.Dissect;
using PcapLab.Records;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Records;

/// <summary>TCP reassembly: out-of-order, retransmitted, overlapping and missing segments, on a real TLS handshake.</summary>
public class ReassemblyTests
{
    /// <summary>The client's and server's payload segments of the first TLS connection in tls.pcap, in capture order.</summary>
    internal static (List<(bool FromOrig, uint Seq, byte[] Data)> Segments, uint ClientIsn, uint ServerIsn, string Ja3) RealTls()
    {
        var frames = TestPackets.Read(Path.Combine(Repo.TestData, "records", "tls.pcap"));
        var segs = new List<(bool, uint, byte[])>();
        uint cIsn = 0, sIsn = 0; ushort clientPort = 0;
        var p = new PacketInfo();
        foreach (var f in frames)
        {
            TestPackets.Dissect(f.LinkType, f.Data, ref p);
            if ((p.TcpFlags & TcpFlags.Syn) != 0 && (p.TcpFlags & TcpFlags.Ack) == 0) { if (clientPort != 0) break; clientPort = p.SrcPort; cIsn = p.TcpSeq; continue; }
            if ((p.TcpFlags & TcpFlags.Syn) != 0) { sIsn = p.TcpSeq; continue; }
            if (p.PayloadLength == 0 || (p.SrcPort != clientPort && p.DstPort != clientPort)) continue;
            segs.Add((p.SrcPort == clientPort, p.TcpSeq, f.Data.AsSpan(p.PayloadOffset, p.PayloadLength).ToArray()));
        }
        var reference = TestPipeline.Run(frames).Tls.OrderBy(t => t.FrameNo).First();
        return (segs, cIsn, sIsn, reference.Ja3!);
    }

    internal static PacketInfo Tcp(uint seq, TcpFlags flags, int payloadLength)
    {
        var p = new PacketInfo();
        p.Reset();
        p.IpVersion = 4; p.IpProto = 6; p.TcpSeq = seq; p.TcpFlags = flags; p.PayloadLength = payloadLength;
        p.SrcPort = 40000; p.DstPort = 443;
        return p;
    }

    private static Collected Feed(IEnumerable<(bool FromOrig, uint Seq, byte[] Data)> segments, uint cIsn, uint sIsn, AppLayerOptions? opt = null)
    {
        var c = new Collected();
        var app = new AppLayer(opt ?? AppLayerOptions.Default, c, c);
        var syn = Tcp(cIsn, TcpFlags.Syn, 0);
        app.OnPacket(1, true, in syn, default, 1, 1);
        var synAck = Tcp(sIsn, TcpFlags.Syn | TcpFlags.Ack, 0);
        app.OnPacket(1, false, in synAck, default, 2, 2);
        long frame = 3;
        foreach (var (fromOrig, seq, data) in segments)
        {
            var p = Tcp(seq, TcpFlags.Ack | TcpFlags.Psh, data.Length);
            var svc = app.OnPacket(1, fromOrig, in p, data, frame, frame);
            if (svc != null) c.Services[1] = svc;
            frame++;
        }
        app.OnFlowEnded(1);
        Assert.Equal(0, app.ActiveFlows);
        return c;
    }

    // Splits every segment into pieces of n bytes.
    private static List<(bool, uint, byte[])> Split(List<(bool FromOrig, uint Seq, byte[] Data)> segs, int n) =>
        [.. segs.SelectMany(s => s.Data.Chunk(n).Select((c, i) => (s.FromOrig, s.Seq + (uint)(i * n), c)))];

    [Fact]
    public void Records_spanning_many_segments_are_reassembled()
    {
        var (segs, c, s, ja3) = RealTls();
        var r = Assert.Single(Feed(Split(segs, 7), c, s).Tls);
        Assert.Equal(ja3, r.Ja3);
        Assert.True(r.Established);
    }

    [Fact]
    public void Out_of_order_segments_are_put_back_in_order()
    {
        var (segs, c, s, ja3) = RealTls();
        var pieces = Split(segs, 50);
        // Reverse the order of the pieces within each direction's first 600 bytes (the hellos arrive back to front).
        var client = pieces.Where(x => x.Item1).ToList();
        var reordered = client.Take(12).Reverse().Concat(client.Skip(12)).Concat(pieces.Where(x => !x.Item1)).ToList();
        var col = Feed(reordered, c, s);
        var r = Assert.Single(col.Tls);
        Assert.Equal(ja3, r.Ja3);
        Assert.DoesNotContain("content_gap", col.Weirds);
    }

    [Fact]
    public void Retransmissions_and_overlaps_keep_the_first_bytes_seen()
    {
        var (segs, c, s, ja3) = RealTls();
        var pieces = Split(segs, 40);
        var withDupes = new List<(bool, uint, byte[])>();
        static (bool, uint, byte[]) Altered((bool, uint, byte[]) x) => (x.Item1, x.Item2, Enumerable.Repeat((byte)0xEE, x.Item3.Length).ToArray());
        for (int i = 0; i + 1 < pieces.Count; i += 2)
        {
            var (a, b) = (pieces[i], pieces[i + 1]);
            if (a.Item1 != b.Item1) { withDupes.Add(a); withDupes.Add(b); continue; }
            // b early, then a different copy of b (out-of-order overlap), then a, then a different copy of a (retransmission).
            withDupes.Add(b); withDupes.Add(Altered(b)); withDupes.Add(a); withDupes.Add(Altered(a));
            // A copy that starts 10 bytes before b and covers only bytes already seen.
            withDupes.Add((b.Item1, b.Item2 - 10, Enumerable.Repeat((byte)0xEE, b.Item3.Length + 10).ToArray()));
        }
        if (pieces.Count % 2 == 1) withDupes.Add(pieces[^1]);
        var r = Assert.Single(Feed(withDupes, c, s).Tls);
        Assert.Equal(ja3, r.Ja3);
    }

    [Fact]
    public void A_hole_larger_than_the_buffer_becomes_a_content_gap_not_a_stall()
    {
        var (segs, c, s, _) = RealTls();
        var pieces = Split(segs, 100);
        var opt = new AppLayerOptions { MaxStreamBuffer = 256, MaxOutOfOrderSegments = 4 };
        // Drop the client's first piece: the rest cannot be delivered and must not be held beyond the limit.
        var col = Feed(pieces.Where((x, i) => i != 0).ToList(), c, s, opt);
        Assert.Contains("content_gap", col.Weirds);
    }

    [Fact]
    public void Missing_payload_bytes_are_a_gap()
    {
        var (segs, c, s, _) = RealTls();
        var col = new Collected();
        var app = new AppLayer(AppLayerOptions.Default, col, col);
        var syn = Tcp(c, TcpFlags.Syn, 0);
        app.OnPacket(1, true, in syn, default, 1, 1);
        var first = segs[0];
        var p = Tcp(first.Seq, TcpFlags.Ack, first.Data.Length);
        app.OnPacket(1, true, in p, first.Data.AsSpan(0, 30), 2, 2); // snaplen cut the segment
        Assert.Contains("content_gap", col.Weirds);
        app.OnFlowEnded(1);
    }

    [Fact]
    public void A_hole_the_peer_acknowledged_is_skipped_and_http_resynchronises()
    {
        // Request 1 with a 30-byte body of which the middle 10 bytes were not captured; request 2 follows.
        var req1 = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 30\r\n\r\n"u8.ToArray();
        var body = Enumerable.Repeat((byte)'b', 30).ToArray();
        var req2 = "GET /b HTTP/1.1\r\nHost: h\r\n\r\n"u8.ToArray();
        uint c = 5000, s = 9000;
        var col = new Collected();
        var app = new AppLayer(AppLayerOptions.Default, col, col);
        void Send(bool fromOrig, uint seq, byte[] data, TcpFlags flags = TcpFlags.Ack, uint ack = 0)
        {
            var p = Tcp(seq, flags, data.Length);
            p.TcpAck = ack;
            app.OnPacket(2, fromOrig, in p, data, seq, seq);
        }
        Send(true, c, [], TcpFlags.Syn);
        Send(false, s, [], TcpFlags.Syn | TcpFlags.Ack, c + 1);
        uint q = c + 1;
        Send(true, q, req1); q += (uint)req1.Length;
        Send(true, q, body[..10]);
        Send(true, q + 20, [.. body[20..], .. req2]); // bytes 10..20 of the body are missing from the capture
        Assert.DoesNotContain("content_gap", col.Weirds); // still waiting: they may arrive late
        Send(false, s + 1, [], TcpFlags.Ack, q + 30 + (uint)req2.Length); // the server acknowledged everything
        Assert.Contains("content_gap", col.Weirds);
        app.OnFlowEnded(2);
        Assert.Equal(["/a", "/b"], col.Http.OrderBy(h => h.TransDepth).Select(h => h.Uri));
    }
}

using System.Buffers.Binary;
using PcapLab.Dissect;
using PcapLab.Dissect.Fragments;
using PcapLab.Records;
using PcapLab.Records.Dns;
using PcapLab.Records.Tls;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Records;

/// <summary>Malformed input is recorded as weirds and never throws (issue 3, deliverable 6).</summary>
public class BadInputTests
{
    private static byte[] RealDnsResponse()
    {
        // The CNAME + A answer from dns.pcap: name compression in the answers.
        var p = new PacketInfo();
        foreach (var f in TestPackets.Read(Path.Combine(Repo.TestData, "records", "dns.pcap")))
        {
            TestPackets.Dissect(f.LinkType, f.Data, ref p);
            if (p.IpProto != 17) continue;
            var payload = f.Data.AsSpan(p.PayloadOffset, p.PayloadLength);
            var r = new DnsMessageReader(payload);
            if (r.TryReadHeader() && r.IsResponse && r.AnCount == 2) return payload.ToArray();
        }
        throw new InvalidOperationException("no CNAME response in dns.pcap");
    }

    private static Collected RunDns(ReadOnlySpan<byte> msg)
    {
        var c = new Collected();
        var app = new AppLayer(AppLayerOptions.Default, c, c);
        var p = new PacketInfo();
        p.Reset(); p.IpVersion = 4; p.IpProto = 17; p.SrcPort = 53; p.DstPort = 33333; p.PayloadLength = msg.Length;
        // Identify the flow as DNS with a valid query first, so the malformed message reaches the parser.
        byte[] query = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 1, 0, 1];
        var q = p; q.SrcPort = 33333; q.DstPort = 53;
        app.OnPacket(7, true, in q, query, 1, 1);
        app.OnPacket(7, false, in p, msg, 2, 2);
        app.OnFlowEnded(7);
        return c;
    }

    [Fact]
    public void Every_truncation_of_a_real_dns_response_is_a_weird_not_an_exception()
    {
        var msg = RealDnsResponse();
        var whole = RunDns(msg);
        Assert.Empty(whole.Weirds);
        Assert.Equal(2, whole.Dns.Single(d => d.IsResponse).Answers.Length);
        // The answers end before the trailing OPT record: every cut before that loses data and must say so.
        int answersEnd = msg.Length - 11;
        for (int n = 1; n < msg.Length; n++)
        {
            var c = RunDns(msg.AsSpan(0, n));
            if (n < answersEnd) Assert.NotEmpty(c.Weirds);
            if (n < 12) Assert.Contains("dns_truncated_header", c.Weirds);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0x0C }, "dns_compression_loop")]        // the name points at itself
    [InlineData(new byte[] { 0xC0, 0xFF }, "dns_bad_compression_pointer")] // past the end
    [InlineData(new byte[] { 0x80, 0x61 }, "dns_bad_label")]               // reserved label type
    [InlineData(new byte[] { 0x3F, 0x61 }, "dns_truncated_message")]       // 63-byte label, 1 byte present
    public void Malformed_names_are_weirds(byte[] name, string weird)
    {
        var msg = new byte[12 + name.Length + 4];
        BinaryPrimitives.WriteUInt16BigEndian(msg, 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(2), 0x8180);
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(4), 1);
        name.CopyTo(msg, 12);
        Assert.Contains(weird, RunDns(msg).Weirds);
    }

    [Fact]
    public void A_long_chain_of_pointers_is_a_compression_loop()
    {
        // 40 pointers, each to the previous one: deeper than any real name needs.
        var msg = new List<byte> { 0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0 };
        int prev = 12;
        for (int i = 0; i < 40; i++) { int here = msg.Count; msg.Add((byte)(0xC0 | (prev >> 8))); msg.Add((byte)prev); prev = here; }
        var name = new byte[DnsMessageReader.MaxRenderedName];
        Assert.Equal(DnsError.CompressionLoop, DnsMessageReader.ReadNameAt(msg.ToArray(), prev, name, out _, out _));
    }

    [Fact]
    public void Bogus_rdlength_is_a_weird()
    {
        var msg = RealDnsResponse();
        // First answer's RDLENGTH sits after the question; make it huge.
        var r = new DnsMessageReader(msg);
        r.TryReadHeader();
        var name = new byte[DnsMessageReader.MaxRenderedName];
        r.TryReadQuestion(name, out _, out _, out _);
        r.TryReadName(name, out _);
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(r.Position + 8), 60000);
        Assert.Contains("dns_truncated_message", RunDns(msg).Weirds);
    }

    private static byte[] RealClientHelloRecord()
    {
        var (segs, _, _, _) = ReassemblyTests.RealTls();
        var first = segs.First(s => s.FromOrig).Data;
        int len = BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(3));
        return first[..(5 + len)];
    }

    [Fact]
    public void Every_truncation_of_a_real_client_hello_fails_cleanly()
    {
        var record = RealClientHelloRecord();
        var body = record.AsSpan(9).ToArray(); // record header (5) + handshake header (4)
        Assert.True(new TlsHandshakeReader(body).TryReadClientHello(new TlsHello()));
        // A hello cut exactly before its extension block is a valid extension-less hello; every other cut is not.
        var full = new TlsHello();
        new TlsHandshakeReader(body).TryReadClientHello(full);
        int extBlock = 2 + full.Extensions.Count * 4; // lower bound; find the real start by scanning
        int noExtLength = -1;
        for (int n = 0; n < body.Length; n++)
        {
            var h = new TlsHello();
            var r = new TlsHandshakeReader(body.AsSpan(0, n));
            bool ok = r.TryReadClientHello(h);
            // Accepted: exactly without the extension block, or with one stray byte after it (tolerated as tshark does).
            if (ok) { Assert.True(noExtLength == -1 || n == noExtLength + 1); if (noExtLength == -1) noExtLength = n; Assert.Empty(h.Extensions); }
            else Assert.NotEqual(TlsError.None, r.Error);
        }
        Assert.True(noExtLength > 0 && noExtLength < body.Length - extBlock + 2);
    }

    private static Collected RunTcp(params byte[][] clientSegments)
    {
        var c = new Collected();
        var app = new AppLayer(AppLayerOptions.Default, c, c);
        uint seq = 1000;
        var syn = ReassemblyTests.Tcp(seq++, TcpFlags.Syn, 0);
        app.OnPacket(3, true, in syn, default, 1, 1);
        long frame = 2;
        foreach (var s in clientSegments)
        {
            var p = ReassemblyTests.Tcp(seq, TcpFlags.Ack, s.Length);
            app.OnPacket(3, true, in p, s, frame, frame++);
            seq += (uint)s.Length;
        }
        app.OnFlowEnded(3);
        return c;
    }

    [Fact]
    public void Tls_bogus_lengths_are_weirds()
    {
        var record = RealClientHelloRecord();
        // Cipher-suite vector length made odd.
        var odd = (byte[])record.Clone();
        int sidLen = odd[9 + 34];
        int cipherAt = 9 + 35 + sidLen;
        BinaryPrimitives.WriteUInt16BigEndian(odd.AsSpan(cipherAt), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(odd.AsSpan(cipherAt)) + 1));
        Assert.Contains("tls_bad_client_hello", RunTcp(odd).Weirds);
        // A record length beyond the protocol maximum.
        var huge = (byte[])record.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(huge.AsSpan(3), 0xFFFF);
        Assert.Contains("tls_bad_record", RunTcp(huge).Weirds);
        // Every prefix of the record, then the flow ends: no exception, no record with a fingerprint.
        for (int n = 0; n < record.Length; n += 13) Assert.DoesNotContain(RunTcp(record[..n]).Tls, t => t.Ja3 != null);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", "http_bad_content_length")]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "http_bad_chunk")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n\u0001\u0002 garbage line\r\n\r\n", "http_bad_request_line")]
    public void Http_malformed_messages_are_weirds(string text, string weird)
    {
        var c = RunTcp(System.Text.Encoding.Latin1.GetBytes(text));
        Assert.Contains(weird, c.Weirds);
    }

    [Fact]
    public void Http_header_block_beyond_the_limit_is_a_weird()
    {
        var head = "GET / HTTP/1.1\r\nX-Long: "u8.ToArray();
        var filler = Enumerable.Repeat((byte)'a', 1000).ToArray();
        var segs = new List<byte[]> { head };
        for (int i = 0; i < 40; i++) segs.Add(filler);
        var c = RunTcp([.. segs]);
        Assert.Contains("http_header_too_long", c.Weirds);
        Assert.Single(c.Http.Where(h => h.Method != null).DefaultIfEmpty()); // nothing parsed, nothing thrown
    }

    // ---- IP fragments ----

    private static (List<TestFrame> V4, List<TestFrame> V6) RealFragments()
    {
        var p = new PacketInfo();
        var v4 = new List<TestFrame>(); var v6 = new List<TestFrame>();
        foreach (var f in TestPackets.Read(Path.Combine(Repo.TestData, "records", "frag.pcap")))
        {
            TestPackets.Dissect(f.LinkType, f.Data, ref p);
            if (p.Frag == FragmentFlags.None) continue;
            (p.IpVersion == 4 ? v4 : v6).Add(f);
        }
        return (v4, v6);
    }

    private static (int Completed, byte[]? Last) Defrag(IpDefragmenter d, IEnumerable<TestFrame> frames, long tsOffset = 0)
    {
        int n = 0; byte[]? last = null;
        var p = new PacketInfo();
        foreach (var f in frames)
        {
            TestPackets.Dissect(f.LinkType, f.Data, ref p);
            if (d.TryAdd(in p, f.Data, f.TsNs + tsOffset, out var dg)) { n++; last = dg.ToArray(); }
        }
        return (n, last);
    }

    [Fact]
    public void Fragments_in_any_order_give_the_same_datagram()
    {
        var (v4, v6) = RealFragments();
        Assert.Equal(3, v4.Count);
        Assert.Equal(3, v6.Count);
        foreach (var frags in new[] { v4, v6 })
        {
            var c = new Collected();
            var inOrder = Defrag(new IpDefragmenter(DefragOptions.Default, c), frags);
            var reversed = Defrag(new IpDefragmenter(DefragOptions.Default, c), Enumerable.Reverse(frags));
            Assert.Equal(1, inOrder.Completed);
            Assert.Equal(inOrder.Last, reversed.Last);
            Assert.Empty(c.Weirds);
            var p = new PacketInfo();
            Assert.True(TestPackets.Dissect(101, inOrder.Last, ref p));
            Assert.Equal(17, p.IpProto);
            Assert.Equal(FragmentFlags.None, p.Frag);
            Assert.Equal(inOrder.Last!.Length - p.PayloadOffset, p.PayloadLength); // UDP length covers the whole datagram
        }
    }

    [Fact]
    public void Duplicate_and_overlapping_fragments_keep_first_bytes_and_are_weirds()
    {
        var (v4, _) = RealFragments();
        var c = new Collected();
        var d = new IpDefragmenter(DefragOptions.Default, c);
        var reference = Defrag(new IpDefragmenter(DefragOptions.Default, new Collected()), v4).Last;
        // The middle fragment twice, the second copy with different bytes.
        var altered = v4[1] with { Data = (byte[])v4[1].Data.Clone() };
        altered.Data[^1] ^= 0xFF;
        var result = Defrag(d, [v4[1], altered, v4[0], v4[2]]);
        Assert.Equal(1, result.Completed);
        Assert.Equal(reference, result.Last);
        Assert.Contains("fragment_overlap", c.Weirds);
    }

    [Fact]
    public void Absurd_offsets_are_weirds_and_dropped()
    {
        var (v4, _) = RealFragments();
        var c = new Collected();
        var d = new IpDefragmenter(DefragOptions.Default, c);
        var bad = v4[1] with { Data = (byte[])v4[1].Data.Clone() };
        var p = new PacketInfo();
        TestPackets.Dissect(bad.LinkType, bad.Data, ref p);
        // Offset field at its maximum (8191 * 8 = 65528 bytes): the fragment would end past 65,535.
        BinaryPrimitives.WriteUInt16BigEndian(bad.Data.AsSpan(p.L3Offset + 6), 0x3FFF);
        Assert.False(d.TryAdd(in p, bad.Data, bad.TsNs, out _));
        Assert.Contains("excessively_large_fragment", c.Weirds);
        Assert.Equal(0, d.PendingDatagrams);
        // A truncated IP header.
        Assert.False(d.TryAdd(in p, bad.Data.AsSpan(0, p.L3Offset + 10), bad.TsNs, out _));
        Assert.Contains("truncated_fragment", c.Weirds);
    }

    [Fact]
    public void Memory_and_timeouts_are_bounded()
    {
        var (v4, _) = RealFragments();
        var c = new Collected();
        var d = new IpDefragmenter(new DefragOptions { MaxDatagrams = 8 }, c);
        var p = new PacketInfo();
        // 50 incomplete datagrams (first fragment only, distinct ids): at most 8 are held.
        for (int i = 0; i < 50; i++)
        {
            var f = v4[0] with { Data = (byte[])v4[0].Data.Clone() };
            TestPackets.Dissect(f.LinkType, f.Data, ref p);
            BinaryPrimitives.WriteUInt16BigEndian(f.Data.AsSpan(p.L3Offset + 4), (ushort)i);
            d.TryAdd(in p, f.Data, f.TsNs + i, out _);
            Assert.True(d.PendingDatagrams <= 8);
        }
        Assert.Contains("fragment_limit", c.Weirds);
        // Fragments of one datagram 31 s apart: the first expired (IPv4 timeout 30 s), so nothing completes.
        var t = new IpDefragmenter(DefragOptions.Default, c);
        Assert.Equal(0, Defrag(t, [v4[0]]).Completed);
        Assert.Equal(0, Defrag(t, [v4[1], v4[2]], tsOffset: 31_000_000_000).Completed);
        Assert.True(t.HeldBytes < 65536);
    }
}

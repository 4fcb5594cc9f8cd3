using PcapLab.Dissect;
using PcapLab.Flows;
using F = PcapLab.Dissect.TcpFlags;

namespace PcapLab.Engine.Tests.Flows;

/// <summary>Originator choice, ICMP keying, timeouts, connection reuse and teardown, as Zeek defines them.</summary>
public class FlowTableTests
{
    private const F SA = F.Syn | F.Ack, PA = F.Psh | F.Ack, FA = F.Fin | F.Ack, RA = F.Rst | F.Ack;
    private const long S = Pkt.Second;

    [Fact] // UDPAnalyzer::WantConnection: flip when the source port is a likely server port and the destination is not; '^' in history.
    public void UdpReplySeenFirstIsFlipped()
    {
        var sink = new FlowList();
        var t = new FlowTable(new FlowOptions(), sink);
        t.Observe(Pkt.Udp("8.8.8.8", 53, "10.0.0.1", 40000, 90), Pkt.T0, 0);
        t.Flush();
        var r = Assert.Single(sink.Flows);
        Assert.Equal(IpAddr.Parse("10.0.0.1"), r.OrigH);
        Assert.Equal(40000, r.OrigP);
        Assert.Equal(53, r.RespP);
        Assert.Equal("^d", r.History);
        Assert.Equal("SHR", r.ConnState); // conn_state(): orig not UDP_ACTIVE, resp active
        Assert.Equal(0, r.OrigPkts);
        Assert.Equal(1, r.RespPkts);
    }

    [Fact] // TCPAnalyzer::WantConnection: no flip for a bare SYN even from a server port.
    public void BareSynIsNeverFlipped()
    {
        var sink = new FlowList();
        var t = new FlowTable(new FlowOptions(), sink);
        t.Observe(Pkt.Tcp("10.0.0.2", 443, "10.0.0.1", 40000, F.Syn, 1, 0), Pkt.T0, 0);
        t.Flush();
        Assert.Equal(443, sink.Flows[0].OrigP);
        Assert.Equal("S", sink.Flows[0].History);
    }

    [Fact] // Both ports plausible servers: flip only without SYN and when the source port is the smaller one.
    public void BothLikelyServerPortsFlipOnlyTowardsTheSmallerPort()
    {
        var sink = new FlowList();
        var t = new FlowTable(new FlowOptions(), sink);
        t.Observe(Pkt.Tcp("10.0.0.2", 80, "10.0.0.1", 8080, PA, 1, 1, 10), Pkt.T0, 0);
        t.Observe(Pkt.Tcp("10.0.0.3", 8080, "10.0.0.1", 80, PA, 1, 1, 10), Pkt.T0, 0);
        t.Flush();
        Assert.Equal((ushort)8080, sink.Flows[0].OrigP);
        Assert.Equal("^d", sink.Flows[0].History);
        Assert.Equal((ushort)8080, sink.Flows[1].OrigP);
        Assert.Equal("D", sink.Flows[1].History);
    }

    [Fact] // Echo request and reply share a flow; orig_p = type 8, resp_p = its counterpart 0 (ICMP4_counterpart).
    public void IcmpEchoRequestAndReplyPair()
    {
        var sink = new FlowList();
        var t = new FlowTable(new FlowOptions(), sink);
        long a = t.Observe(Pkt.Icmp("10.0.0.1", "10.0.0.2", 8, 0), Pkt.T0, 0);
        long b = t.Observe(Pkt.Icmp("10.0.0.2", "10.0.0.1", 0, 0), Pkt.T0 + S / 100, 0);
        long c = t.Observe(Pkt.Icmp("10.0.0.1", "10.0.0.2", 13, 0), Pkt.T0 + S / 50, 0); // timestamp request: another flow
        long d = t.Observe(Pkt.Icmp("10.0.0.2", "10.0.0.1", 14, 0), Pkt.T0 + S / 40, 0);
        long e = t.Observe(Pkt.Icmp("10.0.0.3", "10.0.0.1", 3, 3), Pkt.T0 + S / 30, 0);  // port unreachable: one-way, resp_p = code
        Assert.Equal(a, b);
        Assert.Equal(c, d);
        Assert.NotEqual(a, c);
        t.Flush();
        var echo = sink.Flows.Single(f => f.FlowId == a);
        Assert.Equal(("icmp", (ushort)8, (ushort)0, 1L, 1L, "OTH"), (echo.Proto, echo.OrigP, echo.RespP, echo.OrigPkts, echo.RespPkts, echo.ConnState));
        var unreachable = sink.Flows.Single(f => f.FlowId == e);
        Assert.Equal(((ushort)3, (ushort)3), (unreachable.OrigP, unreachable.RespP));
    }

    [Fact]
    public void Icmpv6EchoPairs()
    {
        var sink = new FlowList();
        var t = new FlowTable(new FlowOptions(), sink);
        var req = Pkt.Ip("fe80::1", "fe80::2", 58, 56); req.IcmpType = 128; req.IcmpCode = 0;
        var rep = Pkt.Ip("fe80::2", "fe80::1", 58, 56); rep.IcmpType = 129; rep.IcmpCode = 0;
        Assert.Equal(t.Observe(req, Pkt.T0, 0), t.Observe(rep, Pkt.T0 + 1000, 0));
        t.Flush();
        Assert.Equal(("icmp", (ushort)128, (ushort)129), (sink.Flows[0].Proto, sink.Flows[0].OrigP, sink.Flows[0].RespP));
    }

    [Fact] // udp_inactivity_timeout = 1 min: a packet after more than a minute of silence starts a new flow.
    public void UdpInactivitySplitsFlows()
    {
        var sink = new FlowList();
        var t = new FlowTable(new FlowOptions(), sink);
        long a = t.Observe(Pkt.Udp("10.0.0.1", 40000, "10.0.0.2", 53, 30), Pkt.T0, 0);
        long b = t.Observe(Pkt.Udp("10.0.0.2", 53, "10.0.0.1", 40000, 90), Pkt.T0 + 1 * S, 0);
        long c = t.Observe(Pkt.Udp("10.0.0.1", 40000, "10.0.0.2", 53, 30), Pkt.T0 + 50 * S, 0); // 49 s idle: same flow
        Assert.Equal(a, b);
        Assert.Equal(a, c);
        Assert.Empty(sink.Flows);
        long d = t.Observe(Pkt.Udp("10.0.0.1", 40000, "10.0.0.2", 53, 30), Pkt.T0 + 111 * S, 0); // 61 s idle
        Assert.NotEqual(a, d);
        var first = Assert.Single(sink.Flows);
        Assert.Equal(("SF", "Dd", 2L, 1L), (first.ConnState, first.History, first.OrigPkts, first.RespPkts));
        Assert.Equal(50.0, first.Duration);
        Assert.Equal(1, t.ActiveFlows);
    }

    [Fact] // tcp_attempt_delay (5 s): a SYN retransmitted after that starts a new S0 flow; within it, the same flow.
    public void UnansweredSynExpiresAfterAttemptDelay()
    {
        var sink = new FlowList();
        var t = new FlowTable(new FlowOptions(), sink);
        var syn = Pkt.Tcp("10.0.0.1", 40000, "10.0.0.2", 80, F.Syn, 1000, 0);
        long a = t.Observe(syn, Pkt.T0, 0);
        long b = t.Observe(syn, Pkt.T0 + 3 * S, 0);
        long c = t.Observe(syn, Pkt.T0 + 9 * S, 0);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        t.Flush();
        Assert.Equal(new[] { "S0", "S0" }, sink.Flows.Select(f => f.ConnState));
        Assert.Equal(2, sink.Flows[0].OrigPkts);
    }

    [Fact] // Connection reuse (IsReuse): a new SYN with a new ISN after the close starts a new flow.
    public void ConnectionReuseAfterCloseStartsNewFlow()
    {
        var talk = new TcpTalk().Handshake().C(PA, 10).S(PA, 20).C(FA).S(FA).C(F.Ack);
        long first = talk.Ids[0];
        talk.ClientSeq = 900_000; talk.ServerSeq = 700_000;
        talk.Handshake();
        Assert.NotEqual(first, talk.Ids[^1]);
        Assert.Equal("SF", Assert.Single(talk.Sink.Flows).ConnState); // the old flow ended on reuse
        talk.Table.Flush();
        Assert.Equal("S1", talk.Sink.Flows[1].ConnState);
        Assert.Equal("ShA", talk.Sink.Flows[1].History);
    }

    [Fact] // A FIN half-closes: the flow goes on until the teardown completes (CICFlowMeter ends flows at the first FIN).
    public void FinDoesNotEndFlowBeforeTeardownCompletes()
    {
        var talk = new TcpTalk().Handshake().C(PA, 10).C(FA);
        talk.S(PA, 500, after: 2).S(PA, 500, after: 2).S(FA).C(F.Ack);
        Assert.Single(talk.Ids.Distinct());
        Assert.Empty(talk.Sink.Flows);
        var r = talk.FlushSingle();
        Assert.Equal("SF", r.ConnState);
        Assert.Equal("ShADFdf", r.History); // the client's final ACK repeats 'A', which is recorded once
        Assert.Equal(1000, r.RespBytes);
        Assert.Equal(10, r.OrigBytes);
        // duration excludes the final ACK after both FINs (conn.log's duration note).
        Assert.Equal(talk.Now - 1_000_000, r.LastTs);
    }

    [Fact] // A RST ends the connection: conn_state RSTO, and the flow is removed tcp_close_delay after it (not ignored).
    public void RstEndsTheFlow()
    {
        var talk = new TcpTalk().Handshake().C(PA, 10).S(PA, 100).C(RA);
        Assert.Equal(1, talk.Table.ActiveFlows);
        talk.Table.Advance(talk.Now + 6 * S);
        Assert.Equal(0, talk.Table.ActiveFlows);
        var r = Assert.Single(talk.Sink.Flows);
        Assert.Equal(("RSTO", "ShADdR"), (r.ConnState, r.History));
        // Later packets on the same ports start a new (partial) flow.
        talk.S(PA, 100, after: 7);
        talk.Table.Flush();
        Assert.Equal(2, talk.Sink.Flows.Count);
        Assert.Equal("OTH", talk.Sink.Flows[1].ConnState);
    }

    [Fact] // An open established TCP flow lives through 4 minutes of silence and ends after tcp_inactivity_timeout (5 min).
    public void TcpInactivityTimeout()
    {
        var talk = new TcpTalk().Handshake();
        talk.Table.Advance(talk.Now + 240 * S);
        Assert.Equal(1, talk.Table.ActiveFlows);
        talk.Table.Advance(talk.Now + 301 * S);
        Assert.Equal(0, talk.Table.ActiveFlows);
        Assert.Equal("S1", talk.Sink.Flows[0].ConnState);
    }

    [Fact] // With an active timeout a long flow is reported in pieces.
    public void ActiveTimeoutSplitsLongFlows()
    {
        var sink = new FlowList();
        var t = new FlowTable(new FlowOptions { ActiveTimeout = TimeSpan.FromSeconds(30) }, sink);
        var ids = new HashSet<long>();
        for (int i = 0; i < 10; i++) ids.Add(t.Observe(Pkt.Udp("10.0.0.1", 5000, "10.0.0.2", 6000, 100), Pkt.T0 + i * 10 * S, 0));
        t.Flush();
        // Packets every 10 s, split at 30 s: 0-20, 30-50, 60-80, 90.
        Assert.Equal(4, ids.Count);
        Assert.Equal(new long[] { 3, 3, 3, 1 }, sink.Flows.Select(f => f.OrigPkts));
        Assert.Equal(10, sink.Flows.Sum(f => f.OrigPkts));
    }

    [Fact]
    public void VlanAndTunnelSeparateFlows()
    {
        var sink = new FlowList();
        var t = new FlowTable(new FlowOptions(), sink);
        var p = Pkt.Udp("10.0.0.1", 5000, "10.0.0.2", 6000, 10);
        long plain = t.Observe(p, Pkt.T0, 0);
        p.Vlan = 10;
        long vlan = t.Observe(p, Pkt.T0, 0);
        p.Vlan = -1; p.Tunnel = TunnelKind.Vxlan; p.TunnelId = 42; p.OuterSrcIp = IpAddr.Parse("192.0.2.1"); p.OuterDstIp = IpAddr.Parse("192.0.2.2");
        long tun = t.Observe(p, Pkt.T0, 0);
        var back = Pkt.Udp("10.0.0.2", 6000, "10.0.0.1", 5000, 10);
        back.Tunnel = TunnelKind.Vxlan; back.TunnelId = 42; back.OuterSrcIp = IpAddr.Parse("192.0.2.2"); back.OuterDstIp = IpAddr.Parse("192.0.2.1");
        Assert.Equal(tun, t.Observe(back, Pkt.T0, 0));
        Assert.Equal(3, new[] { plain, vlan, tun }.Distinct().Count());
        var arp = new PacketInfo(); arp.Reset(); arp.Status = DissectStatus.NoIp;
        Assert.Equal(0, t.Observe(arp, Pkt.T0, 0));
    }

    [Fact]
    public void ServiceIsSetOnLiveFlowsAndJoined()
    {
        var sink = new FlowList();
        var t = new FlowTable(new FlowOptions(), sink);
        long id = t.Observe(Pkt.Udp("10.0.0.1", 5000, "10.0.0.2", 53, 10), Pkt.T0, 0);
        t.SetService(id, "dns");
        t.SetService(id, "dns");
        t.SetService(id, "quic");
        t.RecordGap(id, true, 0);
        t.Flush();
        Assert.Equal("dns,quic", sink.Flows[0].Service);
    }
}

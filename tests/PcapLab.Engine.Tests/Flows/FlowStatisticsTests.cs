using System.Diagnostics;
using PcapLab.Flows;
using Xunit.Abstractions;

namespace PcapLab.Engine.Tests.Flows;

/// <summary>The ML statistics on a small sequence, against values computed by hand; and the memory behaviour at scale.</summary>
public class FlowStatisticsTests(ITestOutputHelper output)
{
    private const long S = Pkt.Second;

    [Fact]
    public void StatisticsMatchHandComputedValues()
    {
        var sink = new FlowList();
        var t = new FlowTable(new FlowOptions { ActivityThreshold = TimeSpan.FromSeconds(1.5) }, sink);
        // orig 10 B at 0 s, resp 40 B at 1 s, orig 20 B at 2 s, orig 30 B at 4 s.
        t.Observe(Pkt.Udp("10.0.0.1", 40000, "10.0.0.2", 9999, 10), Pkt.T0, 0);
        t.Observe(Pkt.Udp("10.0.0.2", 9999, "10.0.0.1", 40000, 40), Pkt.T0 + 1 * S, 0);
        t.Observe(Pkt.Udp("10.0.0.1", 40000, "10.0.0.2", 9999, 20), Pkt.T0 + 2 * S, 0);
        t.Observe(Pkt.Udp("10.0.0.1", 40000, "10.0.0.2", 9999, 30), Pkt.T0 + 4 * S, 0);
        t.Flush();
        var r = Assert.Single(sink.Flows);
        const int p = 9;
        Assert.Equal((10, 30, 20), (r.FwdPktLenMin, r.FwdPktLenMax, r.FwdPktLenMean));
        Assert.Equal(10, r.FwdPktLenStd, p);                 // sqrt(((-10)^2 + 0 + 10^2) / 2)
        Assert.Equal((40, 40, 40, 0), (r.BwdPktLenMin, r.BwdPktLenMax, r.BwdPktLenMean, r.BwdPktLenStd));
        Assert.Equal((1, 2), (r.FlowIatMin, r.FlowIatMax)); // gaps 1, 1, 2 s
        Assert.Equal(4.0 / 3, r.FlowIatMean, p);
        Assert.Equal(Math.Sqrt(1.0 / 3), r.FlowIatStd, p);   // ((1/3)^2 * 2 + (2/3)^2) / 2 = 1/3
        Assert.Equal((2, 2, 2, 0), (r.FwdIatMin, r.FwdIatMax, r.FwdIatMean, r.FwdIatStd));
        Assert.Equal((0, 0), (r.BwdIatMean, r.BwdIatStd));   // one responder packet: no gap
        Assert.Equal(25, r.FlowBytesPerS, p);                // 100 B / 4 s
        Assert.Equal(1, r.FlowPktsPerS, p);                  // 4 packets / 4 s
        Assert.Equal(1.0 / 3, r.DownUpRatio, p);
        Assert.Equal(new[] { 10, -40, 20, 30 }, r.SpltLen);
        Assert.Equal(new[] { 0f, 1000f, 1000f, 2000f }, r.SpltIatMs);
        // Gaps of 1 s stay within the 1.5 s threshold: active 0..2 s, then 2 s idle, then a lone packet.
        Assert.Equal((2, 2, 2), (r.ActiveMin, r.ActiveMax, r.ActiveMean));
        Assert.Equal((2, 2), (r.IdleMin, r.IdleMax));
        Assert.Equal((60L, 40L), (r.OrigBytes!.Value, r.RespBytes!.Value));
        Assert.Equal(4.0, r.Duration);
        Assert.Equal(-1, r.InitFwdWinBytes);
    }

    [Fact]
    public void TcpFlagCountsAndInitialWindows()
    {
        var talk = new TcpTalk();
        talk.C(Dissect.TcpFlags.Syn, win: 64240).S(Dissect.TcpFlags.Syn | Dissect.TcpFlags.Ack, win: 65160).C(Dissect.TcpFlags.Ack, win: 502)
            .C(Dissect.TcpFlags.Psh | Dissect.TcpFlags.Ack, 5, win: 502).S(Dissect.TcpFlags.Fin | Dissect.TcpFlags.Ack).C(Dissect.TcpFlags.Rst);
        var r = talk.FlushSingle();
        Assert.Equal((1, 2, 1, 1, 4, 0), (r.FinFlagCnt, r.SynFlagCnt, r.RstFlagCnt, r.PshFlagCnt, r.AckFlagCnt, r.UrgFlagCnt));
        Assert.Equal((64240, 65160), (r.InitFwdWinBytes, r.InitBwdWinBytes));
    }

    [Fact] // One million concurrent flows, then expiry: memory follows the active flows.
    public void MillionConcurrentFlowsExpireAndFreeMemory()
    {
        var sink = new CountingSink();
        var t = new FlowTable(new FlowOptions(), sink);
        long before = GC.GetTotalMemory(true);
        var p = Pkt.Udp("10.0.0.1", 1, "10.0.0.2", 9999, 100);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 1_000_000; i++)
        {
            p.SrcIp = Dissect.IpAddr.V4(0x0A000000u + (uint)(i >> 16));
            p.SrcPort = (ushort)(i & 0xFFFF);
            t.Observe(p, Pkt.T0 + i * 1000L, 0);
        }
        long observeMs = sw.ElapsedMilliseconds;
        Assert.Equal(1_000_000, t.ActiveFlows);
        long peak = GC.GetTotalMemory(true);
        t.Advance(Pkt.T0 + 120 * S);
        Assert.Equal(0, t.ActiveFlows);
        Assert.Equal(1_000_000, sink.Count);
        long after = GC.GetTotalMemory(true);
        output.WriteLine($"managed heap: before {before / 1048576.0:F1} MiB, peak {peak / 1048576.0:F1} MiB with 1,000,000 flows, after expiry {after / 1048576.0:F1} MiB; observe {observeMs} ms");
        Console.WriteLine($"[flows-memory] before={before} peak={peak} after={after} observe_ms={observeMs}");
        Assert.True(after < peak / 10, $"after expiry {after} B should be well below the peak {peak} B");
        GC.KeepAlive(t);
    }

    private sealed class CountingSink : IFlowSink
    {
        public int Count;
        public void OnFlowEnded(in FlowRecord flow) => Count++;
    }
}

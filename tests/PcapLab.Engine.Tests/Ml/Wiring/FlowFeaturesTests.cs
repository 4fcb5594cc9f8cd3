using PcapLab.Ml;
using PcapLab.Ml.Features;

namespace PcapLab.Engine.Tests.Ml.Wiring;

public sealed class FlowFeaturesTests
{
    private static float Value(FeatureTable t, long flowId, string feature)
    {
        var row = Array.IndexOf(t.RowIds!, flowId);
        var col = Array.IndexOf(t.FeatureNames, feature);
        Assert.True(row >= 0 && col >= 0, $"flow {flowId} / feature {feature} not found");
        return t.Row(row)[col];
    }

    [Fact]
    public void NamesAreVersionedAndHashed()
    {
        Assert.Equal($"flowfeatures_v{FlowFeatures.Version}", FlowFeatures.Names[0]);
        Assert.Equal(FeatureTable.HashFeatureNames(FlowFeatures.Names), FlowFeatures.Hash);
        Assert.Equal(FlowFeatures.Names.Count, FlowFeatures.Names.Distinct().Count());
        using var flows = new HandmadeFlows();
        flows.Add(0, "10.0.0.1", "10.0.0.2", 80, "SF");
        var t = FlowFeatures.Extract(flows.Db);
        Assert.Equal(FlowFeatures.Hash, t.FeatureHash);
    }

    // Capture 1: A probes B and C; D hits B once; capture 2 repeats A → B at the same time and must not leak into capture 1's windows.
    [Fact]
    public void WindowFeaturesMatchHandComputedValues()
    {
        using var f = new HandmadeFlows();
        const string A = "10.0.0.1", B = "10.0.0.2", C = "10.0.0.3", D = "10.0.0.4";
        var id1 = f.Add(0.0, A, B, 22, "S0", origBytes: 7);
        var id2 = f.Add(0.5, A, B, 23, "REJ");
        var id3 = f.Add(1.0, A, C, 22, "SF");
        var id4 = f.Add(2.5, A, B, 22, "SF", service: "ssh");
        var id5 = f.Add(2.5, D, B, 22, "S0");
        var id6 = f.Add(10, A, B, 22, "SF");
        var id7 = f.Add(1.0, A, B, 22, "S0", capture: 2);
        var t = FlowFeatures.Extract(f.Db);

        Assert.Equal([id1, id2, id3, id4, id5, id6, id7], t.RowIds!);
        Assert.Equal(["sha-a", "sha-a", "sha-a", "sha-a", "sha-a", "sha-a", "sha-b"], t.GroupKeys!);
        Assert.Equal(new DateTimeOffset(HandmadeFlows.T0).ToUnixTimeMilliseconds() * 1_000_000 + 2_500_000_000, t.TimestampsNs![3]);

        // id4 at 2.5 s: A's flows in [0.5, 2.5] are id2 (B:23 REJ), id3 (C:22 SF), id4 (B:22 SF); the interval start is inclusive.
        Assert.Equal(3, Value(t, id4, "src_2s_conns"));
        Assert.Equal(2, Value(t, id4, "src_2s_dst_hosts"));
        Assert.Equal(2, Value(t, id4, "src_2s_dst_ports"));
        Assert.Equal(0, Value(t, id4, "src_2s_serror_rate"));
        Assert.Equal(1f / 3, Value(t, id4, "src_2s_rerror_rate"), 5);
        Assert.Equal(2f / 3, Value(t, id4, "src_2s_same_port_rate"), 5);
        Assert.Equal(1, Value(t, id4, "src_2s_same_dst_port_conns"));
        // B's flows in [0.5, 2.5]: id2 (A, REJ), id4 (A, SF), id5 (D, S0, a peer at the same instant).
        Assert.Equal(3, Value(t, id4, "dst_2s_conns"));
        Assert.Equal(2, Value(t, id4, "dst_2s_src_hosts"));
        Assert.Equal(2, Value(t, id4, "dst_2s_dst_ports"));
        Assert.Equal(1f / 3, Value(t, id4, "dst_2s_serror_rate"), 5);
        Assert.Equal(1f / 3, Value(t, id4, "dst_2s_rerror_rate"), 5);
        Assert.Equal(2f / 3, Value(t, id4, "dst_2s_same_src_rate"), 5);

        // id1 alone in its window; an unanswered SYN.
        Assert.Equal(1, Value(t, id1, "src_2s_conns"));
        Assert.Equal(1, Value(t, id1, "src_2s_serror_rate"));
        // id6 at 10 s: nothing in 2 s, but the 60 s and 100-connection windows hold A's five flows, three of them to B:22.
        Assert.Equal(1, Value(t, id6, "src_2s_conns"));
        Assert.Equal(5, Value(t, id6, "src_60s_conns"));
        Assert.Equal(2, Value(t, id6, "src_60s_dst_hosts"));
        Assert.Equal(3, Value(t, id6, "src_60s_same_dst_port_conns"));
        Assert.Equal(5, Value(t, id6, "src_100c_conns"));
        Assert.Equal(2, Value(t, id6, "src_100c_dst_ports"));
        Assert.Equal(1f / 5, Value(t, id6, "src_100c_serror_rate"), 5);
        // Capture 2's flow sees only itself.
        Assert.Equal(1, Value(t, id7, "src_2s_conns"));
        Assert.Equal(1, Value(t, id7, "dst_60s_conns"));

        // Per-flow columns: one-hot state, proto and service, first packet size, NULL duration as 0, missing as NaN.
        Assert.Equal(1, Value(t, id1, "state_S0"));
        Assert.Equal(0, Value(t, id1, "state_SF"));
        Assert.Equal(1, Value(t, id1, "proto_tcp"));
        Assert.Equal(1, Value(t, id4, "service_ssh"));
        Assert.Equal(0, Value(t, id1, "service_ssh"));
        Assert.Equal(7, Value(t, id1, "splt_len_1"));
        Assert.True(float.IsNaN(Value(t, id1, "splt_len_2")));
        Assert.Equal(0, Value(t, id1, "duration"));
        Assert.Equal(22, Value(t, id1, "resp_p"));
        Assert.Equal(0, Value(t, id1, "http_requests"));          // no http record: zero requests, shape unknown (NaN)
        Assert.True(float.IsNaN(Value(t, id1, "http_uri_len_max")));
    }

    [Fact]
    public void ASubsetOfCapturesGetsTheSameFeaturesAsTheWholeDatabase()
    {
        using var f = new HandmadeFlows();
        for (var i = 0; i < 20; i++) f.Add(i * 0.3, "10.0.0.1", $"10.0.1.{i % 4}", 20 + i, i % 3 == 0 ? "S0" : "SF", capture: 1 + i % 2);
        var all = FlowFeatures.Extract(f.Db);
        var one = FlowFeatures.Extract(f.Db, [2]);
        Assert.Equal(10, one.Rows);
        Assert.Equal(all.FeatureHash, one.FeatureHash);
        for (var r = 0; r < one.Rows; r++)
        {
            var same = Array.IndexOf(all.RowIds!, one.RowIds![r]);
            Assert.Equal(all.Row(same).ToArray(), one.Row(r).ToArray());
        }
    }
}

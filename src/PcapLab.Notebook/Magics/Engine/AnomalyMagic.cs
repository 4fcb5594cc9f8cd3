using PcapLab.Ml;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary><c>#!anomaly [--seed n] [--top n]</c>: isolation-forest anomaly scores per flow for unlabelled captures.</summary>
internal sealed class AnomalyMagic : Magic
{
    public override string Name => "anomaly";
    public override string Description => "Scores every flow with an isolation forest (no labels needed; deterministic per seed) into the anomalies table";
    public override IReadOnlyList<MagicOption> Options =>
    [
        new("seed", "Seed of the forest (default 42); the same seed and flows give the same scores", ValueName: "n"),
        new("top", "Most anomalous flows to list (default 20)", ValueName: "n"),
    ];

    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        var seed = inv.GetInt64("seed", 42);
        if (seed is < int.MinValue or > int.MaxValue) throw new MagicUsageException(Name, "--seed must fit in 32 bits");
        var top = inv.GetInt64("top", 20);
        if (top is < 0 or > 100_000) throw new MagicUsageException(Name, "--top must be between 0 and 100000");
        var lab = cell.Session.Lab;
        AnomalyResult r;
        using (EngineMagics.InterruptDuckDb(cell.Session, ct))
            r = ModelDisplay.Guard(() => FlowModels.Anomalies(lab.Connection, (int)seed, ct));
        cell.Display(MimeBundle.PlainText($"{r.Flows} flow(s) scored by {r.Model} (scores in (0, 1]; above 0.6 is unusual)"));
        if (top > 0 && r.Flows > 0)
            cell.Display(lab.Query("""
                SELECT a.flow_id, round(a.score, 3) AS score, f.ts, f.proto, f.orig_h, f.orig_p, f.resp_h, f.resp_p, f.conn_state, f.service,
                       f.orig_pkts + f.resp_pkts AS pkts
                FROM anomalies a JOIN flows f USING (flow_id) WHERE a.model = $1 ORDER BY a.score DESC, a.flow_id LIMIT $2
                """, r.Model, top));
        return Task.CompletedTask;
    }
}

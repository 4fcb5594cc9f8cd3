using System.Globalization;
using PcapLab.Ml;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary><c>#!score --model models/ids.json [--threshold 0.8]</c>: predictions for every flow, alerts above the threshold.</summary>
internal sealed class ScoreMagic : Magic
{
    public override string Name => "score";
    public override string Description => "Scores every flow with a trained model into the predictions table and raises alerts above a threshold: #!score --model models/ids.json";
    public override IReadOnlyList<MagicOption> Options =>
    [
        new("model", "A model file written by #!train or pcaplab train", ValueName: "file", Required: true),
        new("threshold", "Alert when an attack label's probability reaches this (default 0.8)", ValueName: "p"),
    ];

    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        var model = EngineMagics.Required(this, inv, "model");
        var threshold = 0.8;
        if (inv.Get("threshold") is { } t && (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold) || threshold is < 0 or > 1))
            throw new MagicUsageException(Name, $"--threshold '{t}' is not a probability between 0 and 1");
        var lab = cell.Session.Lab;
        ScoreResult r;
        using (EngineMagics.InterruptDuckDb(cell.Session, ct))
            r = ModelDisplay.Guard(() => FlowModels.Score(lab.Connection, model, threshold, ct));
        var summary = lab.Query("""
            SELECT p.label, count(*) AS flows, round(avg(p.probability), 3) AS mean_probability,
                   count(*) FILTER (WHERE p.probability >= $2) AS at_threshold, count(DISTINCT f.orig_h) AS sources
            FROM predictions p JOIN flows f USING (flow_id) WHERE p.model = $1 GROUP BY p.label ORDER BY flows DESC
            """, r.Model, threshold);
        cell.Display(summary);
        cell.Display(MimeBundle.PlainText(string.Create(CultureInfo.InvariantCulture,
            $"{r.Flows} flow(s) scored by {r.Model}; {r.Alerts} alert(s) as rule '{r.Rule}' at probability >= {threshold:0.###} (SELECT * FROM alerts WHERE rule = '{r.Rule}')")));
        return Task.CompletedTask;
    }
}

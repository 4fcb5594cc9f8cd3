using PcapLab.Detect;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary><c>#!detect [--rules file.yaml]</c>: runs the detection rules into the alerts table and shows what fired.</summary>
internal sealed class DetectMagic : Magic
{
    public override string Name => "detect";
    public override string Description => "Runs the detection rules (scans, floods, brute force, DNS tunnelling, beaconing, web attacks) into the alerts table";
    public override IReadOnlyList<MagicOption> Options =>
    [
        new("rules", "A YAML file of rule thresholds, merged over the documented defaults", ValueName: "file"),
        new("top", "Alerts to list, most severe first (default 20)", ValueName: "n"),
    ];

    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        DetectionRules rules;
        // An empty value (a notebook parameter left blank) means the documented defaults.
        try { rules = DetectionRules.Load(string.IsNullOrWhiteSpace(inv.Get("rules")) ? null : inv.Get("rules")); }
        catch (DetectionRulesException e) { throw new MagicUsageException(Name, e.Message); }
        var top = inv.GetInt64("top", 20);
        if (top is < 0 or > 100_000) throw new MagicUsageException(Name, "--top must be between 0 and 100000");
        var lab = cell.Session.Lab;
        DetectionResult result;
        try
        {
            using (EngineMagics.InterruptDuckDb(cell.Session, ct))
                result = Detector.Run(lab.Connection, rules, ct);
        }
        catch (Store.DuckDb.DuckDbException e) when (!ct.IsCancellationRequested) { throw new CellFailure("SqlError", e.Message.Split('\n')[0], ["SqlError: " + e.Message]); }
        catch (Store.DuckDb.DuckDbException) { throw CellFailure.Interrupted(); }
        cell.Display(ModelDisplay.Table(["rule", "alerts"], result.AlertsByRule.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => new object?[] { p.Key, p.Value })));
        cell.Display(MimeBundle.PlainText($"{result.Total} alert(s) in {result.Elapsed.TotalSeconds:F2}s"
            + (result.Disabled.Count > 0 ? $"; disabled: {string.Join(", ", result.Disabled)}" : "")));
        if (top > 0 && result.Total > 0)
            cell.Display(lab.Query("""
                SELECT severity, rule, src, dst, summary, round(score, 3) AS score, ts, len(flow_ids) AS evidence_flows
                FROM alerts ORDER BY CASE severity WHEN 'MALICIOUS' THEN 0 WHEN 'SUSPICIOUS' THEN 1 ELSE 2 END, score DESC, ts LIMIT $1
                """, top));
        return Task.CompletedTask;
    }
}

using System.Diagnostics;
using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Detect;

/// <summary>
/// Runs the detection rules over the store (<c>flows</c>, <c>dns</c>, <c>http</c>) and (re)writes their rows of the
/// <c>alerts</c> table. Rules are set-based SQL inside DuckDB with thresholds bound as parameters; the few scores SQL
/// cannot express (beaconing regularity, web-attack payload matching) are computed in C# and appended.
/// </summary>
public static class Detector
{
    /// <summary>
    /// Runs every rule of <paramref name="rules"/>. Idempotent per rule: each rule's earlier alerts are replaced in one
    /// transaction, so re-running gives the same table; disabled rules' earlier alerts are removed. Alerts from other
    /// sources (models) are left alone.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> fired; the rule that was running is rolled back, finished rules stay.</exception>
    public static DetectionResult Run(DuckDbConnection db, DetectionRules rules, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rules);
        var clock = Stopwatch.StartNew();
        LabStore.EnsureSchema(db);
        var sink = new AlertSink(db, rules.MaxEvidenceFlows);
        var counts = new Dictionary<string, long>();
        var disabled = new List<string>();
        using var stop = ct.Register(db.Interrupt);
        foreach (var rule in rules.All)
        {
            ct.ThrowIfCancellationRequested();
            RunOne(db, sink, rule, ct);
            foreach (var name in rule.AlertRules)
            {
                if (rule.Enabled) counts[name] = db.Scalar<long>("SELECT count(*) FROM alerts WHERE rule = $1", name);
                else disabled.Add(name);
            }
        }
        return new DetectionResult(counts, disabled, clock.Elapsed);
    }

    private static void RunOne(DuckDbConnection db, AlertSink sink, DetectionRule rule, CancellationToken ct)
    {
        db.Execute("BEGIN TRANSACTION");
        try
        {
            foreach (var name in rule.AlertRules) db.Execute("DELETE FROM alerts WHERE rule = $1", name);
            if (rule.Enabled) rule.Detect(sink);
            sink.Flush();
            db.Execute("COMMIT");
        }
        catch (Exception e)
        {
            sink.Discard();
            db.Execute("ROLLBACK");
            if (e is DuckDbException { IsInterrupted: true } && ct.IsCancellationRequested) throw new OperationCanceledException("detection cancelled", e, ct);
            throw;
        }
    }
}

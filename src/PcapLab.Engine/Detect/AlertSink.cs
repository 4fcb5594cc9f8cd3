using PcapLab.Store.DuckDb;

namespace PcapLab.Detect;

/// <summary>An alert computed in C# (rules SQL cannot express), staged before it joins the <c>alerts</c> table.</summary>
internal sealed record StagedAlert(
    long TsNs, long LastTsNs, AlertSeverity Severity, string Rule, string? Src, string? Dst, string Summary, IReadOnlyList<long> FlowIds, double Score);

/// <summary>
/// Where rules put alerts. SQL rules insert straight from a SELECT; C# rules stage rows in temp tables (appender) that
/// join <c>alerts</c> in one INSERT. Alert ids continue from the table's largest.
/// </summary>
internal sealed class AlertSink
{
    private const string StageTable = "pcaplab_detect_stage";
    private const string EvidenceTable = "pcaplab_detect_evidence";
    private readonly List<StagedAlert> _staged = [];

    public AlertSink(DuckDbConnection db, int maxEvidenceFlows)
    {
        Db = db;
        MaxEvidenceFlows = maxEvidenceFlows;
        db.Execute($"""
            CREATE TEMP TABLE IF NOT EXISTS {StageTable} (alert_no INTEGER, ts TIMESTAMP_NS, last_ts TIMESTAMP_NS, severity VARCHAR,
                rule VARCHAR, src VARCHAR, dst VARCHAR, summary VARCHAR, score DOUBLE);
            CREATE TEMP TABLE IF NOT EXISTS {EvidenceTable} (alert_no INTEGER, pos INTEGER, flow_id BIGINT);
            """);
    }

    public DuckDbConnection Db { get; }

    public int MaxEvidenceFlows { get; }

    /// <summary>
    /// Inserts the rows of <paramref name="select"/>, which yields <c>ts, last_ts, severity, rule, src, dst, summary,
    /// flow_ids, score</c>. Parameter convention: <c>$1</c> the rule name, <c>$2</c> the evidence cap, thresholds from <c>$3</c>.
    /// </summary>
    public void InsertSelect(string rule, string select, params object?[] thresholds)
    {
        object?[] parameters = [rule, MaxEvidenceFlows, .. thresholds];
        Db.Execute($"""
            INSERT INTO alerts (alert_id, ts, last_ts, severity, rule, src, dst, summary, flow_ids, score)
            SELECT (SELECT coalesce(max(alert_id), 0) FROM alerts) + row_number() OVER (ORDER BY a.ts, a.src, a.dst, a.summary),
                   a.ts, a.last_ts, a.severity, a.rule, a.src, a.dst, a.summary, a.flow_ids, a.score
            FROM ({select}) a
            """, parameters);
    }

    /// <summary>Stages an alert computed in C#; <see cref="Flush"/> writes it.</summary>
    public void Add(StagedAlert alert) => _staged.Add(alert);

    /// <summary>Writes staged alerts into <c>alerts</c> and empties the stage.</summary>
    public void Flush()
    {
        if (_staged.Count == 0) return;
        using (var stage = Db.CreateAppender(StageTable))
        using (var evidence = Db.CreateAppender(EvidenceTable))
        {
            for (int i = 0; i < _staged.Count; i++)
            {
                var a = _staged[i];
                stage.AppendRow(i, a.TsNs, a.LastTsNs, a.Severity.ToText(), a.Rule, a.Src, a.Dst, a.Summary, a.Score);
                int n = Math.Min(a.FlowIds.Count, MaxEvidenceFlows);
                for (int k = 0; k < n; k++) evidence.AppendRow(i, k, a.FlowIds[k]);
            }
        }
        _staged.Clear();
        Db.Execute($"""
            INSERT INTO alerts (alert_id, ts, last_ts, severity, rule, src, dst, summary, flow_ids, score)
            SELECT (SELECT coalesce(max(alert_id), 0) FROM alerts) + row_number() OVER (ORDER BY s.ts, s.src, s.dst, s.alert_no),
                   s.ts, s.last_ts, s.severity, s.rule, s.src, s.dst, s.summary,
                   coalesce((SELECT list(e.flow_id ORDER BY e.pos) FROM {EvidenceTable} e WHERE e.alert_no = s.alert_no), []::BIGINT[]),
                   s.score
            FROM {StageTable} s;
            DELETE FROM {StageTable};
            DELETE FROM {EvidenceTable};
            """);
    }

    public void Discard() => _staged.Clear();
}

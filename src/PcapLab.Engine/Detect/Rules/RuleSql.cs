namespace PcapLab.Detect.Rules;

/// <summary>SQL fragments the rules share (constants: nothing from a capture or a rules file is ever spliced in).</summary>
internal static class RuleSql
{
    /// <summary>
    /// A connection attempt that never carried data: no answer (S0), refused (REJ), reset around the handshake
    /// (RSTOS0, RSTRH, SH, SHR, OTH), or reset right after it with no payload either way (a connect() scan's RSTO).
    /// </summary>
    public const string FailedAttempt = """
        (conn_state IN ('S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH')
         OR (conn_state IN ('RSTO', 'RSTR') AND coalesce(orig_bytes, 0) = 0 AND coalesce(resp_bytes, 0) = 0))
        """;

    /// <summary>
    /// Numbers episodes: rows of one key (the <c>{0}</c> columns) whose start times (<c>t</c>, ns) are more than
    /// <c>$3</c> seconds apart start a new episode. Wraps a subquery named by <c>{1}</c>; adds <c>episode</c>.
    /// </summary>
    public static string Episodes(string keys, string source) => $"""
        SELECT *, sum(CASE WHEN gap > $3 THEN 1 ELSE 0 END) OVER (PARTITION BY {keys} ORDER BY t, flow_id ROWS UNBOUNDED PRECEDING) AS episode
        FROM (SELECT *, (t - lag(t) OVER (PARTITION BY {keys} ORDER BY t, flow_id)) / 1e9 AS gap FROM {source})
        """;

    /// <summary>Seconds between the first start and the last end of a group.</summary>
    public const string SpanSeconds = "((epoch_ns(max(last_ts)) - epoch_ns(min(ts))) / 1e9)";

    /// <summary>The first flows of a group in time, capped at the evidence limit (<c>$2</c>).</summary>
    public const string Evidence = "list_slice(list(flow_id ORDER BY t, flow_id), 1, $2)";

    /// <summary>0.5 at the threshold, growing linearly to 1 at twice it.</summary>
    public static string Score(string measure, string threshold) => $"least(1.0, 0.5 * ({measure}) / greatest({threshold}, 1e-9))";
}

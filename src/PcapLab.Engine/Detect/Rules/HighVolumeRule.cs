namespace PcapLab.Detect.Rules;

/// <summary>
/// High volume per source: IP bytes a host sent in the connections it originated, over the whole store, above an
/// absolute limit, or far above the median source when there are enough sources to have a median. Why: exfiltration
/// and floods show up as one host sending much more than its peers. Severity SUSPICIOUS (backups and uploads are
/// legitimate too); score 0.5 at the limit that fired, 1 at twice it. Evidence: the source's largest flows.
/// </summary>
public sealed record HighVolumeRule : DetectionRule
{
    /// <summary>Bytes sent (IP bytes, <c>orig_ip_bytes</c>) that alert whatever the other sources do. Default 1000000000 (1 GB).</summary>
    public long MinBytes { get; init; }

    /// <summary>Alert a source that sent at least this many times the median source's bytes… Default 50.</summary>
    public double MedianFactor { get; init; }

    /// <summary>…and at least this many bytes (so tiny captures stay quiet). Default 50000000 (50 MB).</summary>
    public long MinBytesOverMedian { get; init; }

    /// <summary>…when at least this many sources originated traffic. Default 5.</summary>
    public int MinSources { get; init; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["high_volume"];

    internal override void Detect(AlertSink sink) => sink.InsertSelect("high_volume", """
        WITH pair AS (
            SELECT orig_h, resp_h, sum(orig_ip_bytes) AS bytes FROM flows GROUP BY ALL),
        top AS (
            SELECT orig_h, arg_max(resp_h, bytes) AS top_dst, max(bytes) AS top_bytes FROM pair GROUP BY orig_h),
        s AS (
            SELECT orig_h, sum(orig_ip_bytes) AS bytes, count(*) AS flows, count(DISTINCT resp_h) AS dsts, min(ts) AS ts, max(last_ts) AS last_ts,
                   list_slice(list(flow_id ORDER BY orig_ip_bytes DESC, flow_id), 1, $2) AS flow_ids
            FROM flows GROUP BY orig_h),
        m AS (SELECT median(bytes) AS med, count(*) AS sources FROM s),
        hit AS (
            SELECT s.*, top.top_dst, top.top_bytes, m.med, m.sources,
                   CASE WHEN s.bytes >= $3 THEN $3::DOUBLE ELSE greatest($4 * m.med, $5) END AS limit_hit
            FROM s JOIN top USING (orig_h), m
            WHERE s.bytes >= $3 OR (m.sources >= $6 AND s.bytes >= $5 AND s.bytes >= $4 * m.med))
        SELECT ts, last_ts, 'SUSPICIOUS' AS severity, $1 AS rule, orig_h AS src, CASE WHEN dsts = 1 THEN top_dst END AS dst,
               format('{} sent {:.1f} MB in {} flows to {} host(s) (median of {} sources: {:.1f} MB); most to {} ({:.0f}%)',
                      orig_h, bytes / 1e6, flows, dsts, sources, med / 1e6, top_dst, 100.0 * top_bytes / greatest(bytes, 1)) AS summary,
               flow_ids, least(1.0, 0.5 * bytes / limit_hit) AS score
        FROM hit
        """, MinBytes, MedianFactor, MinBytesOverMedian, MinSources);
}

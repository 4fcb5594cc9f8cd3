namespace PcapLab.Detect.Rules;

/// <summary>
/// Vertical port scan: one source → one host, many distinct destination ports, mostly failed connection attempts
/// (no answer, refused, reset without data), within an episode. Why: that is what nmap -sS/-sT/-sU look like, while a
/// busy client talks to few ports and its connections carry data. Severity SUSPICIOUS (reconnaissance);
/// score 0.5 at <see cref="MinPorts"/>, 1 at twice it.
/// </summary>
public sealed record VerticalScanRule : DetectionRule
{
    /// <summary>Flows of one source→host pair further apart than this (seconds) start a new episode. Default 300 (Zeek's scan interval is 5 min).</summary>
    public double MaxGapSeconds { get; init; }

    /// <summary>Distinct destination ports (TCP and UDP) within an episode to alert. Default 20.</summary>
    public int MinPorts { get; init; }

    /// <summary>Share of the episode's flows that are failed attempts. Default 0.6.</summary>
    [UnitInterval] public double MinFailedFraction { get; init; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["vertical_scan"];

    internal override void Detect(AlertSink sink) => sink.InsertSelect("vertical_scan", $$"""
        WITH f AS (
            SELECT flow_id, ts, last_ts, epoch_ns(ts) AS t, orig_h, resp_h, resp_p, {{RuleSql.FailedAttempt}} AS failed
            FROM flows WHERE proto IN ('tcp', 'udp')),
        e AS ({{RuleSql.Episodes("orig_h, resp_h", "f")}}),
        g AS (
            SELECT orig_h, resp_h, min(ts) AS ts, max(last_ts) AS last_ts, {{RuleSql.SpanSeconds}} AS secs,
                   count(DISTINCT resp_p) AS ports, count(*) AS flows, count(*) FILTER (WHERE failed) AS failed,
                   {{RuleSql.Evidence}} AS flow_ids
            FROM e GROUP BY orig_h, resp_h, episode)
        SELECT ts, last_ts, 'SUSPICIOUS' AS severity, $1 AS rule, orig_h AS src, resp_h AS dst,
               format('{} probed {} ports on {} in {:.1f} s; {} of {} connections failed', orig_h, ports, resp_h, secs, failed, flows) AS summary,
               flow_ids, {{RuleSql.Score("ports", "$4")}} AS score
        FROM g WHERE ports >= $4 AND failed >= $5 * flows
        """, MaxGapSeconds, MinPorts, MinFailedFraction);
}

/// <summary>
/// Horizontal scan: one source → one port (same transport) on many hosts, mostly failed attempts, within an episode.
/// Why: worms and nmap sweeps of a subnet look for one service everywhere; a client's successful connections to
/// many web servers do not count. Severity SUSPICIOUS; score 0.5 at <see cref="MinHosts"/>, 1 at twice it.
/// </summary>
public sealed record HorizontalScanRule : DetectionRule
{
    /// <summary>Flows of one source→port further apart than this (seconds) start a new episode. Default 300.</summary>
    public double MaxGapSeconds { get; init; }

    /// <summary>Distinct destination hosts on the port within an episode to alert. Default 20 (Zeek's address scan uses 25).</summary>
    public int MinHosts { get; init; }

    /// <summary>Share of the episode's flows that are failed attempts. Default 0.6.</summary>
    [UnitInterval] public double MinFailedFraction { get; init; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["horizontal_scan"];

    internal override void Detect(AlertSink sink) => sink.InsertSelect("horizontal_scan", $$"""
        WITH f AS (
            SELECT flow_id, ts, last_ts, epoch_ns(ts) AS t, orig_h, resp_h, resp_p, proto, {{RuleSql.FailedAttempt}} AS failed
            FROM flows WHERE proto IN ('tcp', 'udp')),
        e AS ({{RuleSql.Episodes("orig_h, proto, resp_p", "f")}}),
        g AS (
            SELECT orig_h, proto, resp_p, min(ts) AS ts, max(last_ts) AS last_ts, {{RuleSql.SpanSeconds}} AS secs,
                   count(DISTINCT resp_h) AS hosts, count(*) AS flows, count(*) FILTER (WHERE failed) AS failed,
                   {{RuleSql.Evidence}} AS flow_ids
            FROM e GROUP BY orig_h, proto, resp_p, episode)
        SELECT ts, last_ts, 'SUSPICIOUS' AS severity, $1 AS rule, orig_h AS src, NULL AS dst,
               format('{} probed {}/{} on {} hosts in {:.1f} s; {} of {} connections failed', orig_h, resp_p, proto, hosts, secs, failed, flows) AS summary,
               flow_ids, {{RuleSql.Score("hosts", "$4")}} AS score
        FROM g WHERE hosts >= $4 AND failed >= $5 * flows
        """, MaxGapSeconds, MinHosts, MinFailedFraction);
}

/// <summary>
/// ICMP sweep: one source sends echo requests (ICMPv4 type 8, ICMPv6 type 128) to many hosts within an episode.
/// Why: a ping sweep (nmap -sn, fping) maps which hosts are up. Severity SUSPICIOUS; score 0.5 at
/// <see cref="MinHosts"/>, 1 at twice it.
/// </summary>
public sealed record IcmpSweepRule : DetectionRule
{
    /// <summary>Echo requests of one source further apart than this (seconds) start a new episode. Default 300.</summary>
    public double MaxGapSeconds { get; init; }

    /// <summary>Distinct hosts pinged within an episode to alert. Default 20.</summary>
    public int MinHosts { get; init; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["icmp_sweep"];

    internal override void Detect(AlertSink sink) => sink.InsertSelect("icmp_sweep", $$"""
        WITH f AS (
            SELECT flow_id, ts, last_ts, epoch_ns(ts) AS t, orig_h, resp_h, resp_pkts > 0 AS answered
            FROM flows WHERE proto = 'icmp' AND ((ip_proto = 1 AND orig_p = 8) OR (ip_proto = 58 AND orig_p = 128))),
        e AS ({{RuleSql.Episodes("orig_h", "f")}}),
        g AS (
            SELECT orig_h, min(ts) AS ts, max(last_ts) AS last_ts, {{RuleSql.SpanSeconds}} AS secs,
                   count(DISTINCT resp_h) AS hosts, count(DISTINCT resp_h) FILTER (WHERE answered) AS up,
                   {{RuleSql.Evidence}} AS flow_ids
            FROM e GROUP BY orig_h, episode)
        SELECT ts, last_ts, 'SUSPICIOUS' AS severity, $1 AS rule, orig_h AS src, NULL AS dst,
               format('{} pinged {} hosts in {:.1f} s; {} answered', orig_h, hosts, secs, up) AS summary,
               flow_ids, {{RuleSql.Score("hosts", "$4")}} AS score
        FROM g WHERE hosts >= $4
        """, MaxGapSeconds, MinHosts);
}

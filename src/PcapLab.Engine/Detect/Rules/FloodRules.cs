namespace PcapLab.Detect.Rules;

/// <summary>
/// SYN flood: many failed TCP handshakes (no answer, refused, or reset without data) to one host:port at a high rate,
/// within an episode, whatever the sources. Many sources each with only a few attempts are reported as spoofed-looking
/// (hping3 --rand-source). Why: a scan spreads over ports or hosts, a flood piles onto one service. Severity MALICIOUS;
/// score 0.5 at <see cref="MinRate"/>, 1 at twice it.
/// </summary>
public sealed record SynFloodRule : DetectionRule
{
    /// <summary>Attempts to one host:port further apart than this (seconds) start a new episode. Default 5.</summary>
    public double MaxGapSeconds { get; init; }

    /// <summary>Failed attempts within an episode to alert. Default 200.</summary>
    public int MinFlows { get; init; }

    /// <summary>Failed attempts per second (over the episode, at least 1 s long) to alert. Default 50.</summary>
    public double MinRate { get; init; }

    /// <summary>Distinct sources from which the flood is called spoofed-looking. Default 20.</summary>
    public int SpoofedMinSources { get; init; }

    /// <summary>…provided no source sent more than this many attempts. Default 3.</summary>
    public int SpoofedMaxFlowsPerSource { get; init; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["syn_flood"];

    internal override void Detect(AlertSink sink) => sink.InsertSelect("syn_flood", $$"""
        WITH f AS (
            SELECT flow_id, ts, last_ts, epoch_ns(ts) AS t, orig_h, resp_h, resp_p
            FROM flows WHERE proto = 'tcp' AND {{RuleSql.FailedAttempt}}),
        e AS ({{RuleSql.Episodes("resp_h, resp_p", "f")}}),
        per_source AS (
            SELECT resp_h, resp_p, episode, orig_h, count(*) AS n FROM e GROUP BY ALL),
        sources AS (
            SELECT resp_h, resp_p, episode, count(*) AS sources, max(n) AS max_per_source, arg_max(orig_h, n) AS top_source, max(n) AS top_n
            FROM per_source GROUP BY ALL),
        g AS (
            SELECT resp_h, resp_p, episode, min(ts) AS ts, max(last_ts) AS last_ts, {{RuleSql.SpanSeconds}} AS secs,
                   count(*) AS flows, {{RuleSql.Evidence}} AS flow_ids
            FROM e GROUP BY resp_h, resp_p, episode)
        SELECT g.ts, g.last_ts, 'MALICIOUS' AS severity, $1 AS rule,
               CASE WHEN s.sources = 1 THEN s.top_source END AS src, g.resp_h AS dst,
               format('{} failed TCP handshakes to {}:{} in {:.1f} s ({:.0f}/s) from {} source(s){}', g.flows, g.resp_h, g.resp_p, g.secs,
                      g.flows / greatest(g.secs, 1.0), s.sources,
                      CASE WHEN s.sources >= $6 AND s.max_per_source <= $7 THEN format(', spoofed-looking: at most {} per source', s.max_per_source)
                           WHEN s.sources > 1 THEN format(', most from {} ({})', s.top_source, s.top_n) ELSE '' END) AS summary,
               g.flow_ids, {{RuleSql.Score("g.flows / greatest(g.secs, 1.0)", "$5")}} AS score
        FROM g JOIN sources s USING (resp_h, resp_p, episode)
        WHERE g.flows >= $4 AND g.flows / greatest(g.secs, 1.0) >= $5
        """, MaxGapSeconds, MinFlows, MinRate, SpoofedMinSources, SpoofedMaxFlowsPerSource);
}

/// <summary>
/// A packet flood of one transport at one host: packets per second from all sources, over flows whose starts are
/// within <see cref="MaxGapSeconds"/> of each other, with few answers. Source is named when there is one, else NULL
/// with the count of sources (spoofed floods). Severity MALICIOUS; score 0.5 at <see cref="MinPacketsPerSecond"/>, 1 at twice it.
/// </summary>
public abstract record PacketFloodRule : DetectionRule
{
    /// <summary>Flows to one host starting further apart than this (seconds) start a new episode.</summary>
    public double MaxGapSeconds { get; init; }

    /// <summary>Packets sent to the host within an episode to alert.</summary>
    public long MinPackets { get; init; }

    /// <summary>Packets per second sent to the host (over the episode, at least 1 s long) to alert.</summary>
    public double MinPacketsPerSecond { get; init; }

    /// <summary>Most packets answered per packet sent; 1 turns the check off.</summary>
    [UnitInterval] public double MaxReplyRatio { get; init; }

    private protected abstract string Proto { get; }

    internal override void Detect(AlertSink sink) => sink.InsertSelect(AlertRules[0], $$"""
        WITH f AS (
            SELECT flow_id, ts, last_ts, epoch_ns(ts) AS t, orig_h, resp_h, orig_pkts, resp_pkts
            FROM flows WHERE proto = $7),
        e AS ({{RuleSql.Episodes("resp_h", "f")}}),
        g AS (
            SELECT resp_h, min(ts) AS ts, max(last_ts) AS last_ts, {{RuleSql.SpanSeconds}} AS secs,
                   sum(orig_pkts) AS pkts, sum(resp_pkts) AS replies, count(DISTINCT orig_h) AS sources,
                   arg_max(orig_h, orig_pkts) AS top_source, count(*) AS flows, {{RuleSql.Evidence}} AS flow_ids
            FROM e GROUP BY resp_h, episode)
        SELECT ts, last_ts, 'MALICIOUS' AS severity, $1 AS rule, CASE WHEN sources = 1 THEN top_source END AS src, resp_h AS dst,
               format('{} {} packets to {} in {:.1f} s ({:.0f}/s) over {} flow(s) from {} source(s), {} answered', pkts, upper($7), resp_h, secs,
                      pkts / greatest(secs, 1.0), flows, sources, replies) AS summary,
               flow_ids, {{RuleSql.Score("pkts / greatest(secs, 1.0)", "$5")}} AS score
        FROM g WHERE pkts >= $4 AND pkts / greatest(secs, 1.0) >= $5 AND replies <= $6 * pkts
        """, MaxGapSeconds, MinPackets, MinPacketsPerSecond, MaxReplyRatio, Proto);
}

/// <summary>
/// UDP flood (hping3 --udp --flood, amplification victims): many unanswered UDP packets per second to one host. Why:
/// busy UDP services (DNS, QUIC) answer most packets; a flood is one-way. Defaults: gap 5 s, 2000 packets, 500/s,
/// at most 0.2 answers per packet. <inheritdoc cref="PacketFloodRule"/>
/// </summary>
public sealed record UdpFloodRule : PacketFloodRule
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["udp_flood"];

    private protected override string Proto => "udp";
}

/// <summary>
/// ICMP flood (ping -f, hping3 --icmp --flood): many ICMP packets per second to one host. Why: ordinary pings are
/// about one a second; the victim answers echo requests, so answers are not checked by default. Defaults: gap 5 s,
/// 1000 packets, 100/s, reply ratio 1 (off). <inheritdoc cref="PacketFloodRule"/>
/// </summary>
public sealed record IcmpFloodRule : PacketFloodRule
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["icmp_flood"];

    private protected override string Proto => "icmp";
}

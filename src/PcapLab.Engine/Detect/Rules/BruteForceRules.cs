using System.Globalization;

namespace PcapLab.Detect.Rules;

/// <summary>
/// Login brute force over a protocol that opens a connection per try (or per few tries): many short connections, where
/// the server spoke, from one source to one server within an episode, most of them short and of similar size. The
/// service is taken from <c>flows.service</c> when the dissector set one, else from the destination port. Severity
/// MALICIOUS; score 0.5 at <see cref="MinAttempts"/>, 1 at twice it.
/// </summary>
public abstract record LoginBruteForceRule : DetectionRule
{
    /// <summary>Destination ports used when <c>flows.service</c> is not set.</summary>
    public int[] Ports { get; init; } = [];

    /// <summary>Connections of one source→server further apart than this (seconds) start a new episode.</summary>
    public double MaxGapSeconds { get; init; }

    /// <summary>Short connections (attempts) within an episode to alert.</summary>
    public int MinAttempts { get; init; }

    /// <summary>Largest payload, both directions, of a connection that counts as an attempt (a failed login is small).</summary>
    public long MaxAttemptBytes { get; init; }

    /// <summary>Largest coefficient of variation (stddev/mean) of the attempts' originator bytes: tries look alike.</summary>
    public double MaxSizeCv { get; init; }

    /// <summary>Share of the episode's answered connections that are attempts (interactive sessions are long).</summary>
    [UnitInterval] public double MinAttemptFraction { get; init; }

    private protected abstract string Service { get; }

    internal override void Detect(AlertSink sink) => sink.InsertSelect(AlertRules[0], $$"""
        WITH f AS (
            SELECT flow_id, ts, last_ts, epoch_ns(ts) AS t, orig_h, resp_h, resp_p,
                   coalesce(orig_bytes, 0) AS ob, coalesce(orig_bytes, 0) + coalesce(resp_bytes, 0) AS bytes
            FROM flows
            WHERE proto = 'tcp' AND coalesce(resp_bytes, 0) > 0
              AND CASE WHEN coalesce(service, '') <> '' THEN list_contains(string_split(service, ','), $9)
                       ELSE list_contains(CAST(string_split($8, ',') AS INTEGER[]), resp_p) END),
        e AS ({{RuleSql.Episodes("orig_h, resp_h", "f")}}),
        g AS (
            SELECT orig_h, resp_h, min(ts) AS ts, max(last_ts) AS last_ts, {{RuleSql.SpanSeconds}} AS secs,
                   count(*) AS flows, count(*) FILTER (WHERE bytes <= $5) AS attempts, any_value(resp_p) AS port,
                   coalesce(stddev_pop(ob) FILTER (WHERE bytes <= $5) / nullif(avg(ob) FILTER (WHERE bytes <= $5), 0), 0) AS cv,
                   avg(bytes) FILTER (WHERE bytes <= $5) AS mean_bytes,
                   list_slice(list(flow_id ORDER BY t, flow_id) FILTER (WHERE bytes <= $5), 1, $2) AS flow_ids
            FROM e GROUP BY orig_h, resp_h, episode)
        SELECT ts, last_ts, 'MALICIOUS' AS severity, $1 AS rule, orig_h AS src, resp_h AS dst,
               format('{} made {} short {} connections to {}:{} in {:.0f} s (about {:.0f} bytes each, size cv {:.2f}){}', orig_h, attempts, $9, resp_h, port, secs,
                      mean_bytes, cv, CASE WHEN flows > attempts THEN format('; {} longer session(s) too: a try may have succeeded', flows - attempts) ELSE '' END) AS summary,
               flow_ids, {{RuleSql.Score("attempts", "$4")}} AS score
        FROM g WHERE attempts >= $4 AND cv <= $6 AND attempts >= $7 * flows
        """, MaxGapSeconds, MinAttempts, MaxAttemptBytes, MaxSizeCv, MinAttemptFraction,
        string.Join(',', Ports.Select(p => p.ToString(CultureInfo.InvariantCulture))), Service);
}

/// <summary>
/// SSH brute force (hydra, ncrack, bots): many short SSH connections of similar size from one source to one server.
/// Why: a failed login is a handshake plus a few tries, a few kB each, always alike; real sessions are longer and vary.
/// Defaults: ports [22, 2222], gap 600 s, 10 attempts, ≤ 20000 bytes each, size cv ≤ 0.5, ≥ 0.8 of connections.
/// <inheritdoc cref="LoginBruteForceRule"/>
/// </summary>
public sealed record SshBruteForceRule : LoginBruteForceRule
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["ssh_brute_force"];

    private protected override string Service => "ssh";
}

/// <summary>
/// FTP brute force: many short FTP control connections from one source to one server. Why: FTP tools reconnect after a
/// few failed USER/PASS pairs. Defaults: ports [21], gap 600 s, 10 attempts, ≤ 2000 bytes each, size cv ≤ 1,
/// ≥ 0.8 of connections. <inheritdoc cref="LoginBruteForceRule"/>
/// </summary>
public sealed record FtpBruteForceRule : LoginBruteForceRule
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["ftp_brute_force"];

    private protected override string Service => "ftp";
}

/// <summary>
/// HTTP authentication brute force: many 401/403 answers to one source from one server within an episode, and most of
/// its answered requests failing. Why: a user mistyping a password sees a few 401s then a 200; a password-guessing
/// tool sees hundreds. Severity MALICIOUS; score 0.5 at <see cref="MinFailures"/>, 1 at twice it.
/// </summary>
public sealed record HttpAuthBruteForceRule : DetectionRule
{
    /// <summary>Requests of one source→server further apart than this (seconds) start a new episode. Default 600.</summary>
    public double MaxGapSeconds { get; init; }

    /// <summary>401/403 answers within an episode to alert. Default 20.</summary>
    public int MinFailures { get; init; }

    /// <summary>Share of answered requests in the episode that got 401/403. Default 0.5.</summary>
    [UnitInterval] public double MinFailureFraction { get; init; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["http_auth_brute_force"];

    internal override void Detect(AlertSink sink) => sink.InsertSelect("http_auth_brute_force", $$"""
        WITH f AS (
            SELECT h.flow_id, h.ts, h.ts AS last_ts, epoch_ns(h.ts) AS t, c.orig_h, c.resp_h, h.status_code IN (401, 403) AS failed,
                   h.status_code = 401 AS unauthorized, h.host, h.uri
            FROM http h JOIN flows c ON c.flow_id = h.flow_id AND c.capture_id = h.capture_id
            WHERE h.status_code IS NOT NULL),
        e AS ({{RuleSql.Episodes("orig_h, resp_h", "f")}}),
        g AS (
            SELECT orig_h, resp_h, min(ts) AS ts, max(last_ts) AS last_ts, {{RuleSql.SpanSeconds}} AS secs,
                   count(*) AS answered, count(*) FILTER (WHERE failed) AS failures, count(*) FILTER (WHERE unauthorized) AS u401,
                   count(DISTINCT uri) FILTER (WHERE failed) AS uris, mode(uri) FILTER (WHERE failed) AS top_uri,
                   list_slice(list_sort(list(DISTINCT flow_id) FILTER (WHERE failed)), 1, $2) AS flow_ids
            FROM e GROUP BY orig_h, resp_h, episode)
        SELECT ts, last_ts, 'MALICIOUS' AS severity, $1 AS rule, orig_h AS src, resp_h AS dst,
               format('{} got {} of {} answers refused by {} ({} × 401) in {:.0f} s on {} URI(s), mostly {}', orig_h, failures, answered, resp_h, u401, secs, uris,
                      left(top_uri, 120)) AS summary,
               flow_ids, {{RuleSql.Score("failures", "$4")}} AS score
        FROM g WHERE failures >= $4 AND failures >= $5 * answered
        """, MaxGapSeconds, MinFailures, MinFailureFraction);
}

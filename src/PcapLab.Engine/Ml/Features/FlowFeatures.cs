using System.Text;
using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Ml.Features;

/// <summary>
/// The one definition of the flow features models train and score on: per-flow statistics from <c>flows</c>
/// (Zeek's conn.log counters, CICFlowMeter-style statistics, flag counts, initial windows, the first packet sizes,
/// one-hot protocol, state and service) plus context over a sliding window per source and per destination, as in the
/// KDD'99 / CIC time-based features (what else the host did in the last 2 s, 60 s, 100 connections). Training and
/// scoring both call <see cref="Extract"/>, so the columns cannot drift apart; the first feature names the extractor
/// version, so a model trained on another version is refused by its feature hash.
/// </summary>
/// <example><code>
/// FeatureTable t = FlowFeatures.Extract(Lab.Connection);            // every flow, rows ordered by capture, ts
/// Console.WriteLine($"{t.Rows} flows x {t.Columns} features, hash {FlowFeatures.Hash[..12]}");
/// </code></example>
public static class FlowFeatures
{
    /// <summary>The extractor version; bumped whenever any feature's meaning changes (its name is feature 0, so the hash changes too).</summary>
    public const int Version = 1;

    /// <summary>Seconds of the short time window (KDD's "same host in the past 2 seconds").</summary>
    public const int ShortWindowSeconds = 2;

    /// <summary>Seconds of the long time window (slow attacks: brute force, low-rate scans).</summary>
    public const int LongWindowSeconds = 60;

    /// <summary>Connections in the count window (KDD's "past 100 connections to the same host").</summary>
    public const int CountWindow = 100;

    // Zeek conn_state groups: a SYN that never got established (KDD's serror), and a refused or reset attempt (rerror).
    private const string SynError = "conn_state IN ('S0','S1','S2','S3','SH','SHR','RSTOS0','OTH')";
    private const string RejError = "conn_state IN ('REJ','RSTO','RSTR','RSTRH')";

    private static readonly string[] ConnStates = ["S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH"];
    private static readonly string[] Services = ["dns", "http", "ssl", "ssh", "smtp", "ftp", "quic", "dhcp", "ntp"];
    private const int SpltSizes = 8;

    // flows columns used as they are (NULL becomes NaN, missing to XGBoost).
    private static readonly string[] Direct =
    [
        "orig_pkts", "resp_pkts", "orig_bytes", "resp_bytes", "orig_ip_bytes", "resp_ip_bytes", "missed_bytes", "resp_p",
        "fwd_pkt_len_min", "fwd_pkt_len_max", "fwd_pkt_len_mean", "fwd_pkt_len_std",
        "bwd_pkt_len_min", "bwd_pkt_len_max", "bwd_pkt_len_mean", "bwd_pkt_len_std",
        "flow_iat_min", "flow_iat_max", "flow_iat_mean", "flow_iat_std",
        "fwd_iat_min", "fwd_iat_max", "fwd_iat_mean", "fwd_iat_std",
        "bwd_iat_min", "bwd_iat_max", "bwd_iat_mean", "bwd_iat_std",
        "fin_flag_cnt", "syn_flag_cnt", "rst_flag_cnt", "psh_flag_cnt", "ack_flag_cnt", "urg_flag_cnt", "ece_flag_cnt", "cwr_flag_cnt",
        "init_fwd_win_bytes", "init_bwd_win_bytes",
        "active_min", "active_max", "active_mean", "active_std", "idle_min", "idle_max", "idle_mean", "idle_std",
        "flow_bytes_per_s", "flow_pkts_per_s", "down_up_ratio",
    ];

    private static readonly (string Name, string Sql)[] Definitions = Define();

    /// <summary>Feature names in column order (feature 0 is the version marker <c>flowfeatures_v{Version}</c>).</summary>
    public static IReadOnlyList<string> Names { get; } = Definitions.Select(d => d.Name).ToArray();

    /// <summary><see cref="FeatureTable.HashFeatureNames"/> of <see cref="Names"/>: what a model card records and scoring compares.</summary>
    public static string Hash { get; } = FeatureTable.HashFeatureNames(Definitions.Select(d => d.Name).ToArray());

    /// <summary>
    /// The SQL computing every feature for every flow: columns <c>flow_id, capture_id, sha256, ts_ns</c>, then the
    /// features in <see cref="Names"/> order. Context windows are partitioned by capture, so one capture's flows never
    /// count toward another's.
    /// </summary>
    public static string Sql { get; } = BuildSql();

    /// <summary>
    /// Computes the features of the flows in <c>flows</c> (all captures, or only <paramref name="captureIds"/>), ordered
    /// by capture, time and flow_id: GroupKeys = the capture's sha256, TimestampsNs = the flow's first packet, RowIds = flow_id.
    /// Windows always see every flow of a capture, whatever the selection.
    /// </summary>
    public static FeatureTable Extract(DuckDbConnection db, IReadOnlyCollection<int>? captureIds = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        LabStore.EnsureSchema(db);
        using var stop = ct.Register(db.Interrupt);
        var where = captureIds is null ? "" : captureIds.Count == 0 ? "WHERE false" : $"WHERE capture_id IN ({string.Join(",", captureIds)})";
        var names = Definitions.Select(d => d.Name).ToArray();
        var values = new List<float>();
        var groups = new List<string>();
        var times = new List<long>();
        var ids = new List<long>();
        using (var r = db.Query($"SELECT * FROM ({Sql}) {where} ORDER BY capture_id, ts_ns, flow_id"))
        {
            while (r.Read())
            {
                ct.ThrowIfCancellationRequested();
                ids.Add(r.GetInt64(0));
                groups.Add(r.IsNull(2) ? "capture:" + r.GetInt64(1) : r.GetString(2));
                times.Add(r.GetInt64(3));
                for (var c = 0; c < names.Length; c++)
                    values.Add(r.IsNull(4 + c) ? float.NaN : (float)r.GetDouble(4 + c));
            }
        }
        return new FeatureTable(names, [.. values]) { GroupKeys = [.. groups], TimestampsNs = [.. times], RowIds = [.. ids] };
    }

    private static (string, string)[] Define()
    {
        var d = new List<(string, string)> { ($"flowfeatures_v{Version}", "1") };
        d.Add(("duration", "coalesce(duration, 0)"));
        foreach (var c in Direct) d.Add((c, c));
        d.Add(("history_len", "length(coalesce(history, ''))"));
        for (var i = 1; i <= SpltSizes; i++) d.Add(($"splt_len_{i}", $"splt_len[{i}]"));
        foreach (var p in (string[])["tcp", "udp", "icmp"]) d.Add(($"proto_{p}", $"(proto = '{p}')::INTEGER"));
        foreach (var s in ConnStates) d.Add(($"state_{s}", $"(conn_state = '{s}')::INTEGER"));
        foreach (var s in Services) d.Add(($"service_{s}", $"coalesce(list_contains(string_split(service, ','), '{s}'), false)::INTEGER"));

        // Application layer, where a record exists: HTTP request shape (web attacks hide in URIs and bodies), DNS name shape (tunnels).
        d.Add(("http_requests", "coalesce(h.requests, 0)"));
        d.Add(("http_uri_len_max", "h.uri_len_max"));
        d.Add(("http_uri_special_max", "h.uri_special_max"));
        d.Add(("http_uri_pct_max", "h.uri_pct_max"));
        d.Add(("http_body_len_max", "h.body_len_max"));
        d.Add(("http_error_share", "h.error_share"));
        d.Add(("dns_queries", "coalesce(q.queries, 0)"));
        d.Add(("dns_query_len_max", "q.query_len_max"));
        d.Add(("dns_label_len_max", "q.label_len_max"));
        d.Add(("dns_txt_share", "q.txt_share"));

        // Context per source host: KDD's "same host" and "same service" rates, over 2 s, 60 s and the last 100 connections.
        foreach (var (w, frame) in Windows())
        {
            var src = $"PARTITION BY capture_id, orig_h {frame}";
            var dst = $"PARTITION BY capture_id, resp_h {frame}";
            d.Add(($"src_{w}_conns", $"count(*) OVER ({src})"));
            d.Add(($"src_{w}_dst_hosts", $"count(DISTINCT resp_h) OVER ({src})"));
            d.Add(($"src_{w}_dst_ports", $"count(DISTINCT resp_p) OVER ({src})"));
            d.Add(($"src_{w}_serror_rate", $"avg(serror) OVER ({src})"));
            d.Add(($"src_{w}_rerror_rate", $"avg(rerror) OVER ({src})"));
            d.Add(($"src_{w}_same_port_rate", $"count(*) OVER (PARTITION BY capture_id, orig_h, resp_p {frame}) / count(*) OVER ({src})"));
            d.Add(($"src_{w}_same_dst_port_conns", $"count(*) OVER (PARTITION BY capture_id, orig_h, resp_h, resp_p {frame})"));
            d.Add(($"src_{w}_mean_orig_bytes", $"avg(coalesce(orig_bytes, 0)) OVER ({src})"));
            d.Add(($"dst_{w}_conns", $"count(*) OVER ({dst})"));
            d.Add(($"dst_{w}_src_hosts", $"count(DISTINCT orig_h) OVER ({dst})"));
            d.Add(($"dst_{w}_dst_ports", $"count(DISTINCT resp_p) OVER ({dst})"));
            d.Add(($"dst_{w}_serror_rate", $"avg(serror) OVER ({dst})"));
            d.Add(($"dst_{w}_rerror_rate", $"avg(rerror) OVER ({dst})"));
            d.Add(($"dst_{w}_same_src_rate", $"count(*) OVER (PARTITION BY capture_id, resp_h, orig_h {frame}) / count(*) OVER ({dst})"));
        }
        return [.. d];
    }

    // Time windows are RANGE frames on the flow start (peers with the same ts are included); the count window is a ROWS frame.
    private static IEnumerable<(string Name, string Frame)> Windows() =>
    [
        ($"{ShortWindowSeconds}s", $"ORDER BY t RANGE BETWEEN INTERVAL {ShortWindowSeconds} SECONDS PRECEDING AND CURRENT ROW"),
        ($"{LongWindowSeconds}s", $"ORDER BY t RANGE BETWEEN INTERVAL {LongWindowSeconds} SECONDS PRECEDING AND CURRENT ROW"),
        ($"{CountWindow}c", $"ORDER BY t, flow_id ROWS BETWEEN {CountWindow - 1} PRECEDING AND CURRENT ROW"),
    ];

    private static string BuildSql()
    {
        var sb = new StringBuilder();
        sb.Append($"""
            WITH f AS (
                SELECT fl.*, fl.ts::TIMESTAMP AS t, ({SynError})::INTEGER AS serror, ({RejError})::INTEGER AS rerror
                FROM flows fl)
            SELECT f.flow_id, f.capture_id, c.sha256, epoch_ns(f.ts) AS ts_ns
            """);
        foreach (var (name, sql) in Definitions) sb.Append(",\n    (").Append(sql).Append(")::DOUBLE AS \"").Append(name).Append('"');
        sb.Append("""

            FROM f LEFT JOIN captures c USING (capture_id)
            LEFT JOIN (
                SELECT flow_id, count(*) AS requests, max(length(uri)) AS uri_len_max,
                       max(length(regexp_replace(coalesce(uri, ''), '[A-Za-z0-9/._~?=&-]', '', 'g'))) AS uri_special_max,
                       max(length(uri) - length(replace(uri, '%', ''))) AS uri_pct_max,
                       max(request_body_len) AS body_len_max, avg((status_code >= 400)::INTEGER) AS error_share
                FROM http WHERE flow_id IS NOT NULL GROUP BY flow_id) h USING (flow_id)
            LEFT JOIN (
                SELECT flow_id, count(*) AS queries, max(length(query)) AS query_len_max,
                       max(list_max(list_transform(string_split(coalesce(query, ''), '.'), x -> length(x)))) AS label_len_max,
                       avg((qtype_name IN ('TXT', 'NULL'))::INTEGER) AS txt_share
                FROM dns WHERE flow_id IS NOT NULL GROUP BY flow_id) q USING (flow_id)
            """);
        return sb.ToString();
    }
}

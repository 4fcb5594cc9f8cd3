using PcapLab.Detect;
using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Engine.Tests.Detect;

/// <summary>One row of the alerts table, as tests read it.</summary>
internal sealed record AlertRow(long Id, string Severity, string Rule, string? Src, string? Dst, string Summary, long[] FlowIds, double Score, DateTime Ts, DateTime LastTs);

/// <summary>
/// An in-memory store that tests fill with realistic rows (the columns the ingest pipeline writes, with Zeek's
/// semantics), then run the detector over. Times are seconds after <see cref="Epoch"/>.
/// </summary>
internal sealed class DetectDb : IDisposable
{
    public static readonly DateTime Epoch = new(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly DuckDbDatabase _database;
    private long _nextFlow = 1;

    public DetectDb()
    {
        (_database, Db) = LabStore.Open(null);
        Db.Execute("BEGIN TRANSACTION");
    }

    public DuckDbConnection Db { get; }

    private bool _open = true;

    private void Commit()
    {
        if (!_open) return;
        Db.Execute("COMMIT");
        _open = false;
    }

    /// <summary>Adds a flow; returns its flow_id.</summary>
    public long Flow(double ts, string orig, int origP, string resp, int respP, string proto = "tcp", string state = "SF",
        long origBytes = 0, long respBytes = 0, long origPkts = 1, long respPkts = 0, double duration = 0, string? service = null)
    {
        if (!_open) { Db.Execute("BEGIN TRANSACTION"); _open = true; }
        long id = _nextFlow++;
        long t = Ns(ts), last = Ns(ts + duration);
        byte ipProto = proto switch { "tcp" => 6, "udp" => 17, "icmp" => (byte)(orig.Contains(':') ? 58 : 1), _ => 0 };
        long headers = proto == "tcp" ? 40 : proto == "udp" ? 28 : 28;
        Db.Execute("""
            INSERT INTO flows (flow_id, capture_id, ts, last_ts, duration, proto, ip_proto, service, orig_h, orig_p, resp_h, resp_p,
                orig_pkts, orig_bytes, orig_ip_bytes, resp_pkts, resp_bytes, resp_ip_bytes, missed_bytes, conn_state, community_id)
            VALUES ($1, 1, make_timestamp_ns($2), make_timestamp_ns($3), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 0, $18, '1:test')
            """,
            id, t, last, duration > 0 ? duration : null, proto, ipProto, service, orig, (ushort)origP, resp, (ushort)respP,
            origPkts, origBytes, origBytes + headers * origPkts, respPkts, respBytes, respBytes + headers * respPkts, state);
        return id;
    }

    /// <summary>Adds a DNS query (and its UDP flow from <paramref name="client"/> to <paramref name="resolver"/>:53).</summary>
    public long Dns(double ts, string client, string resolver, string query, string qtype = "A", int port = 40000)
    {
        long flow = Flow(ts, client, port, resolver, 53, "udp", "SF", origBytes: 20 + query.Length, respBytes: 40 + query.Length, origPkts: 1, respPkts: 1, duration: 0.001, service: "dns");
        ushort qt = qtype switch { "A" => 1, "AAAA" => 28, "TXT" => 16, "NULL" => 10, "MX" => 15, "PTR" => 12, _ => 1 };
        Db.Execute("INSERT INTO dns (capture_id, flow_id, ts, query, qtype, qtype_name, rcode, rcode_name) VALUES (1, $1, make_timestamp_ns($2), $3, $4, $5, 0, 'NOERROR')",
            flow, Ns(ts), query, qt, qtype);
        return flow;
    }

    /// <summary>Adds an HTTP request on its own TCP flow (or on <paramref name="flow"/> when given).</summary>
    public long Http(double ts, string client, string server, string method, string uri, int status, string? body = null,
        string? userAgent = "Mozilla/5.0", long? flow = null, int port = 8080, string? referrer = null)
    {
        long id = flow ?? Flow(ts, client, 50000 + (int)(_nextFlow % 10000), server, port, "tcp", "SF", origBytes: 300 + uri.Length, respBytes: 1500, origPkts: 5, respPkts: 5, duration: 0.01, service: "http");
        Db.Execute("""
            INSERT INTO http (capture_id, flow_id, ts, trans_depth, method, host, uri, version, user_agent, referrer, status_code, request_body, request_body_len)
            VALUES (1, $1, make_timestamp_ns($2), 1, $3, $4, $5, '1.1', $6, $7, $8, $9, $10)
            """, id, Ns(ts), method, server, uri, userAgent, referrer, status, body, (long)(body?.Length ?? 0));
        return id;
    }

    public DetectionResult Detect(DetectionRules? rules = null)
    {
        Commit();
        return Detector.Run(Db, rules ?? DetectionRules.Default);
    }

    public List<AlertRow> Alerts(string? rule = null)
    {
        var list = new List<AlertRow>();
        using var r = Db.Query("SELECT alert_id, severity, rule, src, dst, summary, flow_ids, score, ts, last_ts FROM alerts WHERE $1 IS NULL OR rule = $1 ORDER BY alert_id", rule);
        while (r.Read())
            list.Add(new AlertRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsNull(3) ? null : r.GetString(3), r.IsNull(4) ? null : r.GetString(4),
                r.GetString(5), ((object?[]?)r.GetValue(6) ?? []).Select(v => Convert.ToInt64(v)).ToArray(), r.GetDouble(7), r.GetDateTime(8), r.GetDateTime(9)));
        return list;
    }

    /// <summary>Asserts the run raised nothing at all and explains what it did raise.</summary>
    public void AssertQuiet(DetectionRules? rules = null)
    {
        Detect(rules);
        var alerts = Alerts();
        Assert.True(alerts.Count == 0, "expected no alerts, got: " + string.Join(" | ", alerts.Select(a => $"{a.Rule}: {a.Summary}")));
    }

    public static long Ns(double seconds) => (Epoch - DateTime.UnixEpoch).Ticks * 100 + (long)Math.Round(seconds * 1e9);

    public void Dispose()
    {
        Db.Dispose();
        _database.Dispose();
    }
}

using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Engine.Tests.Ml.Wiring;

/// <summary>An in-memory store with a few flows written by hand, so window features can be computed on paper.</summary>
internal sealed class HandmadeFlows : IDisposable
{
    public static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly DuckDbDatabase _database;
    private long _next = 1;

    public HandmadeFlows()
    {
        (_database, Db) = LabStore.Open(null);
        Db.Execute("INSERT INTO captures (capture_id, path, sha256, status) VALUES (1, '/data/train/a.pcap', 'sha-a', 'ok'), (2, '/data/train/benign/b.pcap', 'sha-b', 'ok')");
    }

    public DuckDbConnection Db { get; }

    /// <summary>Adds a flow starting <paramref name="seconds"/> after <see cref="T0"/>; returns its flow_id.</summary>
    public long Add(double seconds, string orig, string resp, int port, string state, string proto = "tcp", int capture = 1, long origBytes = 0, string? service = null)
    {
        var id = _next++;
        var ts = T0.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        Db.Execute("""
            INSERT INTO flows (flow_id, capture_id, ts, last_ts, duration, proto, ip_proto, service, orig_h, orig_p, resp_h, resp_p,
                orig_pkts, orig_bytes, orig_ip_bytes, resp_pkts, resp_bytes, resp_ip_bytes, missed_bytes, conn_state, history, community_id, splt_len)
            VALUES ($1, $2, $3::TIMESTAMP_NS, $3::TIMESTAMP_NS, NULL, $4, $5, $6, $7, 40000, $8, $9, 1, $10, 60, 0, 0, 0, 0, $11, 'S', 'x', [$10::INTEGER])
            """, id, capture, ts, proto, proto == "udp" ? 17 : proto == "icmp" ? 1 : 6, service, orig, resp, port, origBytes, state);
        return id;
    }

    public void Dispose()
    {
        Db.Dispose();
        _database.Dispose();
    }
}

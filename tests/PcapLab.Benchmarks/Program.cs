using System.Diagnostics;
using PcapLab.Dissect;
using PcapLab.Flows;
using PcapLab.Ingest;
using PcapLab.Read;
using PcapLab.Store;

// Stage-by-stage throughput on one capture: where the ingest time goes. Figures, not assertions.
// Usage: PcapLab.Benchmarks <capture> [stage...]   stages: read dissect flows ingest-memory ingest-file
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: PcapLab.Benchmarks <capture> [read|dissect|flows|ingest-memory|ingest-file ...]");
    return 2;
}
var capture = args[0];
var stages = args.Length > 1 ? args[1..] : ["read", "dissect", "flows", "ingest-memory", "ingest-file"];
foreach (var stage in stages)
{
    GC.Collect();
    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    long packets = stage switch
    {
        "read" => Read(capture, dissect: false, flows: false),
        "dissect" => Read(capture, dissect: true, flows: false),
        "flows" => Read(capture, dissect: true, flows: true),
        "ingest-memory" => Ingest(capture, null),
        "ingest-file" => Ingest(capture, Path.Combine(Path.GetTempPath(), "pcaplab-bench.duckdb")),
        "append" => Append(capture),
        "records" => Records(capture),
        _ => throw new ArgumentException("unknown stage " + stage),
    };
    double secs = clock.Elapsed.TotalSeconds;
    long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    Console.WriteLine($"{stage,-14} {packets,10:N0} packets {secs,7:F2} s {packets / secs,12:N0} packets/s  allocated {allocated / 1e6,8:F1} MB ({(double)allocated / packets:F1} B/packet)");
}
return 0;

static long Read(string path, bool dissect, bool flows)
{
    using var reader = CaptureReader.Open(path);
    var info = new PacketInfo();
    var table = flows ? new FlowTable(new FlowOptions(), new NullSink()) : null;
    long n = 0;
    while (reader.TryRead(out var rec))
    {
        n++;
        if (!dissect) continue;
        PacketDissector.Dissect(rec.LinkType, rec.Data, ref info);
        table?.Observe(in info, rec.TimestampNs, rec.OriginalLength);
    }
    table?.Flush();
    return n;
}

// The packet thread alone: read, dissect, flows and the application layer, nothing stored.
static long Records(string path)
{
    using var reader = CaptureReader.Open(path);
    var info = new PacketInfo();
    var sink = new NullSink();
    var table = new FlowTable(new FlowOptions(), sink);
    var app = new PcapLab.Records.AppLayer(PcapLab.Records.AppLayerOptions.Default, sink, sink);
    sink.App = app;
    long n = 0;
    while (reader.TryRead(out var rec))
    {
        n++;
        PacketDissector.Dissect(rec.LinkType, rec.Data, rec.OriginalLength, ref info);
        long id = table.Observe(in info, rec.TimestampNs, rec.OriginalLength, out bool fromOrig);
        if (id == 0 || info.L4Offset < 0) continue;
        int start = Math.Min(info.PayloadOffset, rec.Data.Length);
        app.OnPacket(id, fromOrig, in info, rec.Data.Slice(start, Math.Min(Math.Max(info.PayloadLength, 0), rec.Data.Length - start)), rec.TimestampNs, n);
    }
    table.Flush();
    app.EndAll();
    return n;
}

// The store thread alone: the same 2,048 dissected packets appended again and again (about a million rows).
static long Append(string path)
{
    var (database, connection) = LabStore.Open(null);
    using (database) using (connection)
    {
        using var writer = new PacketWriter(connection);
        var batch = new PacketBatch(writer.VectorSize);
        using (var reader = CaptureReader.Open(path))
        {
            var info = new PacketInfo();
            while (!batch.IsFull && reader.TryRead(out var rec))
            {
                PacketDissector.Dissect(rec.LinkType, rec.Data, ref info);
                batch.Add(batch.Count + 1, rec.TimestampNs, rec.CapturedLength, rec.OriginalLength, 0, (ushort)rec.LinkType, rec.Offset, in info, batch.Count + 1);
            }
        }
        if (Environment.GetEnvironmentVariable("BENCH_NO_MAC") == "1") Array.Clear(batch.HasEth);
        if (Environment.GetEnvironmentVariable("BENCH_NO_IP") == "1") Array.Clear(batch.IpVersion);
        long rows = 0;
        for (int i = 0; i < 512; i++) { writer.Write(batch); rows += batch.Count; }
        return rows;
    }
}

static long Ingest(string path, string? db)
{
    if (db != null) { File.Delete(db); File.Delete(db + ".wal"); }
    var (database, connection) = LabStore.Open(db);
    using (database) using (connection)
        return Ingestor.Load(connection, [path], new IngestOptions { Reload = true }).Packets;
}

sealed class NullSink : IFlowSink, PcapLab.Records.IRecordSink, PcapLab.IWeirdSink
{
    public PcapLab.Records.AppLayer? App;
    public void OnFlowEnded(in FlowRecord flow) => App?.OnFlowEnded(flow.FlowId);
    public void OnDns(PcapLab.Records.DnsRecord r) { }
    public void OnHttp(PcapLab.Records.HttpRecord r) { }
    public void OnTls(PcapLab.Records.TlsRecord r) { }
    public void OnSsh(PcapLab.Records.SshRecord r) { }
    public void Report(string name, long flowId, string? detail = null) { }
}

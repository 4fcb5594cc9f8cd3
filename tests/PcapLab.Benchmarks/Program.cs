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

static long Ingest(string path, string? db)
{
    if (db != null) { File.Delete(db); File.Delete(db + ".wal"); }
    var (database, connection) = LabStore.Open(db);
    using (database) using (connection)
        return Ingestor.Load(connection, [path], new IngestOptions { Reload = true }).Packets;
}

sealed class NullSink : IFlowSink
{
    public void OnFlowEnded(in FlowRecord flow) { }
}

using PcapLab.Ingest;
using PcapLab.Store;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Ingest;

/// <summary>Several files loading at once on both cores still give the ids a sequential load would.</summary>
public class ParallelIngestTests
{
    private static readonly string[] Files =
        ["lo-usec.pcap", "three-if.pcapng", "lo-nsec.pcap", "veth.pcapng", "lo-usec-be.pcap", "two-sections.pcapng", "lo-snap200.pcap"];

    private static List<string> Ids(Lab lab) =>
        lab.Query("SELECT c.capture_id || ' ' || regexp_extract(c.path, '[^/]+$') || ' ' || c.packets || ' ' || (SELECT count(DISTINCT flow_id) FROM flows f WHERE f.capture_id = c.capture_id) FROM captures c ORDER BY c.capture_id")
            .Rows.Select(r => (string)r[0]!).ToList();

    private static List<string> Flows(Lab lab) =>
        lab.Query("SELECT flow_id || ' ' || community_id || ' ' || orig_pkts || ' ' || resp_pkts FROM flows ORDER BY flow_id").Rows.Select(r => (string)r[0]!).ToList();

    [Fact]
    public void Capture_ids_follow_the_input_order_and_match_a_sequential_load()
    {
        var paths = Files.Select(f => Path.Combine(Repo.TestData, "read", f)).ToArray();
        using var sequential = new Lab();
        Assert.True(sequential.Load(paths, new IngestOptions { Parallelism = 1 }).AllOk);
        using var parallel = new Lab();
        var summary = parallel.Load(paths, new IngestOptions { Parallelism = 3 });
        Assert.True(summary.AllOk);
        Assert.Equal(paths, summary.Captures.Select(c => c.Path));
        Assert.Equal(Enumerable.Range(1, paths.Length), summary.Captures.Select(c => c.CaptureId));
        Assert.Equal(Ids(sequential), Ids(parallel));
        Assert.Equal(Flows(sequential), Flows(parallel));
    }

    [Fact]
    public void The_same_bytes_twice_in_one_parallel_batch_load_once()
    {
        using var tmp = new Tool.TempDir();
        var original = Path.Combine(Repo.TestData, "read", "lo-usec.pcap");
        var copy = tmp.File("copy-of-lo-usec.pcap");
        File.Copy(original, copy);
        var other = Path.Combine(Repo.TestData, "read", "lo-nsec.pcap");
        using var lab = new Lab();
        var summary = lab.Load([original, other, copy], new IngestOptions { Parallelism = 2 });
        Assert.Equal([false, false, true], summary.Captures.Select(c => c.AlreadyLoaded));
        Assert.Equal(1, summary.Captures[2].CaptureId);
        Assert.Equal(2L, lab.Scalar<long>("SELECT count(*) FROM captures"));
        Assert.Equal(2L, lab.Scalar<long>("SELECT count(*) FROM captures WHERE sha256 IS NOT NULL AND status = 'ok'"));
    }
}

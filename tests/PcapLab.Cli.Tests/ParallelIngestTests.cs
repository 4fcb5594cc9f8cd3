using PcapLab.Testing;

namespace PcapLab.Cli.Tests;

/// <summary>Several files at once (one per core) give the same tables as one after another; per-file Parquet reads back as one dataset.</summary>
public class ParallelIngestTests
{
    private static string[] Files => Directory.GetFiles(Path.Combine(Repo.TestData, "records"), "*.pcap").Order(StringComparer.Ordinal).ToArray();

    private static string Csv(string db, string sql) => string.Join("\n", CliRunner.Run("sql", "--db", db, "--format", "csv", sql).Stdout.Split('\n').Skip(1)).Trim();

    [Fact]
    public void Parallel_ingest_stores_what_sequential_ingest_stores()
    {
        using var tmp = new Tool.TempDir();
        string one = tmp.File("one.duckdb"), many = tmp.File("many.duckdb");
        Assert.Equal(0, CliRunner.Run(["ingest", .. Files, "--db", one, "--parallel", "1", "--quiet"]).ExitCode);
        var r = CliRunner.Run(["ingest", .. Files, "--db", many, "--parallel", "2", "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        // Same captures (by content), same packets and flows per capture, whatever the order they were loaded in.
        const string perCapture = """
            select c.sha256, c.packets, (select count(*) from flows f where f.capture_id = c.capture_id),
                   (select count(*) from dns d where d.capture_id = c.capture_id), (select count(*) from http h where h.capture_id = c.capture_id)
            from captures c order by c.sha256
            """;
        Assert.Equal(Csv(one, perCapture), Csv(many, perCapture));
        Assert.Equal("0", Csv(many, "select count(*) - count(distinct flow_id) from flows"));
        Assert.Equal("0", Csv(many, "select count(*) from packets p join flows f using (flow_id) where f.capture_id <> p.capture_id"));
        Assert.Equal(Files.Length.ToString(), Csv(many, "select count(distinct capture_id) from captures"));
    }

    [Fact]
    public void Per_file_parquet_reads_back_as_one_dataset()
    {
        using var tmp = new Tool.TempDir();
        var dir = tmp.File("parquet");
        var r = CliRunner.Run(["ingest", .. Files, "--parquet", dir, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(Files.Length, Directory.GetDirectories(Path.Combine(dir, "packets"), "capture_id=*").Length);
        Assert.Empty(Directory.GetFiles(dir, "*.duckdb")); // the scratch database is gone
        var db = tmp.File("check.duckdb");
        Assert.Equal(0, CliRunner.Run(["ingest", Files[0], "--db", db, "--quiet"]).ExitCode);
        long tshark = Files.Sum(f => (long)Tshark.Fields(f, "frame.number").Count);
        Assert.Equal(tshark.ToString(), Csv(db, $"select count(*) from read_parquet('{dir}/packets/**/*.parquet', hive_partitioning = true)"));
        Assert.Equal("0", Csv(db, $"select count(*) - count(distinct flow_id) from read_parquet('{dir}/flows/**/*.parquet', hive_partitioning = true)"));
    }
}

using PcapLab.Testing;

namespace PcapLab.Cli.Tests;

/// <summary>`pcaplab extract` and `pcaplab export` through the published binary.</summary>
public class PivotCliTests
{
    [Fact]
    public void Extract_writes_the_flows_packets_and_export_reads_back()
    {
        using var tmp = new Tool.TempDir();
        var db = tmp.File("x.duckdb");
        var source = Path.Combine(Repo.TestData, "read", "lo-usec.pcap");
        Assert.Equal(0, CliRunner.Run("ingest", source, "--db", db, "--quiet").ExitCode);
        var expected = CliRunner.Run("sql", "--db", db, "--format", "csv",
            "select count(*) from packets where flow_id in (select flow_id from flows where proto = 'tcp')").Stdout.Split('\n')[1];

        var carved = tmp.File("tcp.pcap");
        var r = CliRunner.Run("extract", "--db", db, "--where", "proto = 'tcp'", "--out", carved);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(int.Parse(expected), Tshark.Fields(carved, "frame.number").Count);

        var outDir = tmp.File("parquet");
        var e = CliRunner.Run("export", "--db", db, "--table", "flows", "--out", outDir, "--partition-by", "capture");
        Assert.True(e.ExitCode == 0, e.Stderr);
        var flows = CliRunner.Run("sql", "--db", db, "--format", "csv", "select count(*) from flows").Stdout.Split('\n')[1];
        var back = CliRunner.Run("sql", "--db", db, "--format", "csv",
            $"select count(*) from read_parquet('{outDir}/**/*.parquet', hive_partitioning = true)").Stdout.Split('\n')[1];
        Assert.Equal(flows, back);
    }

    [Fact]
    public void Extract_needs_exactly_one_selection()
    {
        Assert.Equal(2, CliRunner.Run("extract", "--db", "x.duckdb", "--out", "y.pcap").ExitCode);
        Assert.Equal(2, CliRunner.Run("extract", "--db", "x.duckdb", "--out", "y.pcap", "--where", "true", "--flow", "1").ExitCode);
        Assert.Equal(2, CliRunner.Run("export", "--db", "x.duckdb", "--table", "flows", "--out", "d", "--partition-by", "week").ExitCode);
    }
}

/// <summary>`pcaplab detect` through the published binary, on a real scan capture.</summary>
public class DetectCliTests
{
    [Fact]
    public void Detect_fills_alerts_and_shows_its_defaults()
    {
        using var tmp = new Tool.TempDir();
        var db = tmp.File("x.duckdb");
        Assert.Equal(0, CliRunner.Run("ingest", Path.Combine(Repo.Datasets, "holdout", "portscan", "syn-scan.pcap"), "--db", db, "--quiet").ExitCode);
        var r = CliRunner.Run("detect", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("vertical_scan", r.Stdout);
        var alerts = CliRunner.Run("sql", "--db", db, "--format", "csv", "select rule, severity, src from alerts where rule = 'vertical_scan'").Stdout;
        Assert.Contains("vertical_scan,SUSPICIOUS,127.66.1.1", alerts);

        var defaults = CliRunner.Run("detect", "--show-defaults");
        Assert.Equal(0, defaults.ExitCode);
        Assert.Contains("syn_flood:", defaults.Stdout);
        Assert.Equal(2, CliRunner.Run("detect").ExitCode); // no --db
        var badRules = tmp.File("rules.yaml");
        File.WriteAllText(badRules, "syn_flod:\n  enabled: false\n");
        var bad = CliRunner.Run("detect", "--db", db, "--rules", badRules);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("syn_flod", bad.Stderr);
    }
}

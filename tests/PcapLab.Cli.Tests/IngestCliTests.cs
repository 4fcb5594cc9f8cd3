using System.Text.Json;
using PcapLab.Testing;

namespace PcapLab.Cli.Tests;

/// <summary>`pcaplab ingest` and `pcaplab sql` through the published binary: exit codes, outputs, and bad input.</summary>
public class IngestCliTests
{
    private static string SampleCapture => CliRunner.TestCaptures().First();

    [Fact]
    public void Ingest_then_sql_counts_the_packets_tshark_counts()
    {
        using var tmp = new Tool.TempDir();
        var db = tmp.File("x.duckdb");
        var ingest = CliRunner.Run("ingest", SampleCapture, "--db", db, "--json");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr + ingest.Stdout);
        using var json = JsonDocument.Parse(ingest.Stdout);
        long packets = json.RootElement.GetProperty("packets").GetInt64();
        int tsharkCount = Tshark.Fields(SampleCapture, "frame.number").Count;
        Assert.Equal(tsharkCount, packets);

        var sql = CliRunner.Run("sql", "--db", db, "--format", "csv", "select count(*) as n from packets");
        Assert.Equal(0, sql.ExitCode);
        Assert.Equal(["n", tsharkCount.ToString()], sql.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Loading_the_same_bytes_twice_is_skipped_unless_reload()
    {
        using var tmp = new Tool.TempDir();
        var db = tmp.File("x.duckdb");
        Assert.Equal(0, CliRunner.Run("ingest", SampleCapture, "--db", db, "--quiet").ExitCode);
        var again = CliRunner.Run("ingest", SampleCapture, "--db", db, "--json");
        using var json = JsonDocument.Parse(again.Stdout);
        Assert.True(json.RootElement.GetProperty("captures")[0].GetProperty("already_loaded").GetBoolean());
        Assert.Equal("1", CliRunner.Run("sql", "--db", db, "--format", "csv", "select count(*) from captures").Stdout.Split('\n')[1]);
        Assert.Equal(0, CliRunner.Run("ingest", SampleCapture, "--db", db, "--quiet", "--reload").ExitCode);
        Assert.Equal("2", CliRunner.Run("sql", "--db", db, "--format", "csv", "select count(*) from captures").Stdout.Split('\n')[1]);
    }

    [Fact]
    public void A_truncated_capture_exits_1_keeps_its_packets_and_names_the_offset()
    {
        using var tmp = new Tool.TempDir();
        var bytes = File.ReadAllBytes(SampleCapture);
        var cut = tmp.File("cut.pcap");
        File.WriteAllBytes(cut, bytes[..(bytes.Length - 7)]);
        var db = tmp.File("x.duckdb");
        var r = CliRunner.Run("ingest", SampleCapture, cut, "--db", db, "--json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cut.pcap", r.Stderr);
        Assert.Contains("offset", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
        int total = Tshark.Fields(SampleCapture, "frame.number").Count;
        var rows = CliRunner.Run("sql", "--db", db, "--format", "csv",
            "select status, packets, error_offset is not null from captures order by capture_id").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"ok,{total},false", rows[1]);
        Assert.Equal($"truncated,{total - 1},true", rows[2]);
        var stored = CliRunner.Run("sql", "--db", db, "--format", "csv", "select count(*) from packets where capture_id = 2").Stdout.Split('\n')[1];
        Assert.Equal((total - 1).ToString(), stored);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("missing")]
    [InlineData("directory")]
    [InlineData("garbage")]
    public void Unreadable_inputs_exit_1_with_the_file_named_and_no_stack_trace(string kind)
    {
        using var tmp = new Tool.TempDir();
        string path = tmp.File("evidence.pcap");
        switch (kind)
        {
            case "empty": File.WriteAllBytes(path, []); break;
            case "directory": Directory.CreateDirectory(path); break;
            case "garbage": File.WriteAllText(path, "this is not a capture file at all\n"); break;
        }
        var r = CliRunner.Run("ingest", path, "--db", tmp.File("x.duckdb"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("evidence.pcap", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
    }

    [Fact]
    public void Bad_arguments_exit_2()
    {
        Assert.Equal(2, CliRunner.Run("ingest").ExitCode);                                  // no path, no --db
        Assert.Equal(2, CliRunner.Run("ingest", SampleCapture, "--db").ExitCode);           // missing value
        Assert.Equal(2, CliRunner.Run("ingest", SampleCapture, "--db", "x", "--bogus").ExitCode);
        Assert.Equal(2, CliRunner.Run("sql", "--db", "x.duckdb", "--format", "xml", "select 1").ExitCode);
        Assert.Equal(2, CliRunner.Run("ingest", "no-such-dir/*.pcap", "--db", "x.duckdb").ExitCode); // glob matching nothing
    }

    [Fact]
    public void Sql_errors_name_the_problem_and_exit_1()
    {
        using var tmp = new Tool.TempDir();
        var db = tmp.File("x.duckdb");
        Assert.Equal(0, CliRunner.Run("ingest", SampleCapture, "--db", db, "--quiet").ExitCode);
        var r = CliRunner.Run("sql", "--db", db, "selec count(*) from packets");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("syntax error", r.Stderr, StringComparison.OrdinalIgnoreCase);
        var missing = CliRunner.Run("sql", "--db", db, "select nope from packets");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nope", missing.Stderr);
    }

    [Fact]
    public void Sql_json_and_csv_agree()
    {
        using var tmp = new Tool.TempDir();
        var db = tmp.File("x.duckdb");
        Assert.Equal(0, CliRunner.Run("ingest", SampleCapture, "--db", db, "--quiet").ExitCode);
        const string q = "select frame_no, src_ip, len from packets order by frame_no limit 5";
        var csv = CliRunner.Run("sql", "--db", db, "--format", "csv", q).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var json = JsonDocument.Parse(CliRunner.Run("sql", "--db", db, "--format", "json", q).Stdout);
        Assert.Equal(csv.Length - 1, json.RootElement.GetArrayLength());
        for (int i = 0; i < json.RootElement.GetArrayLength(); i++)
        {
            var row = json.RootElement[i];
            Assert.Equal(csv[i + 1], $"{row.GetProperty("frame_no").GetInt64()},{row.GetProperty("src_ip").GetString()},{row.GetProperty("len").GetInt64()}");
        }
    }
}

/// <summary>A missing native library is one clear error saying how to get it, not a stack trace.</summary>
public class MissingLibraryTests
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Without_libduckdb_the_cli_says_how_to_get_it()
    {
        using var tmp = new Tool.TempDir();
        var published = Path.GetDirectoryName(Repo.Cli)!;
        var copy = Directory.CreateDirectory(tmp.File("pcaplab")).FullName;
        foreach (var f in Directory.GetFiles(published).Where(f => Path.GetFileName(f) != "libduckdb.so"))
            File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        File.SetUnixFileMode(Path.Combine(copy, "pcaplab"), File.GetUnixFileMode(Repo.Cli));
        var psi = new System.Diagnostics.ProcessStartInfo(Path.Combine(copy, "pcaplab")) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "ingest", Path.Combine(Repo.TestData, "read", "lo-usec.pcap"), "--db", tmp.File("x.duckdb") }) psi.ArgumentList.Add(a);
        psi.Environment.Remove("PCAPLAB_LIBDUCKDB");
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("native library 'duckdb' was not found", stderr);
        Assert.Contains("./build.sh", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}

/// <summary>`pcaplab sql` only reads: it does not add PcapLab's tables to a DuckDB file of someone else's.</summary>
public class SqlLeavesFilesAloneTests
{
    [Fact]
    public void Sql_on_a_foreign_database_does_not_create_tables()
    {
        using var tmp = new Tool.TempDir();
        var db = tmp.File("other.duckdb");
        using (var database = PcapLab.Store.DuckDb.DuckDbDatabase.Open(db))
        using (var con = database.Connect()) con.Execute("CREATE TABLE notes (x INTEGER); INSERT INTO notes VALUES (7)");
        var r = CliRunner.Run("sql", "--db", db, "--format", "csv", "select table_name from duckdb_tables() order by 1");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["table_name", "notes"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}

using System.Globalization;
using PcapLab.Testing;

namespace PcapLab.Cli.Tests;

/// <summary>`pcaplab train` and `pcaplab score` through the published binary, on the labelled datasets.</summary>
public class TrainCliTests
{
    private static string Train => Path.Combine(Repo.Datasets, "train");
    private static string Holdout => Path.Combine(Repo.Datasets, "holdout");

    [Fact]
    public void Train_on_a_labelled_folder_then_score_a_database()
    {
        using var tmp = new Tool.TempDir();
        var model = tmp.File("ids.json");
        var t = CliRunner.Run("train", "--labeled-dir", Train, "--model", model, "--rounds", "30", "--holdout-dir", Holdout);
        Assert.True(t.ExitCode == 0, t.Stderr);
        Assert.Contains("macro-F1", t.Stdout);
        Assert.Contains("Feature importance (gain)", t.Stdout);
        var line = t.Stdout.Split('\n').Single(l => l.StartsWith("held-out macro-F1 "));
        var f1 = double.Parse(line["held-out macro-F1 ".Length..], CultureInfo.InvariantCulture);
        Console.WriteLine(line);
        Assert.True(f1 > 0.5, t.Stdout);
        Assert.True(File.Exists(model));

        var db = tmp.File("h.duckdb");
        Assert.Equal(0, CliRunner.Run("ingest", Path.Combine(Holdout, "synflood", "*.pcap"), Path.Combine(Holdout, "benign", "*.pcap"), "--db", db, "--quiet").ExitCode);
        var s = CliRunner.Run("score", "--db", db, "--model", model, "--threshold", "0.9");
        Assert.True(s.ExitCode == 0, s.Stderr);
        Assert.Contains("synflood", s.Stdout);
        var counts = CliRunner.Run("sql", "--db", db, "--format", "csv",
            "select (select count(*) from predictions) = (select count(*) from flows), (select count(*) from alerts where rule = 'model:ids.json' and score >= 0.9) > 0").Stdout;
        Assert.Contains("true,true", counts);

        // Labels as a SQL expression over an existing database.
        var sql = CliRunner.Run("train", "--db", db, "--labels", "CASE WHEN orig_h LIKE '127.66.%' THEN 'attack' ELSE 'benign' END", "--model", tmp.File("sql.json"), "--rounds", "5", "--split", "random");
        Assert.True(sql.ExitCode == 0, sql.Stderr);
        Assert.Contains("random split", sql.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Bad_input_gets_a_message_and_the_exit_code_convention()
    {
        using var tmp = new Tool.TempDir();
        // Usage errors: 2.
        Assert.Equal(2, CliRunner.Run("train", "--model", tmp.File("m.json")).ExitCode);
        Assert.Equal(2, CliRunner.Run("train", "--labels", "x.csv", "--model", tmp.File("m.json")).ExitCode);
        var missingDir = CliRunner.Run("train", "--labeled-dir", tmp.File("nope"), "--model", tmp.File("m.json"));
        Assert.Equal(2, missingDir.ExitCode);
        Assert.Contains("does not exist", missingDir.Stderr);
        var missingModel = CliRunner.Run("score", "--db", tmp.File("x.duckdb"), "--model", tmp.File("none.json"));
        Assert.Equal(2, missingModel.ExitCode);
        Assert.Contains("none.json' does not exist", missingModel.Stderr);

        // Data that cannot train, and a corrupt model: 1 with a clear message.
        var db = tmp.File("d.duckdb");
        Assert.Equal(0, CliRunner.Run("ingest", Path.Combine(Train, "benign", "dns.pcap"), "--db", db, "--quiet").ExitCode);
        var single = CliRunner.Run("train", "--db", db, "--labels", "'benign'", "--model", tmp.File("m.json"));
        Assert.Equal(1, single.ExitCode);
        Assert.Contains("at least two classes", single.Stderr);
        var labels = tmp.File("labels.csv");
        File.WriteAllText(labels, "src_cidr,label\n127.99.0.0/16,attack\n");
        var nomatch = CliRunner.Run("train", "--db", db, "--labels", labels, "--default-label", "benign", "--model", tmp.File("m.json"));
        Assert.Equal(1, nomatch.ExitCode);
        Assert.Contains("line 2 (src 127.99.0.0/16 → attack)", nomatch.Stderr);
        Assert.Contains("matched no flow", nomatch.Stderr);
        var corrupt = tmp.File("corrupt.json");
        File.WriteAllText(corrupt, "{ \"format\": \"pcaplab-ids-model\"");
        var bad = CliRunner.Run("score", "--db", db, "--model", corrupt);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("corrupt.json", bad.Stderr);
        Assert.DoesNotContain("   at ", bad.Stderr);
    }
}

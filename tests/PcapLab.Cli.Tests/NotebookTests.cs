using System.Text.Json;
using PcapLab.Testing;

namespace PcapLab.Cli.Tests;

/// <summary>The example notebooks run headless with `pcaplab run`, and their outputs say what they should.</summary>
public class NotebookTests
{
    private static string Notebook(string name) => Path.Combine(Repo.Root, "notebooks", name);

    private static (CliRunner.Result Run, JsonDocument Executed) Execute(string name, Tool.TempDir tmp, params string[] extra)
    {
        var output = tmp.File(name.Replace(".ipynb", ".executed.ipynb"));
        var r = CliRunner.Run(["run", Notebook(name), "--cwd", Path.Combine(Repo.Root, "notebooks"), "--output", output, "--cell-timeout", "300", .. extra]);
        Assert.True(File.Exists(output), $"no executed notebook: {r.Stderr}");
        return (r, JsonDocument.Parse(File.ReadAllText(output)));
    }

    private static string Outputs(JsonDocument nb, int cell) => nb.RootElement.GetProperty("cells")[cell].GetProperty("outputs").GetRawText();

    private static int CellContaining(JsonDocument nb, string text)
    {
        var cells = nb.RootElement.GetProperty("cells");
        for (int i = 0; i < cells.GetArrayLength(); i++)
            if (cells[i].GetProperty("cell_type").GetString() == "code" && cells[i].GetProperty("source").GetRawText().Contains(text)) return i;
        throw new Xunit.Sdk.XunitException($"no cell contains {text}");
    }

    [Fact]
    public void Hunt_goes_from_alerts_to_flows_to_carved_packets()
    {
        using var tmp = new Tool.TempDir();
        var carved = tmp.File("evidence.pcap");
        var (r, nb) = Execute("02-hunt.ipynb", tmp, "-p", $"carveTo={carved}");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("MALICIOUS", Outputs(nb, CellContaining(nb, "alerts_by_rule")));
        Assert.Contains("conn_state", Outputs(nb, CellContaining(nb, "#!sql --name evidence")));
        Assert.Contains("frame_no", Outputs(nb, CellContaining(nb, "Lab.PacketsOf")));
        // The carved file holds exactly the packets of the strongest alert's flows, as tshark counts them.
        Assert.True(File.Exists(carved));
        Assert.True(Tshark.Fields(carved, "frame.number").Count > 0);
        Assert.Contains("packets of", Outputs(nb, CellContaining(nb, "#!extract")));
    }

    [Fact]
    public void Live_notebook_is_refused_without_allow_capture()
    {
        using var tmp = new Tool.TempDir();
        var (r, nb) = Execute("04-live.ipynb", tmp, "-p", $"evidence={tmp.File("lo.pcapng")}");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--allow-capture", Outputs(nb, CellContaining(nb, "#!capture")));
        Assert.False(File.Exists(tmp.File("lo.pcapng")));
    }

    [Fact]
    public void Live_notebook_captures_on_loopback_with_allow_capture()
    {
        Assert.True(Environment.UserName == "root", "live capture needs root (CI runs as root)");
        using var tmp = new Tool.TempDir();
        var evidence = tmp.File("lo.pcapng");
        var (r, nb) = Execute("04-live.ipynb", tmp, "--allow-capture", "-p", $"evidence={evidence}", "-p", "seconds=4");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(200, Tshark.Fields(evidence, "frame.number").Count);
        Assert.Contains("200", Outputs(nb, CellContaining(nb, "orig_pkts")));
    }
}

/// <summary>03-train: train on datasets/train, measure on the held-out recording, score, detect, anomalies.</summary>
public class TrainNotebookTests
{
    [Fact]
    public void Train_notebook_measures_the_held_out_capture_and_scores_it()
    {
        using var tmp = new Tool.TempDir();
        var output = tmp.File("03.executed.ipynb");
        var model = tmp.File("ids.json");
        var r = CliRunner.RunIn(Repo.Root, "run", Path.Combine(Repo.Root, "notebooks", "03-train.ipynb"), "--output", output, "--cell-timeout", "600",
            "-p", $"modelPath={model}");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var nb = System.Text.Json.JsonDocument.Parse(File.ReadAllText(output)).RootElement.GetProperty("cells");
        string Out(int cell) => nb[cell].GetProperty("outputs").GetRawText();
        int Cell(string text) => Enumerable.Range(0, nb.GetArrayLength()).First(i =>
            nb[i].GetProperty("cell_type").GetString() == "code" && nb[i].GetProperty("source").GetRawText().Contains(text));

        Assert.Contains("macro-F1", Out(Cell("#!train")));
        Assert.Contains("application/vnd.plotly.v1+json", Out(Cell("#!train"))); // feature importance chart
        var heldOut = System.Text.RegularExpressions.Regex.Match(Out(Cell("FlowModels.Evaluate")), @"held-out macro-F1 (\d\.\d+)");
        Assert.True(heldOut.Success, Out(Cell("FlowModels.Evaluate")));
        Assert.True(double.Parse(heldOut.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0.8, $"held-out macro-F1 {heldOut.Groups[1].Value}");
        Assert.True(File.Exists(model));
        Assert.Contains("\"card\"", File.ReadAllText(model));
        Assert.Contains("synflood", Out(Cell("#!sql")));
        Assert.DoesNotContain("\"output_type\": \"error\"", nb.GetRawText());
    }
}

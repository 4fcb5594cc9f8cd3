using System.Text.Json.Nodes;
using System.Xml.Linq;
using PcapLab.Notebook.Runner;
using PcapLab.Notebook.Runner.Report;

namespace PcapLab.Notebook.Tests.Runner;

/// <summary>The runner in-process: exit codes, outputs, timeouts, tags, parameters; every executed notebook is validated
/// with python3-nbformat and every JUnit file parsed with python's xml.etree.</summary>
public class NotebookRunnerTests
{
    private static async Task<(RunResult Result, string Log)> Run(string notebook, Fixtures.TempDir tmp, Func<RunOptions, RunOptions>? with = null)
    {
        var log = new StringWriter();
        var options = new RunOptions
        {
            NotebookPath = notebook.Contains('/') ? notebook : Fixtures.Path_(notebook),
            OutputPath = tmp.File("out.ipynb"),
            HtmlPath = tmp.File("report.html"),
            JUnitPath = tmp.File("junit.xml"),
            Log = TextWriter.Synchronized(log),
        };
        if (with != null) options = with(options);
        var result = await NotebookRunner.RunAsync(options);
        return (result, log.ToString());
    }

    private static JsonObject ReadNotebook(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    private static IEnumerable<JsonObject> CodeCells(JsonObject nb) =>
        nb["cells"]!.AsArray().Select(c => (JsonObject)c!).Where(c => (string?)c["cell_type"] == "code");

    private static string Text(JsonNode? multiline) => multiline is JsonArray a ? string.Concat(a.Select(x => (string?)x)) : (string?)multiline ?? "";

    [Fact]
    public async Task A_passing_notebook_exits_0_with_every_output_kind_and_provenance()
    {
        using var tmp = new Fixtures.TempDir();
        var (result, log) = await Run("passing.ipynb", tmp);
        Assert.True(result.ExitCode == RunExitCodes.Ok, log);

        Assert.Equal("4.5 6", Fixtures.ValidateNotebook(tmp.File("out.ipynb")));
        var nb = ReadNotebook(tmp.File("out.ipynb"));
        var code = CodeCells(nb).ToList();
        Assert.Equal([1, 2, 3, 4], code.Select(c => (int)c["execution_count"]!));
        Assert.Equal("pcap=[datasets/x.pcap]\ntop=10 threshold=0.5 verbose=False\n", (string?)code[1]["outputs"]![0]!["text"]);
        var outputs = code[2]["outputs"]!.AsArray();
        Assert.Equal(("stream", "stderr", "a warning on stderr\n"), ((string?)outputs[0]!["output_type"], (string?)outputs[0]!["name"], (string?)outputs[0]!["text"]));
        Assert.Equal(("display_data", "<b>bold from display</b>"), ((string?)outputs[1]!["output_type"], (string?)outputs[1]!["data"]!["text/html"]));
        var result4 = code[3]["outputs"]![0]!;
        Assert.Equal(("execute_result", 4, "20"), ((string?)result4["output_type"], (int)result4["execution_count"]!, (string?)result4["data"]!["text/plain"]));
        Assert.All(code, c => Assert.Equal("completed", (string?)c["metadata"]!["papermill"]!["status"]));
        Assert.All(code, c => Assert.True((double)c["metadata"]!["papermill"]!["duration"]! >= 0));

        var meta = nb["metadata"]!;
        Assert.Equal(("pcaplab", "csharp"), ((string?)meta["kernelspec"]!["name"], (string?)meta["language_info"]!["name"]));
        var p = meta["pcaplab"]!;
        Assert.Equal(RunProvenance.Version, (string?)p["version"]);
        Assert.Matches(@"^v?\d+\.\d+\.\d+", (string?)p["duckdb_version"]);
        Assert.Equal(Environment.MachineName, (string?)p["host"]);
        Assert.True(DateTimeOffset.Parse((string)p["start_time"]!) <= DateTimeOffset.Parse((string)p["end_time"]!));
        Assert.Equal(4, p["cells"]!.AsArray().Count);

        // Live progress: one line per cell, the cell's stdout interleaved as "  | " lines
        Assert.Contains("[cell 1/4] var pcap = \"datasets/x.pcap\"; ... ok (", log);
        Assert.Contains("  | pcap=[datasets/x.pcap]\n", log);
        Assert.Contains("  ! a warning on stderr\n", log);
        Assert.Contains("[cell 4/4] top * 2 ... ok (", log);

        var html = File.ReadAllText(tmp.File("report.html"));
        Assert.Contains("Triage of a capture</h1>", html);
        Assert.Contains("<strong>parameters</strong>", html);
        Assert.Contains("<b>bold from display</b>", html);
        Assert.Contains("a warning on stderr", html);
        Assert.Contains(RunProvenance.Version, html);
        Assert.Contains("<details>", html);

        Assert.Equal("4 0 0 0 4", Fixtures.JUnitCounts(tmp.File("junit.xml")));
    }

    [Fact]
    public async Task Parameters_are_injected_after_the_parameters_cell_typed_and_escaped()
    {
        using var tmp = new Fixtures.TempDir();
        const string hostile = "\"; System.IO.File.Delete(\"x\"); //";
        var (result, log) = await Run("passing.ipynb", tmp, o => new RunOptions
        {
            NotebookPath = o.NotebookPath, OutputPath = o.OutputPath, Log = o.Log,
            ParametersFile = Fixtures.Path_("params.yaml"),
            Parameters = [new("pcap", hostile), new("nope", "1")],
        });
        Assert.True(result.ExitCode == RunExitCodes.Ok, log);
        Assert.Contains("warning: parameter 'nope' ignored", log);
        Assert.Equal("4.5 7", Fixtures.ValidateNotebook(tmp.File("out.ipynb")));
        var cells = ReadNotebook(tmp.File("out.ipynb"))["cells"]!.AsArray();
        var injected = cells[2]!;
        Assert.Equal("injected-parameters", (string?)injected["metadata"]!["tags"]![0]);
        Assert.Equal("// Parameters injected by pcaplab run\nstring pcap = \"\\\"; System.IO.File.Delete(\\\"x\\\"); //\";\nint top = 7;\ndouble threshold = 0.25d;\nbool verbose = true;\n",
            Text(injected["source"]));
        // -p wins over -f; the hostile text arrives as data
        Assert.Equal($"pcap=[{hostile}]\ntop=7 threshold=0.25 verbose=True\n", (string?)cells[3]!["outputs"]![0]!["text"]);
        Assert.Equal("14", (string?)cells[6]!["outputs"]![0]!["data"]!["text/plain"]);
        Assert.Equal([new("pcap", hostile), new("top", "7"), new("threshold", "0.25"), new("verbose", "true")], result.Provenance!.Parameters);
    }

    [Fact]
    public async Task A_bad_parameter_value_exits_4_naming_the_parameter_before_any_cell_runs()
    {
        using var tmp = new Fixtures.TempDir();
        var (result, log) = await Run("passing.ipynb", tmp, o => new RunOptions
        {
            NotebookPath = o.NotebookPath, OutputPath = o.OutputPath, Log = o.Log, Parameters = [new("top", "ten")],
        });
        Assert.Equal(RunExitCodes.BadInput, result.ExitCode);
        Assert.Contains("parameter 'top' is int", log);
        Assert.DoesNotContain("[cell", log);
        Assert.False(File.Exists(tmp.File("out.ipynb")));
    }

    [Fact]
    public async Task A_failing_cell_exits_2_names_the_cell_and_stops_the_run()
    {
        using var tmp = new Fixtures.TempDir();
        var (result, log) = await Run("failing.ipynb", tmp);
        Assert.Equal(RunExitCodes.CellFailed, result.ExitCode);
        Assert.Contains("pcaplab run: cell 2/3 failed: Console.WriteLine(\"about to fail\");", log);
        Assert.Contains("InvalidOperationException: boom in cell two", log);
        Assert.Contains("at cell line 2", log);
        Assert.Equal([CellStatus.Ok, CellStatus.Failed, CellStatus.NotRun], result.Cells.Select(c => c.Status));

        Assert.Equal("4.5 3", Fixtures.ValidateNotebook(tmp.File("out.ipynb")));
        var code = CodeCells(ReadNotebook(tmp.File("out.ipynb"))).ToList();
        var error = code[1]["outputs"]!.AsArray().Last()!;
        Assert.Equal(("error", "InvalidOperationException", "boom in cell two"), ((string?)error["output_type"], (string?)error["ename"], (string?)error["evalue"]));
        Assert.Equal(("failed", true), ((string?)code[1]["metadata"]!["papermill"]!["status"], (bool)code[1]["metadata"]!["papermill"]!["exception"]!));
        Assert.Null(code[2]["execution_count"]);
        Assert.Equal("pending", (string?)code[2]["metadata"]!["papermill"]!["status"]);

        Assert.Equal("3 1 0 1 3", Fixtures.JUnitCounts(tmp.File("junit.xml")));
        var failure = XDocument.Load(tmp.File("junit.xml")).Descendants("failure").Single();
        Assert.Equal("cell 2: Console.WriteLine(\"about to fail\");", (string?)failure.Parent!.Attribute("name"));
        Assert.Contains("boom in cell two", (string?)failure.Attribute("message"));
        Assert.Contains("at cell line 2", failure.Value);

        var html = File.ReadAllText(tmp.File("report.html"));
        Assert.Contains("boom in cell two", html);
        Assert.Contains("class=\"cell code failed\"", html);
    }

    [Fact]
    public async Task Allow_errors_runs_every_cell_records_the_error_and_exits_0()
    {
        using var tmp = new Fixtures.TempDir();
        var (result, log) = await Run("failing.ipynb", tmp, o => new RunOptions { NotebookPath = o.NotebookPath, OutputPath = o.OutputPath, JUnitPath = o.JUnitPath, Log = o.Log, AllowErrors = true });
        Assert.Equal(RunExitCodes.Ok, result.ExitCode);
        Assert.Equal([CellStatus.Ok, CellStatus.Failed, CellStatus.Ok], result.Cells.Select(c => c.Status));
        Assert.Contains("  | never printed", log);
        Fixtures.ValidateNotebook(tmp.File("out.ipynb"));
        // CI still sees the failure in JUnit
        Assert.Equal("3 1 0 0 3", Fixtures.JUnitCounts(tmp.File("junit.xml")));
    }

    [Fact]
    public async Task A_cell_timeout_cancels_the_cell_exits_3_and_keeps_outputs_so_far()
    {
        using var tmp = new Fixtures.TempDir();
        var (result, log) = await Run("timeout.ipynb", tmp, o => new RunOptions
        {
            NotebookPath = o.NotebookPath, OutputPath = o.OutputPath, HtmlPath = o.HtmlPath, JUnitPath = o.JUnitPath, Log = o.Log,
            CellTimeout = TimeSpan.FromSeconds(2),
        });
        Assert.Equal(RunExitCodes.TimedOut, result.ExitCode);
        Assert.Equal([CellStatus.Ok, CellStatus.TimedOut, CellStatus.NotRun], result.Cells.Select(c => c.Status));
        Assert.Contains("--cell-timeout", log);
        Assert.Equal("4.5 3", Fixtures.ValidateNotebook(tmp.File("out.ipynb")));
        var code = CodeCells(ReadNotebook(tmp.File("out.ipynb"))).ToList();
        Assert.Equal("before the slow cell\n", (string?)code[0]["outputs"]![0]!["text"]);
        Assert.Equal("CellTimeoutError", (string?)code[1]["outputs"]![0]!["ename"]);
        Assert.Equal("timed-out", (string?)code[1]["metadata"]!["papermill"]!["status"]);
        Assert.Equal("3 0 1 1 3", Fixtures.JUnitCounts(tmp.File("junit.xml")));
        Assert.Contains("before the slow cell", File.ReadAllText(tmp.File("report.html")));
    }

    [Fact]
    public async Task A_cell_that_ignores_cancellation_is_abandoned_after_the_grace_period()
    {
        using var tmp = new Fixtures.TempDir();
        var path = tmp.File("sleepy.ipynb");
        File.WriteAllText(path, """
            {"cells": [{"cell_type": "code", "id": "s", "metadata": {}, "outputs": [], "execution_count": null,
              "source": "System.Threading.Thread.Sleep(8000); Console.WriteLine(\"late\");"}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        var (result, log) = await Run(path, tmp, o => new RunOptions
        {
            NotebookPath = o.NotebookPath, OutputPath = o.OutputPath, Log = o.Log,
            CellTimeout = TimeSpan.FromSeconds(1), CancelGrace = TimeSpan.FromSeconds(1),
        });
        Assert.Equal(RunExitCodes.TimedOut, result.ExitCode);
        Assert.Contains("abandoned", (string?)result.Cells[0].Outputs[0]["evalue"]);
        Fixtures.ValidateNotebook(tmp.File("out.ipynb"));
    }

    [Fact]
    public async Task A_notebook_timeout_stops_the_run_with_exit_3()
    {
        using var tmp = new Fixtures.TempDir();
        var (result, log) = await Run("timeout.ipynb", tmp, o => new RunOptions
        {
            NotebookPath = o.NotebookPath, OutputPath = o.OutputPath, Log = o.Log, Timeout = TimeSpan.FromSeconds(8),
        });
        Assert.Equal(RunExitCodes.TimedOut, result.ExitCode);
        Assert.Contains("--timeout", log);
        Assert.Equal(CellStatus.NotRun, result.Cells[2].Status);
        Fixtures.ValidateNotebook(tmp.File("out.ipynb"));
    }

    [Fact]
    public async Task Skip_execution_is_skipped_and_raises_exception_may_fail()
    {
        using var tmp = new Fixtures.TempDir();
        var (result, log) = await Run("tags.ipynb", tmp);
        Assert.True(result.ExitCode == RunExitCodes.Ok, log);
        Assert.Equal([CellStatus.Ok, CellStatus.Skipped, CellStatus.Failed, CellStatus.Ok], result.Cells.Select(c => c.Status));
        Assert.Contains("skipped (skip-execution)", log);
        Assert.Contains("raised ArgumentException as expected", log);
        Assert.Contains("  | last runs", log);
        Assert.Equal("4.5 4", Fixtures.ValidateNotebook(tmp.File("out.ipynb")));
        var code = CodeCells(ReadNotebook(tmp.File("out.ipynb"))).ToList();
        Assert.Null(code[1]["execution_count"]);
        Assert.Empty(code[1]["outputs"]!.AsArray());
        Assert.Equal("ArgumentException", (string?)code[2]["outputs"]![0]!["ename"]);
        Assert.Equal([1, 2, 3], code.Where(c => c["execution_count"] != null).Select(c => (int)c["execution_count"]!));
        // the expected failure passes; the skipped cell is skipped
        Assert.Equal("4 0 0 1 4", Fixtures.JUnitCounts(tmp.File("junit.xml")));
    }

    [Theory]
    [InlineData("bad-json.ipynb", "not valid notebook JSON")]
    [InlineData("missing.ipynb", "not found")]
    public async Task A_bad_notebook_exits_4(string name, string reason)
    {
        using var tmp = new Fixtures.TempDir();
        var (result, log) = await Run(name, tmp);
        Assert.Equal(RunExitCodes.BadInput, result.ExitCode);
        Assert.Contains(reason, log);
        Assert.False(File.Exists(tmp.File("out.ipynb")));
    }

    [Fact]
    public async Task A_dib_notebook_runs_with_parameters_and_converts_to_ipynb()
    {
        using var tmp = new Fixtures.TempDir();
        var (result, log) = await Run("polyglot.dib", tmp, o => new RunOptions
        {
            NotebookPath = o.NotebookPath, OutputPath = o.OutputPath, HtmlPath = o.HtmlPath, Log = o.Log, Parameters = [new("name", "dib")],
        });
        Assert.True(result.ExitCode == RunExitCodes.Ok, log);
        Assert.Contains("  | hello dib\n  | hello dib\n", log);
        Assert.Equal("4.5 5", Fixtures.ValidateNotebook(tmp.File("out.ipynb")));
        var last = CodeCells(ReadNotebook(tmp.File("out.ipynb"))).Last();
        Assert.Equal("42", (string?)last["outputs"]!.AsArray().Single(o => (string?)o!["output_type"] == "execute_result")!["data"]!["text/plain"]);
        Assert.Contains("A polyglot notebook</h1>", File.ReadAllText(tmp.File("report.html")));
    }

    [Fact]
    public void Describe_lists_parameters_with_types_and_defaults()
    {
        var (cell, parameters) = NotebookRunner.Describe(Fixtures.Path_("passing.ipynb"));
        Assert.NotNull(cell);
        Assert.Equal([("pcap", "string", "\"datasets/x.pcap\""), ("top", "int", "10"), ("threshold", "double", "0.5"), ("verbose", "bool", "false")],
            parameters.Select(p => (p.Name, p.Type, p.Default)).ToArray());
        Assert.Null(NotebookRunner.Describe(Fixtures.Path_("no-parameters.ipynb")).Cell);
    }

    [Fact]
    public async Task The_capture_hook_fills_provenance_and_the_session_factory_is_used()
    {
        using var tmp = new Fixtures.TempDir();
        var created = 0;
        var hash = new string('a', 64);
        var (result, log) = await Run("no-parameters.ipynb", tmp, o => new RunOptions
        {
            NotebookPath = o.NotebookPath, OutputPath = o.OutputPath, HtmlPath = o.HtmlPath, Log = o.Log, DatabasePath = tmp.File("lab.duckdb"),
            CreateSession = opts => { created++; Assert.Equal(tmp.File("lab.duckdb"), opts.DatabasePath); return new PcapLab.Notebook.Cells.NotebookSession(); },
            CaptureHashes = _ => [new CaptureHash("evidence/a.pcap", hash)],
        });
        Assert.True(result.ExitCode == RunExitCodes.Ok, log);
        Assert.Equal(1, created);
        var p = ReadNotebook(tmp.File("out.ipynb"))["metadata"]!["pcaplab"]!;
        Assert.Equal(hash, (string?)p["captures"]![0]!["sha256"]);
        Assert.Equal(tmp.File("lab.duckdb"), (string?)p["database"]);
        Assert.Contains($"{hash}  evidence/a.pcap", File.ReadAllText(tmp.File("report.html")));
    }
}

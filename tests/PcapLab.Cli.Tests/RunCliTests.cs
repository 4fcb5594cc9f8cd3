using System.Diagnostics;
using System.Text.Json.Nodes;
using PcapLab.Testing;

namespace PcapLab.Cli.Tests;

/// <summary>`pcaplab run` through the published binary: exit codes, stderr progress, written outputs checked with
/// python3-nbformat and xml.etree, --cwd, --describe, and argument errors (exit 4).</summary>
public class RunCliTests
{
    private static string Fixture(string name) => Path.Combine(Repo.Root, "tests", "notebooks-fixtures", name);

    private static string Python(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)), "python3 did not finish");
        Assert.True(p.ExitCode == 0, $"python3 failed: {stderr.Result}");
        return stdout.Result.Trim();
    }

    private static string ValidateNotebook(string path) => Python(
        "import sys, nbformat\nnb = nbformat.read(sys.argv[1], as_version=4)\nnbformat.validate(nb)\nprint(f'{nb.nbformat}.{nb.nbformat_minor} {len(nb.cells)}')", path);

    private static string JUnitCounts(string path) => Python(
        "import sys, xml.etree.ElementTree as ET\ns = ET.parse(sys.argv[1]).getroot().find('testsuite')\n" +
        "print(s.get('tests'), s.get('failures'), s.get('errors'), s.get('skipped'), len(s.findall('testcase')))", path);

    [Fact]
    public void A_passing_run_writes_all_three_outputs_and_a_hostile_parameter_stays_a_string()
    {
        using var tmp = new Tool.TempDir();
        var work = Directory.CreateDirectory(tmp.File("work")).FullName;
        File.WriteAllText(Path.Combine(work, "x"), "must survive");
        const string hostile = "\"; System.IO.File.Delete(\"x\"); //";
        var r = CliRunner.Run("run", Fixture("passing.ipynb"), "-p", $"pcap={hostile}", "-p", "top=3", "--cwd", work,
            "--output", tmp.File("out/executed.ipynb"), "--html", tmp.File("out/report.html"), "--junit", tmp.File("out/results.xml"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(Path.Combine(work, "x")));
        Assert.Contains($"  | pcap=[{hostile}]", r.Stderr);
        Assert.Contains("[cell 5/5] top * 2 ... ok (", r.Stderr);
        Assert.Equal("", r.Stdout);

        Assert.Equal("4.5 7", ValidateNotebook(tmp.File("out/executed.ipynb")));
        var nb = JsonNode.Parse(File.ReadAllText(tmp.File("out/executed.ipynb")))!;
        Assert.Equal(work, (string?)nb["metadata"]!["pcaplab"]!["cwd"]);
        Assert.Equal("6", (string?)nb["cells"]![6]!["outputs"]![0]!["data"]!["text/plain"]);
        Assert.Equal("5 0 0 0 5", JUnitCounts(tmp.File("out/results.xml")));
        var html = File.ReadAllText(tmp.File("out/report.html"));
        Assert.Contains("Triage of a capture</h1>", html);
        Assert.Contains("<b>bold from display</b>", html);
    }

    [Fact]
    public void Cells_run_in_the_cwd_directory()
    {
        using var tmp = new Tool.TempDir();
        var work = Directory.CreateDirectory(tmp.File("work")).FullName;
        File.WriteAllText(tmp.File("cwd.ipynb"), """
            {"cells": [{"cell_type": "code", "id": "w", "metadata": {}, "outputs": [], "execution_count": null,
              "source": "System.IO.File.WriteAllText(\"made-here.txt\", \"ok\"); Console.WriteLine(System.IO.Directory.GetCurrentDirectory());"}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        var r = CliRunner.RunIn(tmp.Path, "run", "cwd.ipynb", "--cwd", "work", "--output", "executed.ipynb");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(Path.Combine(work, "made-here.txt")));
        Assert.Contains("  | " + work, r.Stderr);
        // output paths stay relative to where pcaplab was started
        Assert.Equal("4.5 1", ValidateNotebook(tmp.File("executed.ipynb")));
    }

    [Fact]
    public void A_failing_cell_exits_2_naming_the_cell_its_first_line_and_the_error()
    {
        using var tmp = new Tool.TempDir();
        var r = CliRunner.Run("run", Fixture("failing.ipynb"), "--output", tmp.File("out.ipynb"), "--junit", tmp.File("j.xml"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("cell 2/3 failed: Console.WriteLine(\"about to fail\");", r.Stderr);
        Assert.Contains("InvalidOperationException: boom in cell two", r.Stderr);
        Assert.Contains("at cell line 2", r.Stderr);
        Assert.DoesNotContain("never printed", r.Stderr);
        Assert.Equal("4.5 3", ValidateNotebook(tmp.File("out.ipynb")));
        Assert.Equal("3 1 0 1 3", JUnitCounts(tmp.File("j.xml")));
    }

    [Fact]
    public void A_cell_timeout_exits_3_and_still_writes_the_outputs()
    {
        using var tmp = new Tool.TempDir();
        var r = CliRunner.Run("run", Fixture("timeout.ipynb"), "--cell-timeout", "2",
            "--output", tmp.File("out.ipynb"), "--html", tmp.File("r.html"), "--junit", tmp.File("j.xml"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("TIMED OUT", r.Stderr);
        Assert.Equal("4.5 3", ValidateNotebook(tmp.File("out.ipynb")));
        Assert.Equal("3 0 1 1 3", JUnitCounts(tmp.File("j.xml")));
        Assert.Contains("before the slow cell", File.ReadAllText(tmp.File("r.html")));
    }

    [Fact]
    public void Tags_a_dib_and_allow_errors_exit_0()
    {
        Assert.Equal(0, CliRunner.Run("run", Fixture("tags.ipynb")).ExitCode);
        var dib = CliRunner.Run("run", Fixture("polyglot.dib"), "-p", "repeat=3");
        Assert.True(dib.ExitCode == 0, dib.Stderr);
        Assert.Equal(3, dib.Stderr.Split('\n').Count(l => l == "  | hello world"));
        var allowed = CliRunner.Run("run", Fixture("failing.ipynb"), "--allow-errors");
        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("  | never printed", allowed.Stderr);
    }

    [Fact]
    public void Parameters_from_yaml_and_describe()
    {
        var r = CliRunner.Run("run", Fixture("passing.ipynb"), "-f", Fixture("params.yaml"), "-p", "top=8");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("  | pcap=[from yaml.pcap]\n  | top=8 threshold=0.25 verbose=True\n", r.Stderr);

        var d = CliRunner.Run("run", Fixture("passing.ipynb"), "--describe");
        Assert.Equal(0, d.ExitCode);
        var lines = d.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal(["name type default", "pcap string \"datasets/x.pcap\"", "top int 10", "threshold double 0.5", "verbose bool false"], lines.Skip(1));
        var none = CliRunner.Run("run", Fixture("no-parameters.ipynb"), "--describe");
        Assert.Equal(0, none.ExitCode);
        Assert.Contains("no cell tagged 'parameters'", none.Stdout);
        var ignored = CliRunner.Run("run", Fixture("no-parameters.ipynb"), "-p", "a=1");
        Assert.Equal(0, ignored.ExitCode);
        Assert.Contains("warning: parameter 'a' ignored: the notebook has no cell tagged 'parameters'", ignored.Stderr);
    }

    [Theory]
    [InlineData("bad-json.ipynb", "not valid notebook JSON")]
    [InlineData("missing.ipynb", "not found")]
    public void A_bad_notebook_exits_4(string name, string reason)
    {
        var r = CliRunner.Run("run", Fixture(name));
        Assert.Equal(4, r.ExitCode);
        Assert.Contains(reason, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Theory]
    [InlineData("parameter 'top' is int", "-p", "top=ten")]
    [InlineData("parameter 'verbose' is bool", "-p", "verbose=maybe")]
    [InlineData("expected name=value", "-p", "novalue")]
    [InlineData("--timeout 'soon'", "--timeout", "soon")]
    [InlineData("--cell-timeout '-1'", "--cell-timeout=-1")]
    [InlineData("--output needs a value", "--output")]
    [InlineData("unexpected argument '--bogus'", "--bogus")]
    [InlineData("is not a directory", "--cwd", "/nonexistent-dir")]
    [InlineData("cannot read parameters file", "-f", "/nonexistent.yaml")]
    public void Bad_arguments_exit_4_with_the_reason(string reason, params string[] args)
    {
        var r = CliRunner.Run(["run", Fixture("passing.ipynb"), .. args]);
        Assert.Equal(4, r.ExitCode);
        Assert.Contains(reason, r.Stderr);
        Assert.DoesNotContain("[cell", r.Stderr);
    }

    [Fact]
    public void No_notebook_exits_4()
    {
        var r = CliRunner.Run("run");
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("no notebook given", r.Stderr);
    }
}

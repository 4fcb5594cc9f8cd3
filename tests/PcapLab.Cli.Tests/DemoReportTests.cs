using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PcapLab.Testing;

namespace PcapLab.Cli.Tests;

/// <summary>
/// The demo as `./build.sh demo` runs it: notebooks/01-triage.ipynb headless through the published binary on real
/// captures. The executed notebook validates with python3-nbformat, and the report opens in headless Chromium with the
/// network disabled, every chart drawn and no console error; the screenshot is kept under artifacts/test-results.
/// </summary>
public class DemoReportTests
{
    private static (int ExitCode, string Stdout, string Stderr) Process(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); throw new TimeoutException(file + " did not finish"); }
        return (p.ExitCode, stdout, stderr.Result);
    }

    [Fact]
    public void The_triage_notebook_runs_green_and_its_report_draws_every_chart_offline()
    {
        var dir = Path.Combine(Repo.Root, "artifacts", "test-results", "demo-report");
        Directory.CreateDirectory(dir);
        var html = Path.Combine(dir, "report.html");
        var executed = Path.Combine(dir, "01-triage.executed.ipynb");
        File.Delete(html);
        File.Delete(executed);

        // The committed record captures: DNS, HTTP, TLS, SSH and fragments recorded on loopback (tests/data/records/README.md).
        var r = CliRunner.RunIn(Repo.Root, "run", "notebooks/01-triage.ipynb", "-p", "pcaps=tests/data/records/*.pcap",
            "--html", html, "--output", executed);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"pcaplab run: \d+ ok in ", r.Stderr);

        var check = Process("/usr/bin/python3", "-c",
            "import sys, nbformat\nnb = nbformat.read(sys.argv[1], as_version=4)\nnbformat.validate(nb)\n" +
            "code = [c for c in nb.cells if c.cell_type == 'code']\n" +
            "errors = [o for c in code for o in c.outputs if o.output_type == 'error']\n" +
            "charts = [o for c in code for o in c.outputs if 'application/vnd.plotly.v1+json' in o.get('data', {})]\n" +
            "print(nb.nbformat, nb.nbformat_minor, len(code), len(errors), len(charts), nb.metadata.kernelspec.name)", executed);
        Assert.True(check.ExitCode == 0, check.Stderr);
        var nb = JsonNode.Parse(File.ReadAllText(executed))!;
        var expectedCharts = nb["cells"]!.AsArray().Count(c => c!["outputs"] is JsonArray outs && outs.Any(o => o!["data"]?["application/vnd.plotly.v1+json"] != null));
        Assert.True(expectedCharts >= 10, $"only {expectedCharts} charts in the executed notebook");
        Assert.Matches($@"^4 5 \d+ 0 {expectedCharts} pcaplab$", check.Stdout.Trim());
        // plotly.js travels once per notebook and once per report, however many charts there are.
        Assert.Single(Regex.Matches(File.ReadAllText(executed), @"plotly\.js v\d+\.\d+\.\d+"));
        Assert.Single(Regex.Matches(File.ReadAllText(html), @"plotly\.js v\d+\.\d+\.\d+"));
        // The parameter reached the notebook: the five record captures were loaded, not the fallback's.
        Assert.Contains("5 capture file(s)", File.ReadAllText(executed));

        var (code, dom, log) = Process("bash", Path.Combine(Repo.Root, "tests", "browser", "chromium.sh"), "dump-dom", html);
        Assert.True(code == 0, log);
        File.WriteAllText(Path.Combine(dir, "report.dom.html"), dom);
        File.WriteAllText(Path.Combine(dir, "chromium.log"), log);
        var starts = Regex.Matches(dom, "<div [^>]*id=\"plot-(\\d+)\"").ToList();
        Assert.Equal(expectedCharts, starts.Count);
        foreach (var s in starts)
        {
            // Cut at the chart's own JSON so one drawn chart cannot stand in for another.
            var end = dom.IndexOf("<script type=\"application/json\"", s.Index, StringComparison.Ordinal);
            var chart = dom[s.Index..end];
            Assert.True(chart.Contains("class=\"main-svg\""), $"chart plot-{s.Groups[1].Value} has no plotly SVG");
            Assert.DoesNotContain("pcaplab-plot-error", chart);
        }
        var console = log.Split('\n').Where(l => l.Contains("CONSOLE") || l.Contains("Uncaught") || l.Contains("Content Security Policy") || l.Contains("Refused")).ToList();
        Assert.True(console.Count == 0, "console output from the report:\n" + string.Join('\n', console));

        var png = Path.Combine(dir, "report.png");
        File.Delete(png);
        var shot = Process("bash", Path.Combine(Repo.Root, "tests", "browser", "chromium.sh"), "screenshot", html, png, "1280,9000");
        Assert.True(shot.ExitCode == 0, shot.Stderr);
        Assert.True(new FileInfo(png).Length > 50_000, "screenshot missing or blank");
    }
}

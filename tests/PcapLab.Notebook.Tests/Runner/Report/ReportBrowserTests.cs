using System.Diagnostics;
using System.Text.RegularExpressions;
using PcapLab.Charts;
using PcapLab.Notebook.Runner.Report;
using PcapLab.Testing;

namespace PcapLab.Notebook.Tests.Runner.Report;

/// <summary>
/// Opens a report with every chart kind in headless Chromium with the network disabled (tests/browser/chromium.sh):
/// every chart must have drawn its SVG, the console must stay free of errors, and a screenshot is kept as an artifact.
/// </summary>
public class ReportBrowserTests
{
    private static readonly DateTime T0 = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private static IEnumerable<(string Title, Figure Figure)> EveryChartKind()
    {
        string[] protos = ["tcp", "udp", "tcp", "icmp", "udp", "tcp", "tcp", "udp"];
        DateTime[] times = Enumerable.Range(0, 8).Select(i => T0.AddSeconds(i * 15)).ToArray();
        double[] bytes = [1200, 300, 5400, 84, 610, 990, 7200, 150];
        string[] hosts = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"];
        yield return ("line", Chart.Line(times, bytes, color: protos).WithTitle("Bytes per interval by protocol").WithAxisTitles("time", "bytes"));
        yield return ("scatter", Chart.Scatter(new double[] { 0.1, 2.5, 30, 0.02, 8 }, new double[] { 400, 12000, 9e6, 60, 5e4 },
            color: new[] { "SF", "SF", "S0", "REJ", "SF" }, size: new double[] { 4, 10, 900, 1, 40 }).WithTitle("Flow duration × bytes")
            .WithLayout(l => { l.XAxis.Type = AxisType.Log; l.YAxis.Type = AxisType.Log; }));
        yield return ("bar", Chart.Bar(hosts, new double[] { 9000, 4000, 800, 10 }, name: "bytes", horizontal: true).WithTitle("Top talkers"));
        yield return ("stacked bar", Chart.Bar(new[] { "53", "443", "53", "443" }, new double[] { 10, 200, 4, 90 }, color: new[] { "in", "in", "out", "out" }, mode: BarMode.Stack).WithTitle("Destination ports"));
        yield return ("histogram", Chart.Histogram(new double[] { 60, 60, 1500, 1500, 1500, 576, 40, 1400, 90 }, name: "frame length", bins: 15).WithTitle("Frame lengths"));
        yield return ("pie", Chart.Pie(new[] { "tcp", "udp", "icmp" }, new double[] { 70, 25, 5 }, hole: 0.4).WithTitle("Protocol distribution"));
        yield return ("heatmap", Chart.Heatmap(new[] { hosts[0], hosts[1], hosts[0], hosts[2] }, new[] { hosts[3], hosts[3], hosts[2], hosts[0] }, new double[] { 10, 20, 30, 5 }).WithTitle("Source × destination bytes"));
        yield return ("box", Chart.Box(new double[] { 1, 2, 3, 50, 2, 3, 4, 1 }, x: protos).WithTitle("RTT by protocol"));
        yield return ("timeline", Chart.Timeline(new[] { "flow 1", "flow 2", "flow 3" }, times[..3], times[2..5], color: new[] { "SF", "REJ", "SF" }).WithTitle("Flow timeline"));
        yield return ("sankey", Chart.Sankey(new[] { hosts[0], hosts[0], hosts[1] }, new[] { "dns", "https", "https" }, new double[] { 3, 40, 12 }).WithTitle("Hosts → services"));
        yield return ("network", Chart.Network(new[] { hosts[0], hosts[0], hosts[1], hosts[2] }, new[] { hosts[1], hosts[2], hosts[2], hosts[3] }, new double[] { 5, 1, 2, 8 }).WithTitle("Conversations"));
        yield return ("facets", Chart.FacetWrap(Enumerable.Range(0, 8), i => protos[i],
            rows => Chart.Bar(rows.Select(i => times[i]).ToArray(), rows.Select(i => bytes[i]).ToArray(), name: "bytes"), columns: 3).WithTitle("Bytes by protocol"));
    }

    private static PcapLab.Notebook.Runner.Report.Report SampleReport()
    {
        var script = new PlotlyScript();
        var cells = new List<ReportCell>
        {
            new MarkdownCell("# Triage\n\nEvery chart kind, drawn offline. Data is **synthetic** and <script>alert(1)</script> stays text."),
            new CodeCell("#!sql --name talkers\nSELECT src_ip, sum(bytes) FROM flows GROUP BY 1", "sql")
            {
                ExecutionCount = 1, Duration = TimeSpan.FromMilliseconds(42),
                Outputs = [new DisplayOutput(new Dictionary<string, object>
                {
                    ["text/html"] = "<table><thead><tr><th>src_ip</th><th>bytes</th></tr></thead><tbody><tr><td>10.0.0.1</td><td>9000</td></tr><tr><td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td>1</td></tr></tbody></table>",
                    ["text/plain"] = "2 rows",
                })],
            },
        };
        var n = 2;
        foreach (var (title, fig) in EveryChartKind())
            cells.Add(new CodeCell($"// {title}\ndisplay(fig);") { ExecutionCount = n++, Duration = TimeSpan.FromMilliseconds(5), Outputs = [new DisplayOutput(fig.ToMimeBundle(script))] });
        cells.Add(new CodeCell("throw new InvalidOperationException(\"boom\");")
        {
            ExecutionCount = n, Status = CellStatus.Failed, Duration = TimeSpan.FromMilliseconds(3),
            Outputs = [new StreamOutput("stdout", "before the error\n"), new ErrorOutput("System.InvalidOperationException", "boom", ["\x1b[31mSystem.InvalidOperationException: boom\x1b[0m", "   at Submission#14.<<Initialize>>d__0.MoveNext()"])],
        });
        return new()
        {
            Title = "PcapLab browser check",
            Provenance = [new("capture", "sample.pcap sha256 0123abcd"), new("PcapLab", "0.1.0"), new("plotly.js", PlotlyScript.Version ?? "?"), new("host", Environment.MachineName)],
            Cells = cells,
        };
    }

    private static (string Stdout, string Stderr) Chromium(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(Repo.Root, "tests", "browser", "chromium.sh"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); throw new TimeoutException("chromium did not finish"); }
        Assert.True(p.ExitCode == 0, $"chromium exited {p.ExitCode}: {stderr.Result}");
        return (stdout, stderr.Result);
    }

    [Fact]
    public void Every_chart_renders_offline_without_console_errors_and_a_screenshot_is_kept()
    {
        var dir = Path.Combine(Repo.Root, "artifacts", "test-results", "report-browser");
        Directory.CreateDirectory(dir);
        var page = Path.Combine(dir, "report.html");
        HtmlReport.WriteFile(SampleReport(), page);
        var charts = EveryChartKind().Count();

        var (dom, log) = Chromium("dump-dom", page);
        File.WriteAllText(Path.Combine(dir, "report.dom.html"), dom);
        File.WriteAllText(Path.Combine(dir, "chromium.log"), log);

        // Each chart div holds plotly's SVG once drawn; the dump is cut at each div's end so one chart cannot stand in for another.
        var starts = Regex.Matches(dom, "<div [^>]*id=\"plot-(\\d+)\"").ToList();
        Assert.Equal(charts, starts.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            var end = dom.IndexOf("<script type=\"application/json\"", starts[i].Index, StringComparison.Ordinal);
            var chart = dom[starts[i].Index..end];
            Assert.True(chart.Contains("class=\"main-svg\""), $"chart {starts[i].Groups[1].Value} has no plotly SVG");
            Assert.DoesNotContain("pcaplab-plot-error", chart);
        }
        // The table survives and the payload stays text.
        Assert.Contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>", dom);

        var console = log.Split('\n').Where(l => l.Contains("CONSOLE") || l.Contains("Uncaught") || l.Contains("Content Security Policy") || l.Contains("Refused")).ToList();
        Assert.True(console.Count == 0, "console output from the page:\n" + string.Join('\n', console));

        var png = Path.Combine(dir, "report.png");
        File.Delete(png);
        Chromium("screenshot", page, png, "1280,7000");
        Assert.True(new FileInfo(png).Length > 10_000, "screenshot missing or empty");
    }
}

using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PcapLab.Charts;

namespace PcapLab.Notebook.Runner.Report;

/// <summary>
/// Writes a <see cref="Report"/> as one self-contained HTML file: provenance header, rendered markdown, collapsible code,
/// sanitized outputs, and plotly charts drawn by plotly.js inlined once. A Content-Security-Policy with a per-report nonce
/// lets only the report's own scripts run and forbids every network request.
/// </summary>
public static class HtmlReport
{
    /// <summary>Writes the report to <paramref name="path"/> (UTF-8), creating the folder.</summary>
    public static void WriteFile(Report report, string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        Write(report, w);
    }

    /// <summary>The report as an HTML string.</summary>
    public static string Render(Report report)
    {
        using var w = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, w);
        return w.ToString();
    }

    /// <summary>Writes the report's HTML to <paramref name="w"/>.</summary>
    public static void Write(Report report, TextWriter w)
    {
        ArgumentNullException.ThrowIfNull(report);
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var body = new StringBuilder();
        var charts = 0;
        WriteHeader(report, body);
        var codeNo = 0;
        foreach (var cell in report.Cells)
        {
            switch (cell)
            {
                case MarkdownCell md:
                    body.Append("<section class=\"cell markdown\">").Append(ReportMarkdown.ToHtml(md.Source)).Append("</section>\n");
                    break;
                case CodeCell code:
                    WriteCode(code, ++codeNo, body, ref charts);
                    break;
            }
        }

        w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        w.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'nonce-");
        w.Write(nonce);
        w.Write("'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'\">\n");
        w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
        w.Write(SafeHtml.Encode(report.Title));
        w.Write("</title>\n<style>");
        w.Write(Css);
        w.Write("</style>\n");
        if (charts > 0) w.Write(PlotlyScript.ScriptElement(nonce));
        w.Write("\n</head>\n<body>\n<main>\n");
        w.Write(body.ToString());
        w.Write("</main>\n");
        if (charts > 0)
        {
            w.Write($"<script nonce=\"{nonce}\">");
            w.Write(DrawCharts);
            w.Write("</script>\n");
        }
        w.Write("</body>\n</html>\n");
    }

    private static void WriteHeader(Report report, StringBuilder b)
    {
        b.Append("<header>\n<h1>").Append(SafeHtml.Encode(report.Title)).Append("</h1>\n");
        if (report.Provenance.Count > 0)
        {
            b.Append("<table class=\"provenance\">\n");
            foreach (var (k, v) in report.Provenance)
                b.Append("<tr><th>").Append(SafeHtml.Encode(k)).Append("</th><td>").Append(SafeHtml.Encode(v)).Append("</td></tr>\n");
            b.Append("</table>\n");
        }
        var code = report.Cells.OfType<CodeCell>().ToList();
        if (code.Count > 0)
        {
            // Per-cell durations, so a slow or failed cell is found without scrolling.
            b.Append("<details class=\"timings\"><summary>").Append(code.Count).Append(" code cells, ")
             .Append(code.Count(c => c.Status == CellStatus.Failed)).Append(" failed, total ")
             .Append(FormatDuration(code.Aggregate(TimeSpan.Zero, (t, c) => t + (c.Duration ?? TimeSpan.Zero))))
             .Append("</summary>\n<table>\n<tr><th>cell</th><th>first line</th><th>status</th><th>duration</th></tr>\n");
            for (var i = 0; i < code.Count; i++)
                b.Append("<tr><td><a href=\"#cell-").Append(i + 1).Append("\">").Append(i + 1).Append("</a></td><td><code>")
                 .Append(SafeHtml.Encode(FirstLine(code[i].Source))).Append("</code></td><td class=\"status ").Append(StatusClass(code[i].Status)).Append("\">")
                 .Append(StatusClass(code[i].Status)).Append("</td><td>").Append(code[i].Duration is { } d ? FormatDuration(d) : "").Append("</td></tr>\n");
            b.Append("</table>\n</details>\n");
        }
        b.Append("</header>\n");
    }

    private static void WriteCode(CodeCell cell, int number, StringBuilder b, ref int charts)
    {
        var status = StatusClass(cell.Status);
        b.Append("<section class=\"cell code ").Append(status).Append("\" id=\"cell-").Append(number).Append("\">\n");
        // Code is folded away unless it failed: readers come for the results.
        b.Append(cell.Status is CellStatus.Failed or CellStatus.TimedOut ? "<details open>" : "<details>")
         .Append("<summary><span class=\"count\">[").Append(cell.ExecutionCount?.ToString(CultureInfo.InvariantCulture) ?? " ").Append("]</span> ")
         .Append("<span class=\"lang\">").Append(SafeHtml.Encode(cell.Language)).Append("</span> ")
         .Append("<code>").Append(SafeHtml.Encode(FirstLine(cell.Source))).Append("</code>")
         .Append("<span class=\"meta\">").Append(status);
        if (cell.Duration is { } d) b.Append(" · ").Append(FormatDuration(d));
        b.Append("</span></summary>\n<pre class=\"source\"><code>").Append(SafeHtml.Encode(cell.Source)).Append("</code></pre></details>\n");
        if (cell.Outputs.Count > 0)
        {
            b.Append("<div class=\"outputs\">\n");
            foreach (var o in cell.Outputs) WriteOutput(o, b, ref charts);
            b.Append("</div>\n");
        }
        b.Append("</section>\n");
    }

    private static void WriteOutput(CellOutput output, StringBuilder b, ref int charts)
    {
        switch (output)
        {
            case StreamOutput s:
                b.Append("<pre class=\"stream ").Append(s.Name == "stderr" ? "stderr" : "stdout").Append("\">")
                 .Append(SafeHtml.Encode(Ansi.Strip(s.Text))).Append("</pre>\n");
                break;
            case ErrorOutput e:
                b.Append("<div class=\"error\"><div class=\"ename\">").Append(SafeHtml.Encode(Ansi.Strip(e.EName))).Append(": ")
                 .Append(SafeHtml.Encode(Ansi.Strip(e.EValue))).Append("</div>");
                if (e.Traceback.Count > 0)
                    b.Append("<pre>").Append(SafeHtml.Encode(Ansi.Strip(string.Join('\n', e.Traceback)))).Append("</pre>");
                b.Append("</div>\n");
                break;
            case DisplayOutput d:
                WriteDisplay(d.Data, b, ref charts);
                break;
        }
    }

    private static void WriteDisplay(IReadOnlyDictionary<string, object> data, StringBuilder b, ref int charts)
    {
        if (data.TryGetValue(Figure.PlotlyMimeType, out var fig) && FigureJson(fig) is { } json)
        {
            var id = ++charts;
            // The figure travels as inert JSON; the one nonce'd script at the end draws every chart.
            b.Append("<div class=\"plot\"><div class=\"pcaplab-plot\" id=\"plot-").Append(id).Append("\" data-figure=\"figure-").Append(id).Append("\"></div>")
             .Append("<script type=\"application/json\" id=\"figure-").Append(id).Append("\">").Append(json).Append("</script></div>\n");
            return;
        }
        if (data.TryGetValue("image/png", out var png) && Text(png) is { } b64 && SafeHtml.InlineImage().IsMatch("data:image/png;base64," + b64))
        {
            b.Append("<img class=\"output-image\" alt=\"\" src=\"data:image/png;base64,").Append(b64.Replace("\n", "").Replace("\r", "")).Append("\">\n");
            return;
        }
        if (data.TryGetValue("text/html", out var html) && Text(html) is { } h)
        {
            b.Append("<div class=\"html-output\">").Append(SafeHtml.Sanitize(h)).Append("</div>\n");
            return;
        }
        if (data.TryGetValue("text/markdown", out var md) && Text(md) is { } m)
        {
            b.Append("<div class=\"markdown-output\">").Append(ReportMarkdown.ToHtml(m)).Append("</div>\n");
            return;
        }
        if (data.TryGetValue("text/plain", out var plain) && Text(plain) is { } p)
            b.Append("<pre class=\"text-output\">").Append(SafeHtml.Encode(Ansi.Strip(p))).Append("</pre>\n");
    }

    /// <summary>Plotly figure JSON re-encoded so that it cannot end its script element (&lt; &gt; &amp; become \u escapes).</summary>
    private static string? FigureJson(object value)
    {
        JsonElement element;
        switch (value)
        {
            case JsonElement e: element = e; break;
            case JsonNode n: element = JsonSerializer.Deserialize<JsonElement>(n.ToJsonString()); break;
            case string s:
                try { element = JsonSerializer.Deserialize<JsonElement>(s); }
                catch (JsonException) { return null; }
                break;
            default: return null;
        }
        if (element.ValueKind != JsonValueKind.Object) return null;
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) element.WriteTo(w);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A mime value as text: a string, nbformat's list of lines, or a JSON string/array.</summary>
    private static string? Text(object value) => value switch
    {
        string s => s,
        IEnumerable<string> lines => string.Concat(lines),
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Array } e => string.Concat(e.EnumerateArray().Select(x => x.GetString())),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray a => string.Concat(a.Select(x => x?.GetValue<string>())),
        _ => null,
    };

    private static string FirstLine(string source)
    {
        var line = source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return line.Length > 100 ? line[..100] + "…" : line;
    }

    private static string StatusClass(CellStatus s) => s switch
    {
        CellStatus.Failed => "failed",
        CellStatus.TimedOut => "timed-out",
        CellStatus.Skipped => "skipped",
        CellStatus.NotRun => "not-run",
        _ => "ok",
    };

    private static string FormatDuration(TimeSpan d) => d.TotalSeconds < 60
        ? d.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s"
        : d.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);

    private const string DrawCharts = """
        document.querySelectorAll('.pcaplab-plot').forEach(function (el) {
          function fail(e) { el.classList.add('pcaplab-plot-error'); el.textContent = 'Chart failed: ' + e; console.error(e); }
          try {
            var fig = JSON.parse(document.getElementById(el.dataset.figure).textContent);
            var config = Object.assign({ responsive: true, displaylogo: false }, fig.config || {});
            Plotly.newPlot(el, fig.data || [], fig.layout || {}, config).catch(fail);
          } catch (e) { fail(e); }
        });
        """;

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d1d1f; background: #fff; }
        main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem 4rem; }
        header h1 { margin: 0 0 .75rem; }
        table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
        th, td { border: 1px solid #d0d7de; padding: .25rem .6rem; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        table.provenance th { white-space: nowrap; }
        table.provenance td { font-family: ui-monospace, monospace; word-break: break-all; }
        .cell { margin: 1rem 0; }
        .cell.code { border-left: 3px solid #d0d7de; padding-left: .75rem; }
        .cell.code.failed, .cell.code.timed-out { border-left-color: #cf222e; }
        details > summary { cursor: pointer; color: #57606a; font-size: .85rem; }
        summary code { color: #24292f; margin: 0 .4rem; }
        .meta { margin-left: .5rem; }
        pre { background: #f6f8fa; padding: .6rem .8rem; overflow-x: auto; font-size: .85rem; }
        pre.stderr { background: #fff8e6; }
        .error { background: #ffebe9; border: 1px solid #ff8182; padding: .4rem .8rem; margin: .5rem 0; }
        .error .ename { font-weight: 600; color: #cf222e; }
        .error pre { background: transparent; padding: .3rem 0; }
        .status.failed, .status.timed-out { color: #cf222e; font-weight: 600; }
        .html-output { overflow-x: auto; }
        .pcaplab-plot-error { color: #cf222e; }
        img.output-image { max-width: 100%; }
        """;
}

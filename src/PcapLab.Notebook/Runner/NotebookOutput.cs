using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using PcapLab.Notebook.Runner.Report;

namespace PcapLab.Notebook.Runner;

/// <summary>
/// Writes a run's results: the executed notebook (nbformat 4.5), the HTML report and JUnit XML.
/// Per-cell timing follows papermill's convention, <c>metadata.papermill</c> = {start_time, end_time, duration, status, exception};
/// the run's provenance goes to the notebook's <c>metadata.pcaplab</c>.
/// </summary>
public static class NotebookOutput
{
    /// <summary>The cell status as written in <c>metadata.papermill.status</c>: completed, failed, timed-out, skipped, or pending (not reached).</summary>
    public static string StatusName(CellStatus status) => status switch
    {
        CellStatus.Ok => "completed",
        CellStatus.Failed => "failed",
        CellStatus.TimedOut => "timed-out",
        CellStatus.Skipped => "skipped",
        _ => "pending",
    };

    /// <summary>The executed notebook as nbformat 4.5 JSON.</summary>
    public static JsonObject ToIpynb(RunNotebook notebook, IReadOnlyList<CellRun> cells, RunProvenance provenance)
    {
        var metadata = (JsonObject)notebook.Metadata.DeepClone();
        metadata["kernelspec"] = new JsonObject { ["name"] = "pcaplab", ["display_name"] = "PcapLab", ["language"] = "csharp" };
        metadata["language_info"] = new JsonObject
        {
            ["name"] = "csharp",
            ["version"] = "14.0",
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        };
        metadata["pcaplab"] = provenance.ToJson(cells);
        return new JsonObject
        {
            ["cells"] = new JsonArray([.. cells.Select(c => (JsonNode?)CellJson(c))]),
            ["metadata"] = metadata,
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
    }

    private static JsonObject CellJson(CellRun run)
    {
        var cell = run.Cell;
        var metadata = (JsonObject)cell.Metadata.DeepClone();
        metadata.Remove("tags");
        if (cell.Tags.Count > 0) metadata["tags"] = new JsonArray([.. cell.Tags.Distinct(StringComparer.Ordinal).Select(t => (JsonNode?)t)]);
        var o = new JsonObject
        {
            ["id"] = cell.Id,
            ["cell_type"] = cell.Kind switch { NotebookCellKind.Code => "code", NotebookCellKind.Markdown => "markdown", _ => "raw" },
            ["metadata"] = metadata,
            ["source"] = Lines(cell.Source),
        };
        foreach (var (k, v) in cell.Extra) o[k] = v?.DeepClone();
        if (cell.Kind != NotebookCellKind.Code) return o;
        metadata["papermill"] = new JsonObject
        {
            ["start_time"] = run.Start is { } s ? RunProvenance.Iso(s) : null,
            ["end_time"] = run.End is { } e ? RunProvenance.Iso(e) : null,
            ["duration"] = run.Duration is { } d ? Math.Round(d.TotalSeconds, 6) : null,
            ["status"] = StatusName(run.Status),
            ["exception"] = run.Status is CellStatus.Failed or CellStatus.TimedOut,
        };
        o["outputs"] = new JsonArray([.. run.Outputs.Select(x => (JsonNode?)x.DeepClone())]);
        o["execution_count"] = run.ExecutionCount;
        return o;
    }

    // nbformat's multi-line string as Jupyter writes it: lines keeping their '\n'.
    private static JsonArray Lines(string text)
    {
        var a = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl + 1;
            a.Add(text[start..end]);
            start = end;
        }
        return a;
    }

    /// <summary>Writes notebook JSON the way Jupyter does (one-space indent, UTF-8, trailing newline).</summary>
    public static void WriteIpynb(JsonObject notebook, string path)
    {
        CreateFolder(path);
        var options = new JsonSerializerOptions { WriteIndented = true, IndentSize = 1, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        File.WriteAllText(path, notebook.ToJsonString(options) + "\n", new UTF8Encoding(false));
    }

    /// <summary>The HTML report's model of a run.</summary>
    public static Report.Report ToReport(RunNotebook notebook, IReadOnlyList<CellRun> cells, RunProvenance provenance)
    {
        var title = notebook.Metadata["title"] is JsonValue t && t.TryGetValue(out string? s) && s.Length > 0
            ? s : Path.GetFileNameWithoutExtension(notebook.Path);
        var list = new List<ReportCell>();
        foreach (var run in cells)
        {
            switch (run.Cell.Kind)
            {
                case NotebookCellKind.Markdown: list.Add(new MarkdownCell(run.Cell.Source)); break;
                case NotebookCellKind.Code:
                    list.Add(new CodeCell(run.Cell.Source, CellLanguage(run.Cell))
                    {
                        ExecutionCount = run.ExecutionCount,
                        Duration = run.Duration,
                        // a failure the notebook expects (raises-exception) reads as ok
                        Status = run.Status == CellStatus.Failed && run.FailureAllowed && run.Cell.HasTag("raises-exception") ? CellStatus.Ok : run.Status,
                        Outputs = [.. run.Outputs.Select(ReportOutput).OfType<CellOutput>()],
                    });
                    break;
            }
        }
        return new Report.Report { Title = title, Provenance = provenance.ToReportRows(), Cells = list };
    }

    private static CellOutput? ReportOutput(JsonObject o) => (string?)o["output_type"] switch
    {
        "stream" => new StreamOutput((string?)o["name"] ?? "stdout", (string?)o["text"] ?? ""),
        "error" => new ErrorOutput((string?)o["ename"] ?? "", (string?)o["evalue"] ?? "",
            [.. (o["traceback"] as JsonArray ?? []).Select(x => (string?)x ?? "")]),
        "display_data" or "execute_result" => new DisplayOutput((o["data"] as JsonObject ?? []).ToDictionary(
            kv => kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue(out string? text) ? text : (object)(kv.Value?.DeepClone() ?? JsonValue.Create(""))!)),
        _ => null,
    };

    /// <summary>Writes JUnit XML: one testsuite for the notebook, one testcase per code cell ("cell N: first line") with its
    /// time; a failure carries the error and traceback, a timeout is an error, skip-execution and cells not reached are skipped.</summary>
    public static void WriteJUnit(RunNotebook notebook, IReadOnlyList<CellRun> cells, RunProvenance provenance, string path)
    {
        CreateFolder(path);
        var code = cells.Where(c => c.Number > 0).ToList();
        int failures = code.Count(IsFailure), errors = code.Count(c => c.Status == CellStatus.TimedOut),
            skipped = code.Count(c => c.Status is CellStatus.Skipped or CellStatus.NotRun);
        var time = Seconds(provenance.End - provenance.Start);
        var suiteName = Path.GetFileName(notebook.Path);
        var className = Path.GetFileNameWithoutExtension(notebook.Path);
        using var w = XmlWriter.Create(path, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) });
        w.WriteStartDocument();
        w.WriteStartElement("testsuites");
        w.WriteAttributeString("name", "pcaplab run");
        WriteCounts(w, code.Count, failures, errors, skipped, time);
        w.WriteStartElement("testsuite");
        w.WriteAttributeString("name", suiteName);
        WriteCounts(w, code.Count, failures, errors, skipped, time);
        w.WriteAttributeString("timestamp", provenance.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        w.WriteAttributeString("hostname", XmlText(provenance.Host));
        w.WriteStartElement("properties");
        foreach (var (k, v) in provenance.ToReportRows())
        {
            w.WriteStartElement("property");
            w.WriteAttributeString("name", XmlText(k));
            w.WriteAttributeString("value", XmlText(v));
            w.WriteEndElement();
        }
        w.WriteEndElement();
        foreach (var c in code)
        {
            w.WriteStartElement("testcase");
            w.WriteAttributeString("classname", XmlText(className));
            w.WriteAttributeString("name", XmlText($"cell {c.Number}: {c.Cell.FirstLine}"));
            w.WriteAttributeString("time", Seconds(c.Duration ?? TimeSpan.Zero));
            if (c.Status == CellStatus.Skipped) Element(w, "skipped", "skip-execution", null, null);
            else if (c.Status == CellStatus.NotRun) Element(w, "skipped", "not run: the run stopped before this cell", null, null);
            else if (c.Status == CellStatus.TimedOut && c.Failure is { } t) Element(w, "error", $"{t.Name}: {t.Value}", t.Name, string.Join('\n', t.Traceback));
            else if (IsFailure(c) && c.Failure is { } f) Element(w, "failure", $"{f.Name}: {f.Value}", f.Name, string.Join('\n', f.Traceback));
            var stdout = string.Concat(c.Outputs.Where(o => (string?)o["output_type"] == "stream" && (string?)o["name"] == "stdout").Select(o => (string?)o["text"]));
            var stderr = string.Concat(c.Outputs.Where(o => (string?)o["output_type"] == "stream" && (string?)o["name"] == "stderr").Select(o => (string?)o["text"]));
            if (stdout.Length > 0) w.WriteElementString("system-out", XmlText(stdout));
            if (stderr.Length > 0) w.WriteElementString("system-err", XmlText(stderr));
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    // A failure counts unless the cell was allowed to raise (raises-exception); --allow-errors keeps the failure visible in CI.
    private static bool IsFailure(CellRun c) => c.Status == CellStatus.Failed && !c.Cell.HasTag("raises-exception");

    private static void WriteCounts(XmlWriter w, int tests, int failures, int errors, int skipped, string time)
    {
        w.WriteAttributeString("tests", tests.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("errors", errors.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("skipped", skipped.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("time", time);
    }

    private static void Element(XmlWriter w, string name, string message, string? type, string? text)
    {
        w.WriteStartElement(name);
        w.WriteAttributeString("message", XmlText(message));
        if (type != null) w.WriteAttributeString("type", XmlText(type));
        if (text != null) w.WriteString(XmlText(text));
        w.WriteEndElement();
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    // XML 1.0 cannot carry ANSI escapes or other control characters: strip the escapes, drop the rest.
    private static string XmlText(string s)
    {
        s = Ansi.Strip(s);
        if (s.All(XmlConvert.IsXmlChar)) return s;
        var b = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (XmlConvert.IsXmlChar(s[i])) b.Append(s[i]);
            else if (i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], s[i])) { b.Append(s[i]).Append(s[i + 1]); i++; }
        }
        return b.ToString();
    }

    private static void CreateFolder(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
    }

    // A cell whose first line is a magic (#!sql, #!plot, ...) reads as that magic in the report, not as C#.
    private static string CellLanguage(NotebookCell cell)
    {
        var first = cell.Source.TrimStart().Split('\n', 2)[0];
        if (!first.StartsWith("#!", StringComparison.Ordinal)) return cell.Language;
        var name = first[2..].Split(' ', 2)[0].Trim();
        return name.Length > 0 ? name : cell.Language;
    }
}

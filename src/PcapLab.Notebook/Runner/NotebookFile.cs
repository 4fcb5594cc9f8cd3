using System.Text.Json;
using System.Text.Json.Nodes;

namespace PcapLab.Notebook.Runner;

/// <summary>Reads notebooks: Jupyter .ipynb (nbformat 4) and .NET Interactive .dib polyglot files.</summary>
public static class NotebookFile
{
    /// <summary>Reads <paramref name="path"/> by its extension (.dib is polyglot text; anything else is .ipynb JSON).</summary>
    /// <exception cref="NotebookFormatException">Missing, unreadable, unparseable or not nbformat 4.</exception>
    public static RunNotebook Read(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new NotebookFormatException(ex is FileNotFoundException or DirectoryNotFoundException
                ? $"notebook '{path}' not found" : $"cannot read notebook '{path}': {ex.Message}", ex);
        }
        var notebook = path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase) ? ParseDib(path, text) : ParseIpynb(path, text);
        notebook.EnsureCellIds();
        return notebook;
    }

    /// <summary>Parses .ipynb JSON text.</summary>
    public static RunNotebook ParseIpynb(string path, string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }); }
        catch (JsonException ex)
        {
            throw new NotebookFormatException($"'{path}' is not valid notebook JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}", ex);
        }
        if (root is not JsonObject nb) throw new NotebookFormatException($"'{path}' is not a notebook: the top level is not a JSON object");
        int major = nb["nbformat"] is JsonValue v && v.TryGetValue(out int m) ? m : -1;
        if (major != 4)
            throw new NotebookFormatException(major < 0
                ? $"'{path}' is not a notebook: no nbformat number"
                : $"'{path}' is nbformat {major}; pcaplab run reads nbformat 4 (convert it with 'jupyter nbconvert --to notebook')");
        if (nb["cells"] is not JsonArray cells) throw new NotebookFormatException($"'{path}' is not a notebook: no cells array");

        var list = new List<NotebookCell>(cells.Count);
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject c) throw new NotebookFormatException($"'{path}': cell {i + 1} is not a JSON object");
            list.Add(ReadCell(path, i, c));
        }
        var metadata = nb["metadata"] as JsonObject ?? [];
        return new RunNotebook { Path = path, Cells = list, Metadata = (JsonObject)metadata.DeepClone() };
    }

    private static NotebookCell ReadCell(string path, int index, JsonObject c)
    {
        var kind = (c["cell_type"] as JsonValue)?.GetValue<string>() switch
        {
            "code" => NotebookCellKind.Code,
            "markdown" => NotebookCellKind.Markdown,
            "raw" => NotebookCellKind.Raw,
            var other => throw new NotebookFormatException($"'{path}': cell {index + 1} has cell_type '{other ?? "(none)"}'"),
        };
        var metadata = c["metadata"] is JsonObject md ? (JsonObject)md.DeepClone() : [];
        var tags = new List<string>();
        if (metadata["tags"] is JsonArray ta)
            foreach (var t in ta) if (t is JsonValue tv && tv.TryGetValue(out string? s)) tags.Add(s);
        var extra = new JsonObject();
        foreach (var (k, val) in c)
            if (k is not ("cell_type" or "source" or "metadata" or "id" or "outputs" or "execution_count")) extra[k] = val?.DeepClone();
        return new NotebookCell
        {
            Id = (c["id"] as JsonValue)?.TryGetValue(out string? id) == true ? id! : "",
            Kind = kind,
            Source = ReadSource(path, index, c["source"]),
            Language = kind == NotebookCellKind.Code ? CellLanguage(metadata) : "markdown",
            Tags = tags,
            Metadata = metadata,
            Extra = extra,
        };
    }

    // nbformat stores text as a string or as a list of lines that keep their '\n'.
    private static string ReadSource(string path, int index, JsonNode? source) => source switch
    {
        null => "",
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonArray a => string.Concat(a.Select(l => l is JsonValue lv && lv.TryGetValue(out string? s) ? s
            : throw new NotebookFormatException($"'{path}': cell {index + 1} has a non-text source line"))),
        _ => throw new NotebookFormatException($"'{path}': cell {index + 1} has a source that is neither text nor a list of lines"),
    };

    // VS Code's polyglot notebooks name the cell's kernel in metadata (older ones: dotnet_interactive.language).
    private static string CellLanguage(JsonObject metadata)
    {
        var name = (metadata["polyglot_notebook"]?["kernelName"] ?? metadata["dotnet_interactive"]?["language"]) is JsonValue v
            && v.TryGetValue(out string? s) ? s : null;
        return name is null or "csharp" or "C#" or "c#" ? "csharp" : name;
    }

    // .dib kernel selector lines (a whole line each); other #! lines are magics inside the cell.
    private static readonly Dictionary<string, string> DibKernels = new(StringComparer.Ordinal)
    {
        ["csharp"] = "csharp", ["c#"] = "csharp", ["C#"] = "csharp", ["cs"] = "csharp",
        ["markdown"] = "markdown", ["md"] = "markdown",
        ["sql"] = "sql", ["meta"] = "meta",
        // other polyglot kernels keep their line, so the session reports them as unknown magics instead of running them as C#
        ["fsharp"] = "fsharp", ["pwsh"] = "pwsh", ["javascript"] = "javascript", ["html"] = "html", ["mermaid"] = "mermaid",
        ["kql"] = "kql", ["http"] = "http", ["value"] = "value",
    };

    /// <summary>Parses a .dib polyglot file: cells start at whole-line kernel selectors (<c>#!csharp</c>, <c>#!sql</c>,
    /// <c>#!markdown</c>, ...), <c>#!meta</c> cells are skipped, text before the first selector is C#.
    /// A C# cell whose first line is <c>// parameters</c> is tagged <c>parameters</c> (.dib has no cell tags).</summary>
    public static RunNotebook ParseDib(string path, string text)
    {
        var cells = new List<NotebookCell>();
        string language = "csharp";
        var lines = new List<string>();
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (raw.StartsWith("#!", StringComparison.Ordinal) && DibKernels.TryGetValue(raw.Trim()[2..], out var next))
            {
                AddDibCell(cells, language, lines);
                language = next;
                lines.Clear();
                continue;
            }
            lines.Add(raw);
        }
        AddDibCell(cells, language, lines);
        return new RunNotebook { Path = path, Cells = cells };
    }

    private static void AddDibCell(List<NotebookCell> cells, string language, List<string> lines)
    {
        if (language == "meta") return;
        int start = 0, end = lines.Count;
        while (start < end && string.IsNullOrWhiteSpace(lines[start])) start++;
        while (end > start && string.IsNullOrWhiteSpace(lines[end - 1])) end--;
        if (start == end) return;
        var body = string.Join("\n", lines.Skip(start).Take(end - start));
        if (language == "markdown")
        {
            cells.Add(new NotebookCell { Id = "", Kind = NotebookCellKind.Markdown, Source = body, Language = "markdown" });
            return;
        }
        var tags = new List<string>();
        if (language == "csharp" && lines[start].Trim().Equals("// parameters", StringComparison.OrdinalIgnoreCase)) tags.Add("parameters");
        var metadata = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = language } };
        if (tags.Count > 0) metadata["tags"] = new JsonArray([.. tags.Select(t => (JsonNode?)t)]);
        cells.Add(new NotebookCell
        {
            Id = "",
            Kind = NotebookCellKind.Code,
            Source = language == "csharp" ? body : $"#!{language}\n{body}",
            Language = language,
            Tags = tags,
            Metadata = metadata,
        });
    }
}

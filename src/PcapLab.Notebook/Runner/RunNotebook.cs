using System.Text.Json.Nodes;

namespace PcapLab.Notebook.Runner;

/// <summary>What a notebook cell is: code to run, markdown to render, or raw text passed through.</summary>
public enum NotebookCellKind
{
    /// <summary>Code (C#, or another language selected by its first magic line).</summary>
    Code,
    /// <summary>Markdown, never executed.</summary>
    Markdown,
    /// <summary>Raw text, never executed.</summary>
    Raw,
}

/// <summary>One cell of a notebook as read from an .ipynb or .dib file.</summary>
public sealed class NotebookCell
{
    /// <summary>The nbformat 4.5 cell id (letters, digits, '-' and '_'; unique in the notebook).</summary>
    public required string Id { get; set; }

    /// <summary>Code, markdown or raw.</summary>
    public required NotebookCellKind Kind { get; init; }

    /// <summary>The cell's text as the notebook stores it (magic lines included).</summary>
    public required string Source { get; init; }

    /// <summary>The cell's language: "csharp", "sql", "markdown", ...; a non-C# code cell runs through the magic of that name.</summary>
    public string Language { get; init; } = "csharp";

    /// <summary>Tags from <c>metadata.tags</c> (parameters, injected-parameters, skip-execution, raises-exception, ...).</summary>
    public List<string> Tags { get; init; } = [];

    /// <summary>The cell's other metadata, kept as read and written back.</summary>
    public JsonObject Metadata { get; init; } = [];

    /// <summary>Other top-level fields of the cell (e.g. markdown attachments), kept as read.</summary>
    public JsonObject Extra { get; init; } = [];

    /// <summary>True when the cell carries <paramref name="tag"/>.</summary>
    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.Ordinal);

    /// <summary>The text the session runs: the source, with the language's magic line put in front when the notebook
    /// selects the language in metadata only (VS Code's polyglot notebooks do).</summary>
    public string ExecutableSource =>
        Language is "csharp" || Source.TrimStart().StartsWith("#!", StringComparison.Ordinal) ? Source : $"#!{Language}\n{Source}";

    /// <summary>A one-line summary for progress lines and test names: the first meaningful line, shortened.</summary>
    public string FirstLine
    {
        get
        {
            foreach (var raw in Source.Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line is "#!csharp" or "#!c#" or "#!C#" or "#!cs") continue;
                return line.Length <= 72 ? line : line[..71] + "…";
            }
            return "(empty)";
        }
    }
}

/// <summary>A notebook read from disk: its cells and the notebook-level metadata, ready to run.</summary>
public sealed class RunNotebook
{
    /// <summary>The file it was read from.</summary>
    public required string Path { get; init; }

    /// <summary>The cells in order.</summary>
    public required List<NotebookCell> Cells { get; init; }

    /// <summary>Notebook metadata as read (kernelspec, language_info and pcaplab are rewritten on output).</summary>
    public JsonObject Metadata { get; init; } = [];

    /// <summary>The cell tagged <c>parameters</c>, or null.</summary>
    public NotebookCell? ParametersCell => Cells.FirstOrDefault(c => c.Kind == NotebookCellKind.Code && c.HasTag("parameters"));

    /// <summary>Gives every cell a valid, unique nbformat 4.5 id (ids already valid and unique are kept).</summary>
    internal void EnsureCellIds()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in Cells)
        {
            if (!IsValidId(cell.Id) || !seen.Add(cell.Id))
            {
                string id;
                do id = Guid.NewGuid().ToString("N")[..12]; while (!seen.Add(id));
                cell.Id = id;
            }
        }
    }

    /// <summary>nbformat 4.5: 1 to 64 characters of [a-zA-Z0-9-_].</summary>
    internal static bool IsValidId(string? id) =>
        id is { Length: >= 1 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>The notebook cannot be run: missing, unparseable, wrong nbformat, or not a notebook.</summary>
public sealed class NotebookFormatException(string message, Exception? inner = null) : Exception(message, inner);

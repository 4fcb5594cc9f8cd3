namespace PcapLab.Notebook.Runner.Report;

/// <summary>What an executed notebook looks like to the report writer: a provenance header and the cells in order.</summary>
public sealed class Report
{
    /// <summary>Report title (usually the notebook's name).</summary>
    public required string Title { get; init; }

    /// <summary>Provenance shown in the header, in order: capture sha256s, PcapLab and DuckDB versions, parameters, host, start, end, ...</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Provenance { get; init; } = [];

    /// <summary>The cells in notebook order.</summary>
    public IReadOnlyList<ReportCell> Cells { get; init; } = [];
}

/// <summary>One notebook cell.</summary>
public abstract record ReportCell;

/// <summary>A markdown cell, rendered (raw HTML in it is shown as text).</summary>
/// <param name="Source">The markdown.</param>
public sealed record MarkdownCell(string Source) : ReportCell;

/// <summary>How a code cell's run ended.</summary>
public enum CellStatus
{
    /// <summary>Ran to completion.</summary>
    Ok,
    /// <summary>Raised an error.</summary>
    Failed,
    /// <summary>Stopped by the cell or notebook timeout.</summary>
    TimedOut,
    /// <summary>Not executed (tagged skip-execution).</summary>
    Skipped,
    /// <summary>Not reached (an earlier cell failed or timed out).</summary>
    NotRun,
}

/// <summary>A code cell with its run and outputs.</summary>
/// <param name="Source">The code, magic lines included.</param>
/// <param name="Language">Cell language: "csharp", "sql", ...</param>
public sealed record CodeCell(string Source, string Language = "csharp") : ReportCell
{
    /// <summary>Jupyter's execution count, when it ran.</summary>
    public int? ExecutionCount { get; init; }
    /// <summary>Wall-clock run time, when it ran.</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>How the run ended.</summary>
    public CellStatus Status { get; init; } = CellStatus.Ok;
    /// <summary>Outputs in order.</summary>
    public IReadOnlyList<CellOutput> Outputs { get; init; } = [];
}

/// <summary>One output of a code cell (Jupyter's output types).</summary>
public abstract record CellOutput;

/// <summary>
/// A display or execute result: a mime bundle. Values are strings, string arrays (nbformat's multi-line form),
/// <see cref="System.Text.Json.JsonElement"/> or <see cref="System.Text.Json.Nodes.JsonNode"/>; <c>image/png</c> is base64.
/// The richest type the report can draw safely wins: plotly JSON, PNG, HTML (sanitized), markdown, plain text.
/// </summary>
/// <param name="Data">Mime type → value.</param>
public sealed record DisplayOutput(IReadOnlyDictionary<string, object> Data) : CellOutput;

/// <summary>Text written to stdout or stderr.</summary>
/// <param name="Name">"stdout" or "stderr".</param>
/// <param name="Text">The text (ANSI escapes are stripped when rendered).</param>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>An error raised by the cell.</summary>
/// <param name="EName">Exception type name.</param>
/// <param name="EValue">Exception message.</param>
/// <param name="Traceback">Traceback lines (ANSI escapes are stripped when rendered).</param>
public sealed record ErrorOutput(string EName, string EValue, IReadOnlyList<string> Traceback) : CellOutput;

using System.Text.Json.Nodes;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Runner.Report;

namespace PcapLab.Notebook.Runner;

/// <summary>Exit codes of <c>pcaplab run</c> (and <see cref="RunResult.ExitCode"/>).</summary>
public static class RunExitCodes
{
    /// <summary>Every cell ran (failures allowed by <c>raises-exception</c> or <c>--allow-errors</c> included).</summary>
    public const int Ok = 0;
    /// <summary>A cell failed; stderr names it and shows its error.</summary>
    public const int CellFailed = 2;
    /// <summary>A cell or the notebook ran out of time; outputs so far were written.</summary>
    public const int TimedOut = 3;
    /// <summary>The notebook or the arguments are bad (missing file, bad JSON, nbformat other than 4, bad parameter value).</summary>
    public const int BadInput = 4;
    /// <summary>Interrupted (Ctrl-C / SIGINT, the shell's 128 + 2); outputs so far were written.</summary>
    public const int Interrupted = 130;
}

/// <summary>A capture the session read, for provenance.</summary>
/// <param name="Path">Its path as loaded.</param>
/// <param name="Sha256">The SHA-256 of its bytes, lowercase hex.</param>
public readonly record struct CaptureHash(string Path, string Sha256);

/// <summary>What <see cref="NotebookRunner"/> runs and where it writes.</summary>
public sealed class RunOptions
{
    /// <summary>The .ipynb or .dib to run.</summary>
    public required string NotebookPath { get; init; }

    /// <summary>Parameter values in the order given (<c>-p name=value</c>); later ones win, and they win over <see cref="ParametersFile"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Parameters { get; init; } = [];

    /// <summary>A YAML mapping of parameter values (<c>-f params.yaml</c>), applied before <see cref="Parameters"/>.</summary>
    public string? ParametersFile { get; init; }

    /// <summary>Where to write the executed notebook (.ipynb, nbformat 4.5), or null.</summary>
    public string? OutputPath { get; init; }

    /// <summary>Where to write the HTML report, or null.</summary>
    public string? HtmlPath { get; init; }

    /// <summary>Where to write JUnit XML (one testcase per code cell), or null.</summary>
    public string? JUnitPath { get; init; }

    /// <summary>Time limit for the whole notebook, or null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Time limit for each cell, or null for none.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>Run every cell even after failures, record the errors, and exit 0 (like nbconvert's --allow-errors). Timeouts still stop the run.</summary>
    public bool AllowErrors { get; init; }

    /// <summary>The session's DuckDB file (<c>--db</c>), or null for in-memory. Passed to <see cref="CreateSession"/>.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>The working directory cells run in (<c>--cwd</c>), or null for the current one. The process's current
    /// directory is changed for the run and restored after it (so in-process runs with it must not overlap).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Progress, live cell streams and errors (the CLI passes stderr).</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>Makes the session the cells run in; the default is a plain <see cref="NotebookSession"/>.
    /// The engine wiring (a Lab on <see cref="DatabasePath"/>, the #!sql and #!pcap magics) plugs in here.</summary>
    public Func<RunOptions, NotebookSession>? CreateSession { get; init; }

    /// <summary>The captures the session read (path and SHA-256), asked once after the run for provenance; null: none recorded.</summary>
    public Func<NotebookSession, IReadOnlyList<CaptureHash>>? CaptureHashes { get; init; }

    /// <summary>Allow <c>#!capture</c> (live capture). Off by default so that a report can always be reproduced from files.</summary>
    public bool AllowCapture { get; init; }

    /// <summary>How long a cancelled (timed-out) cell gets to stop before it is abandoned.</summary>
    public TimeSpan CancelGrace { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>One cell after the run.</summary>
public sealed class CellRun
{
    internal CellRun(NotebookCell cell, int number) { Cell = cell; Number = number; }

    /// <summary>The cell.</summary>
    public NotebookCell Cell { get; }

    /// <summary>1-based number among the notebook's code cells (the i of "cell i/n"); 0 for markdown and raw cells.</summary>
    public int Number { get; }

    /// <summary>How it ended (markdown and raw cells stay <see cref="CellStatus.Ok"/>).</summary>
    public CellStatus Status { get; internal set; } = CellStatus.NotRun;

    /// <summary>True when it failed but was allowed to (tagged <c>raises-exception</c>, or <c>--allow-errors</c>).</summary>
    public bool FailureAllowed { get; internal set; }

    /// <summary>The execution count, when it ran.</summary>
    public int? ExecutionCount { get; internal set; }

    /// <summary>When it started (UTC), when it ran.</summary>
    public DateTimeOffset? Start { get; internal set; }

    /// <summary>When it ended (UTC), when it ran.</summary>
    public DateTimeOffset? End { get; internal set; }

    /// <summary>Wall-clock duration, when it ran.</summary>
    public TimeSpan? Duration { get; internal set; }

    /// <summary>The error it raised (or the timeout), or null.</summary>
    public CellFailure? Failure { get; internal set; }

    /// <summary>Outputs as nbformat output dicts (stream, display_data, execute_result, error).</summary>
    public IReadOnlyList<JsonObject> Outputs { get; internal set; } = [];
}

/// <summary>The outcome of a run.</summary>
public sealed class RunResult
{
    /// <summary>One of <see cref="RunExitCodes"/>.</summary>
    public required int ExitCode { get; init; }

    /// <summary>Why the run did not start or did not finish, or null.</summary>
    public string? Message { get; init; }

    /// <summary>Every cell of the notebook as run (the injected-parameters cell included); empty when the notebook could not be read.</summary>
    public IReadOnlyList<CellRun> Cells { get; init; } = [];

    /// <summary>Where and with what the run happened; null when the notebook could not be read.</summary>
    public RunProvenance? Provenance { get; init; }

    /// <summary>The executed notebook as nbformat 4.5 JSON; null when the notebook could not be read.</summary>
    public JsonObject? Notebook { get; init; }
}

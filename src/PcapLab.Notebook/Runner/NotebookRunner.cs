using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;
using PcapLab.Notebook.Runner.Report;

namespace PcapLab.Notebook.Runner;

/// <summary>
/// Runs a notebook headless, in-process, on a <see cref="NotebookSession"/> (the kernel's cell engine), the way
/// <c>pcaplab run</c> does: parameters injected papermill-style, cells in order with timeouts, progress and live output on
/// <see cref="RunOptions.Log"/>, then the executed notebook, HTML report and JUnit XML written, whatever the outcome.
/// </summary>
/// <remarks>
/// Decisions, where papermill and nbconvert leave a choice:
/// <list type="bullet">
/// <item>Exit codes: 0 ok, 2 a cell failed, 3 a cell or notebook timeout, 4 a bad notebook or bad arguments, 130 Ctrl-C.
/// The executed notebook, report and JUnit file are written in every case except 4.</item>
/// <item><c>--allow-errors</c> works like nbconvert's: every cell runs, errors are recorded as error outputs (and as JUnit
/// failures, so CI still sees them) and the exit code is 0. A timeout still stops the run with 3: a hung cell is not an answer.</item>
/// <item>A cell tagged <c>raises-exception</c> may fail; the run goes on and JUnit counts it as passed.</item>
/// <item>A parameter the parameters cell does not declare is warned about on the log and not injected (papermill injects it,
/// but without a default there is no type to give it in C#). A value that does not parse as the default's type is exit 4.</item>
/// <item>Per-cell timing uses papermill's <c>metadata.papermill</c> {start_time, end_time, duration, status, exception}.</item>
/// <item>Roslyn's warm-up is not counted against <c>--cell-timeout</c> (it is against <c>--timeout</c>).</item>
/// </list>
/// </remarks>
public static class NotebookRunner
{
    /// <summary>The parameters cell of a notebook (null when none is tagged) and the parameters it declares.</summary>
    /// <exception cref="NotebookFormatException">The notebook cannot be read.</exception>
    public static (NotebookCell? Cell, IReadOnlyList<NotebookParameter> Parameters) Describe(string notebookPath)
    {
        var nb = NotebookFile.Read(notebookPath);
        return nb.ParametersCell is { } cell ? (cell, NotebookParameters.Declared(cell.Source)) : (null, []);
    }

    /// <summary>Runs the notebook. Never throws for a bad notebook, a failing cell or a timeout: see <see cref="RunResult.ExitCode"/>.</summary>
    public static async Task<RunResult> RunAsync(RunOptions options, CancellationToken cancellation = default)
    {
        var log = new ProgressLog(options.Log);
        var notebookPath = Path.GetFullPath(options.NotebookPath);
        string? Full(string? p) => p is null ? null : Path.GetFullPath(p);
        string? output = Full(options.OutputPath), html = Full(options.HtmlPath), junit = Full(options.JUnitPath);

        RunNotebook notebook;
        IReadOnlyList<KeyValuePair<string, string?>> applied;
        try
        {
            if (options.Timeout is { } t && t <= TimeSpan.Zero) throw new ParameterException("--timeout must be more than 0 seconds");
            if (options.CellTimeout is { } ct && ct <= TimeSpan.Zero) throw new ParameterException("--cell-timeout must be more than 0 seconds");
            if (options.WorkingDirectory is { } cwd && !Directory.Exists(cwd)) throw new ParameterException($"--cwd '{cwd}' is not a directory");
            notebook = NotebookFile.Read(notebookPath);
            applied = InjectParameters(notebook, options, log);
        }
        catch (Exception ex) when (ex is NotebookFormatException or ParameterException)
        {
            log.Line("pcaplab run: " + ex.Message);
            return new RunResult { ExitCode = RunExitCodes.BadInput, Message = ex.Message };
        }

        CellConsole.Install();
        var session = options.CreateSession?.Invoke(options)
            ?? new NotebookSession(options.DatabasePath is { } db ? () => new Lab(Path.GetFullPath(db)) : null);
        // A report must be reproducible from files: live capture only when asked for.
        session.AllowLiveCapture = options.AllowCapture;
        var warmUp = session.WarmUpAsync();
        var previousCwd = Directory.GetCurrentDirectory();
        var cwdFull = options.WorkingDirectory is { } wd ? Path.GetFullPath(wd) : previousCwd;
        var provenance = new RunProvenance
        {
            Notebook = notebookPath,
            Parameters = applied,
            Database = Full(options.DatabasePath),
            WorkingDirectory = cwdFull,
            Start = DateTimeOffset.UtcNow,
        };

        int codeCells = notebook.Cells.Count(c => c.Kind == NotebookCellKind.Code), number = 0;
        var runs = notebook.Cells.Select(c => new CellRun(c, c.Kind == NotebookCellKind.Code ? ++number : 0)).ToList();
        foreach (var r in runs) if (r.Number == 0) r.Status = CellStatus.Ok;

        int exit = RunExitCodes.Ok;
        string? message = null;
        using var notebookTimeout = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, notebookTimeout.Token);
        if (options.Timeout is { } limit) notebookTimeout.CancelAfter(limit);
        var clock = Stopwatch.StartNew();
        if (options.WorkingDirectory != null) Directory.SetCurrentDirectory(cwdFull);
        try
        {
            // Loading Roslyn is the run's cost, not the first cell's: --cell-timeout measures the cells alone.
            try { await warmUp.WaitAsync(stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            int executionCount = 0;
            foreach (var run in runs.Where(r => r.Number > 0))
            {
                if (exit != RunExitCodes.Ok) break;
                var header = $"[cell {run.Number}/{codeCells}]";
                if (run.Cell.HasTag("skip-execution"))
                {
                    run.Status = CellStatus.Skipped;
                    log.Line($"{header} {run.Cell.FirstLine} ... skipped (skip-execution)");
                    continue;
                }
                if (stop.IsCancellationRequested)
                {
                    (exit, message) = Stopped(cancellation, options, notebookTimeout.IsCancellationRequested, run, log);
                    break;
                }
                log.Start($"{header} {run.Cell.FirstLine} ...");
                var stopped = await RunCellAsync(session, run, ++executionCount, cancellation, notebookTimeout.Token, options, log).ConfigureAwait(false);
                var seconds = run.Duration!.Value.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
                switch (run.Status)
                {
                    case CellStatus.Ok:
                        log.End(header, $"ok ({seconds} s)");
                        break;
                    case CellStatus.Failed when run.Cell.HasTag("raises-exception"):
                        run.FailureAllowed = true;
                        log.End(header, $"raised {run.Failure!.Name} as expected (raises-exception) ({seconds} s)");
                        break;
                    case CellStatus.Failed:
                        log.End(header, $"FAILED ({seconds} s)");
                        log.Line($"pcaplab run: cell {run.Number}/{codeCells} failed: {run.Cell.FirstLine}");
                        log.Error(run.Failure!);
                        if (options.AllowErrors) { run.FailureAllowed = true; log.Line("pcaplab run: continuing (--allow-errors)"); }
                        else { exit = RunExitCodes.CellFailed; message = $"cell {run.Number} failed: {run.Failure!.Name}: {run.Failure!.Value}"; }
                        break;
                    case CellStatus.TimedOut:
                        log.End(header, $"TIMED OUT ({seconds} s)");
                        (exit, message) = (stopped == StopReason.Interrupted ? RunExitCodes.Interrupted : RunExitCodes.TimedOut,
                            $"cell {run.Number} ({run.Cell.FirstLine}): {run.Failure!.Value}");
                        log.Line($"pcaplab run: {message}");
                        break;
                }
            }
        }
        finally
        {
            if (options.WorkingDirectory != null) Directory.SetCurrentDirectory(previousCwd);
        }

        provenance.End = DateTimeOffset.UtcNow;
        provenance.ExitCode = exit;
        provenance.Captures = Captures(options, session, log);
        var ipynb = NotebookOutput.ToIpynb(notebook, runs, provenance);
        var written = new List<string>();
        try
        {
            if (output != null) { NotebookOutput.WriteIpynb(ipynb, output); written.Add(output); }
            if (html != null) { HtmlReport.WriteFile(NotebookOutput.ToReport(notebook, runs, provenance), html); written.Add(html); }
            if (junit != null) { NotebookOutput.WriteJUnit(notebook, runs, provenance, junit); written.Add(junit); }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Line($"pcaplab run: cannot write output: {ex.Message}");
            if (exit == RunExitCodes.Ok) { exit = RunExitCodes.BadInput; message = ex.Message; }
        }
        log.Line(Summary(runs, clock.Elapsed, written));
        return new RunResult { ExitCode = exit, Message = message, Cells = runs, Provenance = provenance, Notebook = ipynb };
    }

    // Replaces any earlier injected-parameters cell and inserts a new one after the parameters cell (papermill's rule).
    private static IReadOnlyList<KeyValuePair<string, string?>> InjectParameters(RunNotebook notebook, RunOptions options, ProgressLog log)
    {
        var values = new List<KeyValuePair<string, string?>>();
        if (options.ParametersFile != null) values.AddRange(NotebookParameters.ReadYaml(options.ParametersFile));
        values.AddRange(options.Parameters);
        if (values.Count == 0) return [];
        var cell = notebook.ParametersCell;
        var declared = cell is null ? [] : NotebookParameters.Declared(cell.Source);
        var source = NotebookParameters.InjectedSource(declared, values, out var unknown, out var applied);
        foreach (var name in unknown)
            log.Line(cell is null
                ? $"pcaplab run: warning: parameter '{name}' ignored: the notebook has no cell tagged 'parameters'"
                : $"pcaplab run: warning: parameter '{name}' ignored: the parameters cell does not declare it (declared: {string.Join(", ", declared.Select(d => d.Name))})");
        if (source is null || cell is null) return applied;
        notebook.Cells.RemoveAll(c => c.HasTag(NotebookParameters.InjectedTag));
        var injected = new NotebookCell
        {
            Id = "",
            Kind = NotebookCellKind.Code,
            Source = source,
            Tags = [NotebookParameters.InjectedTag],
        };
        notebook.Cells.Insert(notebook.Cells.IndexOf(cell) + 1, injected);
        notebook.EnsureCellIds();
        return applied;
    }

    // Runs one cell off the runner's flow so a cell that ignores its token cannot hang the run: on a timeout it gets
    // a grace period, then it is abandoned (its later outputs are dropped) and the run stops.
    private enum StopReason { None, CellTimeout, NotebookTimeout, Interrupted }

    private static async Task<StopReason> RunCellAsync(NotebookSession session, CellRun run, int executionCount,
        CancellationToken interrupt, CancellationToken notebookTimeout, RunOptions options, ProgressLog log)
    {
        var outputs = new CollectedOutputs(log.Stream);
        using var cellTimeout = new CancellationTokenSource();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(interrupt, notebookTimeout, cellTimeout.Token);
        if (options.CellTimeout is { } limit) cellTimeout.CancelAfter(limit);
        var cell = new CellContext(session, outputs, executionCount, cts.Token);
        run.ExecutionCount = executionCount;
        run.Start = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var code = run.Cell.ExecutableSource;
        var task = Task.Run(() => session.RunCellAsync(code, cell));
        bool cancelled = false, abandoned = false;
        CellFailure? failure = null;
        try { await task.WaitAsync(cts.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (cts.IsCancellationRequested) { cancelled = true; }
        catch (Exception) { /* observed below */ }
        if (cancelled && !task.IsCompleted && await Task.WhenAny(task, Task.Delay(options.CancelGrace)).ConfigureAwait(false) != task)
        {
            cell.Abandon();
            abandoned = true;
        }
        if (!abandoned)
        {
            try { await task.ConfigureAwait(false); }
            catch (CellFailure f) { failure = f; }
            catch (OperationCanceledException) when (cancelled) { }
            catch (Exception ex) { failure = new CellFailure(ex.GetType().Name, ex.Message, [$"{ex.GetType().FullName}: {ex.Message}"]); }
        }
        clock.Stop();

        var reason = !cancelled ? StopReason.None
            : notebookTimeout.IsCancellationRequested ? StopReason.NotebookTimeout
            : interrupt.IsCancellationRequested ? StopReason.Interrupted
            : StopReason.CellTimeout;
        if (cancelled)
        {
            var why = reason switch
            {
                StopReason.CellTimeout => $"the cell did not finish within {Seconds(options.CellTimeout!.Value)} (--cell-timeout) and was cancelled",
                StopReason.NotebookTimeout => $"the notebook did not finish within {Seconds(options.Timeout!.Value)} (--timeout); this cell was cancelled",
                _ => "the run was interrupted; this cell was cancelled",
            };
            if (abandoned) why += $"; it ignored cancellation for {Seconds(options.CancelGrace)} and was abandoned";
            var name = reason == StopReason.Interrupted ? "KeyboardInterrupt" : "CellTimeoutError";
            failure = new CellFailure(name, why, [$"{name}: {why}"]);
            run.Status = CellStatus.TimedOut;
        }
        else if (failure != null) run.Status = CellStatus.Failed;
        else
        {
            run.Status = CellStatus.Ok;
            if (cell.HasResult)
            {
                MimeBundle bundle;
                try { bundle = Formatter.ToMimeBundle(cell.Result, cell.Session.Plotly); }
                catch (Exception ex) { bundle = MimeBundle.PlainText($"<{ex.GetType().Name} while formatting: {ex.Message}>"); }
                cell.Flush();
                outputs.ExecuteResult(bundle, executionCount);
            }
        }
        if (!abandoned) cell.Dispose();
        if (failure != null) outputs.Error(failure.Name, failure.Value, failure.Traceback);
        run.Failure = failure;
        run.End = DateTimeOffset.UtcNow;
        run.Duration = clock.Elapsed;
        run.Outputs = outputs.Snapshot();
        log.EndStreams();
        return reason;
    }

    private static (int, string) Stopped(CancellationToken external, RunOptions options, bool notebookTimedOut, CellRun next, ProgressLog log)
    {
        var message = notebookTimedOut
            ? $"the notebook did not finish within {Seconds(options.Timeout!.Value)} (--timeout); stopped before cell {next.Number}"
            : $"interrupted before cell {next.Number}";
        log.Line("pcaplab run: " + message);
        return (notebookTimedOut || !external.IsCancellationRequested ? RunExitCodes.TimedOut : RunExitCodes.Interrupted, message);
    }

    private static IReadOnlyList<CaptureHash> Captures(RunOptions options, NotebookSession session, ProgressLog log)
    {
        if (options.CaptureHashes is null) return EngineCaptureHashes(session);
        try { return options.CaptureHashes(session); }
        catch (Exception ex)
        {
            log.Line($"pcaplab run: warning: could not list the captures read: {ex.Message}");
            return [];
        }
    }

    private static string Summary(List<CellRun> runs, TimeSpan elapsed, List<string> written)
    {
        var code = runs.Where(r => r.Number > 0).ToList();
        var parts = new List<string> { $"{code.Count(r => r.Status == CellStatus.Ok)} ok" };
        void Add(int n, string what) { if (n > 0) parts.Add($"{n} {what}"); }
        Add(code.Count(r => r.Status == CellStatus.Failed && !r.FailureAllowed), "failed");
        Add(code.Count(r => r.Status == CellStatus.Failed && r.FailureAllowed), "failed (allowed)");
        Add(code.Count(r => r.Status == CellStatus.TimedOut), "timed out");
        Add(code.Count(r => r.Status == CellStatus.Skipped), "skipped");
        Add(code.Count(r => r.Status == CellStatus.NotRun), "not run");
        var text = $"pcaplab run: {string.Join(", ", parts)} in {Seconds(elapsed)}";
        return written.Count == 0 ? text : text + "; wrote " + string.Join(", ", written);
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture) + " s";

    /// <summary>Progress lines with a cell's streams interleaved live as <c>  | </c> lines (stderr as <c>  ! </c>).</summary>
    private sealed class ProgressLog(TextWriter w)
    {
        private readonly object _gate = new();
        private bool _headerOpen, _midLine;

        public void Line(string text) { lock (_gate) { CloseOpen(); w.WriteLine(text); w.Flush(); } }

        // The cell's header stays open so a quiet cell's result lands on the same line.
        public void Start(string text) { lock (_gate) { CloseOpen(); w.Write(text); w.Flush(); _headerOpen = true; } }

        public void End(string header, string outcome)
        {
            lock (_gate)
            {
                if (_headerOpen) { w.WriteLine(" " + outcome); _headerOpen = false; }
                else { EndStreamsLocked(); w.WriteLine($"{header} ... {outcome}"); }
                w.Flush();
            }
        }

        public void Stream(string name, string text)
        {
            lock (_gate)
            {
                if (_headerOpen) { w.WriteLine(); _headerOpen = false; }
                var prefix = name == "stderr" ? "  ! " : "  | ";
                foreach (var ch in text)
                {
                    if (!_midLine) { w.Write(prefix); _midLine = true; }
                    if (ch == '\n') { w.WriteLine(); _midLine = false; }
                    else if (ch != '\r') w.Write(ch);
                }
                w.Flush();
            }
        }

        public void EndStreams() { lock (_gate) EndStreamsLocked(); }

        public void Error(CellFailure f)
        {
            lock (_gate)
            {
                CloseOpen();
                w.WriteLine($"  {f.Name}: {f.Value}");
                foreach (var line in f.Traceback.SelectMany(t => t.Split('\n'))) w.WriteLine("    " + Ansi.Strip(line));
                w.Flush();
            }
        }

        private void EndStreamsLocked() { if (_midLine) { w.WriteLine(); _midLine = false; } }

        private void CloseOpen()
        {
            EndStreamsLocked();
            if (_headerOpen) { w.WriteLine(); _headerOpen = false; }
        }
    }

    /// <summary>The captures the run's engine read, from its <c>captures</c> table (none when no cell opened the engine).</summary>
    private static IReadOnlyList<CaptureHash> EngineCaptureHashes(NotebookSession session)
    {
        if (!session.LabOpened) return [];
        return session.Lab.Query("SELECT path, coalesce(sha256, '') FROM captures ORDER BY capture_id").Rows
            .Select(r => new CaptureHash((string)r[0]!, (string)r[1]!)).ToList();
    }
}

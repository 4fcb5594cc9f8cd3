using System.Text;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Cells;

/// <summary>One running cell: its cancellation token, its session, and the only way its code and magics emit outputs
/// (streams, display_data, update_display_data, clear_output). Thread-safe; outputs keep the order they were made in.</summary>
public sealed class CellContext : IDisposable
{
    private static readonly AsyncLocal<CellContext?> CurrentCell = new();

    /// <summary>Default per-cell output limit: about 100 MB of text.</summary>
    public const long DefaultOutputLimit = 100L * 1024 * 1024;

    private readonly ICellOutput _output;
    private readonly object _gate = new();
    private readonly StringBuilder _pending = new();
    private readonly Timer _flushTimer;
    private string _pendingName = "stdout";
    private bool _timerArmed, _closed, _truncated;
    private long _written;
    private int _displays;

    /// <summary>Creates the context for one cell; the kernel and the runner do this, magics receive it.</summary>
    public CellContext(NotebookSession session, ICellOutput output, int executionCount, CancellationToken cancellation,
        long outputLimit = DefaultOutputLimit)
    {
        Session = session;
        _output = output;
        ExecutionCount = executionCount;
        Cancellation = cancellation;
        OutputLimit = outputLimit;
        _flushTimer = new Timer(_ => Flush(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The cell running on this async flow (C# code, its tasks and threads), or null outside any cell.</summary>
    public static CellContext? Current => CurrentCell.Value;

    /// <summary>The session this cell runs in: variables, magics, the C# state.</summary>
    public NotebookSession Session { get; }

    /// <summary>Cancelled when the user interrupts the cell; pass it to everything the cell runs.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>The cell's execution count (In [n]).</summary>
    public int ExecutionCount { get; }

    /// <summary>Characters of output kept before the rest is dropped with a notice.</summary>
    public long OutputLimit { get; }

    /// <summary>True when the cell produced a value for execute_result.</summary>
    public bool HasResult { get; private set; }

    /// <summary>The cell's value (a trailing C# expression), shown as execute_result.</summary>
    public object? Result { get; private set; }

    /// <summary>True when the kernel gave up waiting for this cell after an interrupt; its later effects are discarded.</summary>
    public bool Abandoned => Volatile.Read(ref _abandoned);

    private bool _abandoned;

    /// <summary>Marks the cell abandoned (it ignored its cancellation) and stops its outputs.</summary>
    internal void Abandon() { Volatile.Write(ref _abandoned, true); Dispose(); }

    /// <summary>Sets the value shown as the cell's execute_result.</summary>
    public void SetResult(object? value) { Result = value; HasResult = true; }

    /// <summary>Throws <see cref="OperationCanceledException"/> when the current cell was interrupted; C# cells' loops
    /// call it on every iteration (the kernel inserts the call).</summary>
    public static void ThrowIfInterrupted() => CurrentCell.Value?.Cancellation.ThrowIfCancellationRequested();

    /// <summary>Makes this the current cell for the calling async flow (Console output and display() then reach it).</summary>
    internal void MakeCurrent() => CurrentCell.Value = this;

    /// <summary>Writes text to stdout; buffered briefly so many small writes become few messages.</summary>
    public void Write(string text) => Stream("stdout", text);

    /// <summary>Writes text to stderr.</summary>
    public void WriteError(string text) => Stream("stderr", text);

    /// <summary>Writes text to a stream ("stdout" or "stderr").</summary>
    public void Stream(string name, string text)
    {
        if (string.IsNullOrEmpty(text)) return;
        lock (_gate)
        {
            if (_closed || !Admit(text.Length)) return;
            if (_pendingName != name) FlushLocked();
            _pendingName = name;
            _pending.Append(text);
            if (_pending.Length >= 64 * 1024) FlushLocked();
            else if (!_timerArmed) { _timerArmed = true; _flushTimer.Change(50, Timeout.Infinite); }
        }
    }

    /// <summary>Asks the user for a line (Console.ReadLine in a cell comes here). Outputs so far are sent first so a
    /// printed question shows before the prompt. Throws when the front end takes no input.</summary>
    public string ReadInput(string prompt = "", bool password = false)
    {
        Flush();
        return _output is ICellInput input ? input.RequestInput(prompt, password, Cancellation)
            : throw new InvalidOperationException("this front end does not accept input");
    }

    /// <summary>Shows a value (formatted by <see cref="Formatter"/>) and returns a handle to update it.</summary>
    public DisplayHandle Display(object? value) => Display(Formatter.ToMimeBundle(value, Session.Plotly));

    /// <summary>Shows a bundle and returns a handle to update it.</summary>
    public DisplayHandle Display(MimeBundle bundle)
    {
        var handle = new DisplayHandle(this, $"{ExecutionCount}-{Interlocked.Increment(ref _displays)}-{Guid.NewGuid():N}");
        lock (_gate)
        {
            if (_closed || !Admit(bundle.Size)) return handle;
            FlushLocked();
            _output.DisplayData(bundle, handle.DisplayId);
        }
        return handle;
    }

    internal void UpdateDisplay(MimeBundle bundle, string displayId)
    {
        lock (_gate)
        {
            if (_closed || !Admit(bundle.Size)) return;
            FlushLocked();
            _output.UpdateDisplayData(bundle, displayId);
        }
    }

    /// <summary>Clears the cell's outputs so far (<paramref name="wait"/>: when the next output arrives).</summary>
    public void ClearOutput(bool wait = false)
    {
        lock (_gate)
        {
            if (_closed) return;
            FlushLocked();
            _output.ClearOutput(wait);
        }
    }

    /// <summary>Sends buffered stream text now.</summary>
    public void Flush() { lock (_gate) FlushLocked(); }

    private void FlushLocked()
    {
        _timerArmed = false;
        if (_pending.Length == 0) return;
        var text = _pending.ToString();
        _pending.Clear();
        _output.Stream(_pendingName, text);
    }

    // Counts output against the limit; the first overflow sends the notice, later output is dropped.
    private bool Admit(long size)
    {
        _written += size;
        if (_written <= OutputLimit) return true;
        if (!_truncated)
        {
            _truncated = true;
            FlushLocked();
            _output.Stream("stderr", $"\n[output truncated: this cell produced more than {OutputLimit / (1024 * 1024.0):0.#} MB; the rest is not shown]\n");
        }
        return false;
    }

    /// <summary>Flushes and stops accepting outputs (a cell that keeps running after an interrupt writes nowhere).</summary>
    public void Dispose()
    {
        lock (_gate) { FlushLocked(); _closed = true; }
        _flushTimer.Dispose();
    }
}

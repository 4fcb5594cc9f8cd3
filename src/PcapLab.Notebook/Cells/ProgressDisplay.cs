namespace PcapLab.Notebook.Cells;

/// <summary>A live output for long work (ingest, capture, training): shown once, then updated in place
/// (update_display_data) at most a few times a second however often progress is reported.</summary>
public sealed class ProgressDisplay
{
    /// <summary>Default minimum time between updates: 4 a second.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    private readonly DisplayHandle _handle;
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private readonly object _gate = new();
    private long _last;

    /// <summary>Shows <paramref name="initial"/> in <paramref name="cell"/>.</summary>
    public ProgressDisplay(CellContext cell, object? initial, TimeSpan? interval = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _intervalTicks = (long)((interval ?? DefaultInterval).TotalSeconds * _time.TimestampFrequency);
        _handle = cell.Display(initial);
        _last = _time.GetTimestamp();
    }

    /// <summary>Updates the output when the interval has passed since the last update; <paramref name="render"/> is only
    /// called then, so reporting per packet costs nothing between updates. Returns true when it updated.</summary>
    public bool Report(Func<object?> render)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (now - _last < _intervalTicks) return false;
            _last = now;
        }
        _handle.Update(render());
        return true;
    }

    /// <summary>Shows the final value now, whatever the interval (the summary at the end of the work).</summary>
    public void Complete(object? final)
    {
        lock (_gate) _last = _time.GetTimestamp();
        _handle.Update(final);
    }
}

using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Cells;

/// <summary>What every C# cell sees as globals: the cell's cancellation token, display(), and the session.
/// Members read the cell running on the current async flow, so tasks a cell starts reach the same cell.</summary>
public class CellGlobals
{
    internal CellGlobals(NotebookSession session) => Session = session;

    /// <summary>The notebook session: variables, magics.</summary>
    public NotebookSession Session { get; }

    /// <summary>The engine: load captures, query the tables into rows, carve flows. The same power as the magics.</summary>
    /// <example><code>Lab.Load("evidence/*.pcap"); var top = Lab.Query("select * from flows order by orig_bytes desc limit 10");</code></example>
    public Lab Lab => Session.Lab;

    /// <summary>The running cell (outputs, token), or null outside a cell.</summary>
    public CellContext? Cell => CellContext.Current;

    /// <summary>Cancelled when the user interrupts this cell. Pass it to long operations: <c>await Task.Delay(1000, Cancellation)</c>.</summary>
    public CancellationToken Cancellation => CellContext.Current?.Cancellation ?? CancellationToken.None;

    /// <summary>Shows a value now (tables for collections) and returns a handle whose <c>Update(value)</c> replaces it.</summary>
#pragma warning disable IDE1006 // lowercase like Jupyter's display() that notebook users already know
    public DisplayHandle display(object? value) => Current().Display(value);
#pragma warning restore IDE1006

    /// <summary>Clears this cell's outputs (<paramref name="wait"/>: when the next output arrives).</summary>
    public void ClearOutput(bool wait = false) => Current().ClearOutput(wait);

    /// <summary>HTML to show as text/html (display it, or make it the cell's last expression).</summary>
    public MimeBundle Html(string html) => MimeBundle.Html(html, html);

    /// <summary>Markdown to show as text/markdown.</summary>
    public MimeBundle Markdown(string markdown) => MimeBundle.Markdown(markdown);

    private static CellContext Current() =>
        CellContext.Current ?? throw new InvalidOperationException("no cell is running on this thread");
}

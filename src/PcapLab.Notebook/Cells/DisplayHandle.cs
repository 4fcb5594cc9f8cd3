using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Cells;

/// <summary>An output shown with display(); <see cref="Update(object?)"/> replaces it in place (update_display_data).</summary>
public sealed class DisplayHandle
{
    private readonly CellContext _cell;

    internal DisplayHandle(CellContext cell, string displayId) { _cell = cell; DisplayId = displayId; }

    /// <summary>The display_id linking the output and its updates.</summary>
    public string DisplayId { get; }

    /// <summary>Replaces the shown output with <paramref name="value"/>, formatted like display() formats it. Works from
    /// later cells too: the update goes out through the cell running now, and the client finds the output by its id.</summary>
    public void Update(object? value) => Update(Formatter.ToMimeBundle(value));

    /// <summary>Replaces the shown output with a bundle.</summary>
    public void Update(MimeBundle bundle) => (CellContext.Current is { Abandoned: false } now ? now : _cell).UpdateDisplay(bundle, DisplayId);

    /// <inheritdoc/>
    public override string ToString() => "display " + DisplayId;
}

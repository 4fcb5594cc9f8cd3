using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Cells;

/// <summary>An output shown with display(); <see cref="Update"/> replaces it in place (update_display_data).</summary>
public sealed class DisplayHandle
{
    private readonly CellContext _cell;

    internal DisplayHandle(CellContext cell, string displayId) { _cell = cell; DisplayId = displayId; }

    /// <summary>The display_id linking the output and its updates.</summary>
    public string DisplayId { get; }

    /// <summary>Replaces the shown output with <paramref name="value"/>, formatted like display() formats it.</summary>
    public void Update(object? value) => _cell.UpdateDisplay(Formatter.ToMimeBundle(value), DisplayId);

    /// <inheritdoc/>
    public override string ToString() => "display " + DisplayId;
}

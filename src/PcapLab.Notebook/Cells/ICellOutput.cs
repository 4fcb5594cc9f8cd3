using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Cells;

/// <summary>Where a cell's outputs go: the kernel publishes them on IOPub; the headless runner writes them into the notebook.
/// Calls come from any thread, already in order (a <see cref="CellContext"/> serializes them).</summary>
public interface ICellOutput
{
    /// <summary>Text on stdout or stderr (<paramref name="name"/> is "stdout" or "stderr").</summary>
    void Stream(string name, string text);

    /// <summary>A display_data; <paramref name="displayId"/> lets a later update replace it.</summary>
    void DisplayData(MimeBundle bundle, string? displayId);

    /// <summary>An update_display_data replacing every output shown with <paramref name="displayId"/>.</summary>
    void UpdateDisplayData(MimeBundle bundle, string displayId);

    /// <summary>Clears the cell's outputs (<paramref name="wait"/>: when the next output arrives).</summary>
    void ClearOutput(bool wait);
}

/// <summary>A front end that can answer input requests (Jupyter's stdin channel); optional for an <see cref="ICellOutput"/>.</summary>
public interface ICellInput
{
    /// <summary>Asks the user for a line of text; throws <see cref="InvalidOperationException"/> when the client does not
    /// accept input, <see cref="OperationCanceledException"/> when the cell is interrupted while waiting.</summary>
    string RequestInput(string prompt, bool password, CancellationToken cancellationToken);
}

using System.Text.RegularExpressions;

namespace PcapLab.Notebook.Runner.Report;

/// <summary>Terminal escape sequences, which tracebacks and tool output carry but a report must not show.</summary>
public static partial class Ansi
{
    /// <summary>Removes CSI (colours, cursor moves), OSC (titles, hyperlinks) and other ESC sequences.</summary>
    public static string Strip(string text) => text.Contains('\x1b') ? Escape().Replace(text, "") : text;

    [GeneratedRegex(@"\x1B(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(?:\x07|\x1B\\)|[@-Z\\-_])")]
    private static partial Regex Escape();
}

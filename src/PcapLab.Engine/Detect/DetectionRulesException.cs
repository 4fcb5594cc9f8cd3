namespace PcapLab.Detect;

/// <summary>A rules file that cannot be used: unknown key, wrong type, value out of range, bad YAML. The message names the file, line and column.</summary>
public sealed class DetectionRulesException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DetectionRulesException(string message, string source, long line, long column, Exception? inner = null)
        : base($"{source}:{line}:{column}: {message}", inner)
    {
        Source = source;
        Line = line;
        Column = column;
    }

    /// <summary>The rules file path (or the name given to <see cref="DetectionRules.Parse"/>).</summary>
    public new string Source { get; }

    /// <summary>1-based line of the offending node.</summary>
    public long Line { get; }

    /// <summary>1-based column of the offending node.</summary>
    public long Column { get; }
}

using System.Globalization;

namespace PcapLab.Notebook.Magics;

/// <summary>One argument value of a magic line: its text, and for <c>@name</c> the session variable's value.</summary>
/// <param name="Text">The text as written (quotes removed), or the variable's value as invariant text.</param>
/// <param name="Value">The variable's value for <c>@name</c>; otherwise the same as <paramref name="Text"/>.</param>
/// <param name="Variable">The variable name when the value came from <c>@name</c>, else null.</param>
public readonly record struct MagicValue(string Text, object? Value, string? Variable = null)
{
    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>A parsed magic line: the options, flags and positional values bound against the magic's definition,
/// and the rest of the cell.</summary>
public sealed class MagicInvocation
{
    internal MagicInvocation(string name, string argumentText, string body, int bodyLine)
    {
        Name = name; ArgumentText = argumentText; Body = body; BodyLine = bodyLine;
    }

    /// <summary>The magic's name (after <c>#!</c>).</summary>
    public string Name { get; }

    /// <summary>The line after the name, unparsed.</summary>
    public string ArgumentText { get; }

    /// <summary>The rest of the cell after the magic line (may be empty).</summary>
    public string Body { get; }

    /// <summary>The 0-based line of the cell where <see cref="Body"/> starts (for error positions in cell lines).</summary>
    public int BodyLine { get; }

    /// <summary>True when -h or --help was given; the framework then shows the help and does not run the magic.</summary>
    public bool HelpRequested { get; internal set; }

    /// <summary>Positional values in order.</summary>
    public List<MagicValue> Positionals { get; } = [];

    /// <summary>Options with values, by long name (no dashes).</summary>
    public Dictionary<string, MagicValue> Options { get; } = new(StringComparer.Ordinal);

    /// <summary>Flags given, by long name.</summary>
    public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);

    /// <summary>True when the flag <c>--name</c> was given.</summary>
    public bool Has(string flag) => Flags.Contains(flag);

    /// <summary>The text of option <c>--name</c>, or null when absent.</summary>
    public string? Get(string option) => Options.TryGetValue(option, out var v) ? v.Text : null;

    /// <summary>The value of option <c>--name</c> as an integer, or <paramref name="fallback"/> when absent;
    /// a non-integer value is a usage error naming the option.</summary>
    public long GetInt64(string option, long fallback)
    {
        if (!Options.TryGetValue(option, out var v)) return fallback;
        if (v.Value is long or int or short or byte or uint or ushort) return Convert.ToInt64(v.Value, CultureInfo.InvariantCulture);
        return long.TryParse(v.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
            : throw new MagicUsageException(Name, $"option --{option} needs an integer, got '{v.Text}'");
    }

    /// <summary>The positional value at <paramref name="index"/>, or null.</summary>
    public MagicValue? Positional(int index) => index < Positionals.Count ? Positionals[index] : null;
}

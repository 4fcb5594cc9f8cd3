using PcapLab.Notebook.Cells;

namespace PcapLab.Notebook.Magics;

/// <summary>A magic command: a cell's first line <c>#!name args</c>. Register one with
/// <see cref="MagicRegistry.Register"/> on <see cref="NotebookSession.Magics"/>.</summary>
public interface IMagic
{
    /// <summary>The name after <c>#!</c> (lowercase, no spaces).</summary>
    string Name { get; }

    /// <summary>One sentence saying what the magic does (first line of its help).</summary>
    string Description { get; }

    /// <summary>The options it accepts (<c>--name value</c>, <c>--flag</c>); <c>-h/--help</c> is implicit.</summary>
    IReadOnlyList<MagicOption> Options { get; }

    /// <summary>The positional arguments it accepts, in order.</summary>
    IReadOnlyList<MagicArgument> Arguments { get; }

    /// <summary>True when the magic owns the rest of the cell (a language such as <c>#!sql</c>, or <c>#!time</c>);
    /// false when the rest of the cell runs as an ordinary cell after the magic.</summary>
    bool ConsumesCellBody { get; }

    /// <summary>The help text, generated from the description, options and arguments.</summary>
    string Help => MagicHelp.Format(this);

    /// <summary>Runs the magic; outputs go through <paramref name="cell"/>. Throw <see cref="MagicUsageException"/> for
    /// usage errors; other exceptions become the cell's error.</summary>
    Task ExecuteAsync(MagicInvocation invocation, CellContext cell, CancellationToken cancellationToken);
}

/// <summary>An option of a magic.</summary>
/// <param name="Name">Long name without dashes (<c>limit</c> for <c>--limit</c>).</param>
/// <param name="Description">What it does, for the help.</param>
/// <param name="IsFlag">True for a switch that takes no value.</param>
/// <param name="ShortName">Optional one-letter alias without the dash (<c>n</c> for <c>-n</c>).</param>
/// <param name="ValueName">The value's name in the help (<c>&lt;n&gt;</c>).</param>
/// <param name="Required">True when the magic cannot run without it.</param>
public sealed record MagicOption(string Name, string Description, bool IsFlag = false, string? ShortName = null,
    string ValueName = "value", bool Required = false);

/// <summary>A positional argument of a magic.</summary>
/// <param name="Name">Its name in the help.</param>
/// <param name="Description">What it is, for the help.</param>
/// <param name="Required">True when it must be given.</param>
/// <param name="Variadic">True when it takes every remaining positional value (must be last).</param>
public sealed record MagicArgument(string Name, string Description, bool Required = false, bool Variadic = false);

/// <summary>A usage error in a magic line (unknown option, missing value, bad argument); shown with the magic's usage.</summary>
public sealed class MagicUsageException(string magic, string message) : Exception(message)
{
    /// <summary>The magic whose line was wrong.</summary>
    public string Magic { get; } = magic;
}

/// <summary>Builds a magic's help text from its definition.</summary>
public static class MagicHelp
{
    /// <summary>The one-line usage: <c>#!name [options] &lt;arg&gt;...</c>.</summary>
    public static string Usage(IMagic m)
    {
        var sb = new System.Text.StringBuilder("#!").Append(m.Name);
        foreach (var o in m.Options.Where(o => o.Required)) sb.Append(" --").Append(o.Name).Append(" <").Append(o.ValueName).Append('>');
        if (m.Options.Any(o => !o.Required)) sb.Append(" [options]");
        foreach (var a in m.Arguments)
            sb.Append(' ').Append(a.Required ? "<" : "[<").Append(a.Name).Append(a.Variadic ? ">..." : ">").Append(a.Required ? "" : "]");
        return sb.ToString();
    }

    /// <summary>Usage, description, arguments and options, one per line.</summary>
    public static string Format(IMagic m)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("Usage: ").AppendLine(Usage(m)).AppendLine().Append("  ").AppendLine(m.Description);
        if (m.Arguments.Count > 0)
        {
            sb.AppendLine().AppendLine("Arguments:");
            foreach (var a in m.Arguments) sb.Append("  ").Append($"<{a.Name}>".PadRight(24)).AppendLine(a.Description);
        }
        sb.AppendLine().AppendLine("Options:");
        foreach (var o in m.Options)
        {
            var names = (o.ShortName is null ? "" : "-" + o.ShortName + ", ") + "--" + o.Name + (o.IsFlag ? "" : $" <{o.ValueName}>");
            sb.Append("  ").Append(names.PadRight(24)).AppendLine(o.Description + (o.Required ? " (required)" : ""));
        }
        sb.Append("  ").Append("-h, --help".PadRight(24)).AppendLine("Show this help.");
        return sb.ToString().TrimEnd();
    }
}

/// <summary>A magic that owns its cell body and completes inside it (e.g. #!sql completing table and column names).</summary>
public interface ICompletingMagic : IMagic
{
    /// <summary>Completions at <paramref name="position"/> (UTF-16 offset into <paramref name="body"/>, the cell text after
    /// the magic line); returns the matches and the replaced span [start, end) in the same offsets.</summary>
    (IReadOnlyList<string> Matches, int Start, int End) CompleteBody(string body, int position, NotebookSession session);
}

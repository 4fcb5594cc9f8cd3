using System.Diagnostics;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Magics;

/// <summary>The magics every session has: #!csharp, #!markdown, #!lsmagic, #!time, #!who.</summary>
internal static class BuiltInMagics
{
    public static IEnumerable<IMagic> All => [new CSharpMagic(), new MarkdownMagic(), new LsMagic(), new TimeMagic(), new WhoMagic()];
}

/// <summary>Base for magics with a fixed definition.</summary>
public abstract class Magic : IMagic
{
    /// <inheritdoc/>
    public abstract string Name { get; }
    /// <inheritdoc/>
    public abstract string Description { get; }
    /// <inheritdoc/>
    public virtual IReadOnlyList<MagicOption> Options => [];
    /// <inheritdoc/>
    public virtual IReadOnlyList<MagicArgument> Arguments => [];
    /// <inheritdoc/>
    public virtual bool ConsumesCellBody => false;
    /// <summary>The help text, generated from the definition.</summary>
    public string Help => MagicHelp.Format(this);
    /// <inheritdoc/>
    public abstract Task ExecuteAsync(MagicInvocation invocation, CellContext cell, CancellationToken cancellationToken);
}

/// <summary>#!csharp: the rest of the cell is C# (the default language, so this line is optional).</summary>
internal sealed class CSharpMagic : Magic
{
    public override string Name => "csharp";
    public override string Description => "Runs the rest of the cell as C# (the default for cells without a magic line).";
    public override bool ConsumesCellBody => true;
    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(inv.Body) ? Task.CompletedTask : cell.Session.RunCSharpAsync(inv.Body, inv.BodyLine, cell);
}

/// <summary>#!markdown: shows the rest of the cell as Markdown.</summary>
internal sealed class MarkdownMagic : Magic
{
    public override string Name => "markdown";
    public override string Description => "Shows the rest of the cell as Markdown (text/markdown).";
    public override bool ConsumesCellBody => true;
    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        cell.Display(MimeBundle.Markdown(inv.Body.TrimEnd()));
        return Task.CompletedTask;
    }
}

/// <summary>#!lsmagic: lists every magic with its help.</summary>
internal sealed class LsMagic : Magic
{
    public override string Name => "lsmagic";
    public override string Description => "Lists every magic command with its help.";
    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        var all = cell.Session.Magics.All;
        var text = string.Join("\n\n", all.Select(m => m.Help));
        var html = "<dl>" + string.Concat(all.Select(m => $"<dt><code>#!{m.Name}</code></dt><dd><pre>{System.Net.WebUtility.HtmlEncode(m.Help)}</pre></dd>")) + "</dl>";
        cell.Display(MimeBundle.Html(html, text));
        return Task.CompletedTask;
    }
}

/// <summary>#!time: runs the rest of the cell and reports its wall-clock time.</summary>
internal sealed class TimeMagic : Magic
{
    public override string Name => "time";
    public override string Description => "Runs the rest of the cell (C# or another magic) and prints how long it took.";
    public override bool ConsumesCellBody => true;
    public override async Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        try { await cell.Session.RunCellAsync(inv.Body, inv.BodyLine, cell).ConfigureAwait(false); }
        finally { cell.Write($"Wall time: {sw.Elapsed.TotalMilliseconds:0.###} ms\n"); }
    }
}

/// <summary>#!who: lists the session's variables with their types.</summary>
internal sealed class WhoMagic : Magic
{
    public override string Name => "who";
    public override string Description => "Lists the session's variables (C# variables and values stored by magics) with their types.";
    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        var rows = cell.Session.Variables
            .Select(v => (IReadOnlyList<object?>)[v.Name, TypeName(v.Type), Preview(v.Value)]).ToList();
        cell.Display(rows.Count == 0 ? MimeBundle.PlainText("no variables") : TableFormatter.Format(["name", "type", "value"], rows));
        return Task.CompletedTask;
    }

    private static string Preview(object? v) =>
        v is null or string || Formatter.IsScalar(v.GetType()) ? TableFormatter.Cell(v) : TypeName(v.GetType());

    internal static string TypeName(Type t) =>
        !t.IsGenericType ? t.Name : t.Name[..t.Name.IndexOf('`')] + "<" + string.Join(", ", t.GetGenericArguments().Select(TypeName)) + ">";
}

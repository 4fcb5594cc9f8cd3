using System.Collections.Concurrent;
using Microsoft.CodeAnalysis.CSharp;
using PcapLab.Notebook.Magics;
using PcapLab.Notebook.Magics.Engine;

namespace PcapLab.Notebook.Cells;

/// <summary>A variable of the session as #!who lists it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Type">Its declared or runtime type.</param>
/// <param name="Value">Its value.</param>
public sealed record SessionVariable(string Name, Type Type, object? Value);

/// <summary>One notebook session: the C# submission chain, values stored by magics, and the magic registry.
/// Cells run one at a time; the kernel and the headless runner both drive it through <see cref="RunCellAsync(string, CellContext)"/>.</summary>
public sealed class NotebookSession
{
    private readonly CSharpCells _csharp;
    private readonly ConcurrentDictionary<string, object?> _stored = new(StringComparer.Ordinal);
    private Task? _warmUp;

    /// <summary>Creates a session with the built-in magics (#!csharp, #!markdown, #!lsmagic, #!time, #!who).</summary>
    public NotebookSession() : this(null) { }

    /// <summary>Creates a session whose engine comes from <paramref name="labFactory"/> (an in-memory database when null),
    /// with the built-in magics and the engine's magics (#!pcap, #!sql, #!connect, ...).</summary>
    public NotebookSession(Func<Lab>? labFactory)
    {
        _lab = new Lazy<Lab>(labFactory ?? (() => new Lab()), LazyThreadSafetyMode.ExecutionAndPublication);
        _csharp = new CSharpCells(new CellGlobals(this));
        foreach (var m in BuiltInMagics.All) Magics.Register(m);
        foreach (var m in EngineMagics.All) Magics.Register(m);
    }

    private readonly Lazy<Lab> _lab;

    /// <summary>The engine session behind this notebook: its DuckDB database and tables. Opened on first use.</summary>
    public Lab Lab => _lab.Value;

    /// <summary>True once the engine has been opened (it is opened lazily so the kernel starts fast).</summary>
    public bool LabOpened => _lab.IsValueCreated;

    /// <summary>Whether <c>#!capture</c> may capture live (the headless runner turns it off unless --allow-capture).</summary>
    public bool AllowLiveCapture { get; set; } = true;

    /// <summary>Tracks whether plotly.js was already sent in this notebook, so charts inline it only once.</summary>
    public PcapLab.Charts.PlotlyScript Plotly { get; } = new();

    /// <summary>The magics of this session; register engine magics here.</summary>
    public MagicRegistry Magics { get; } = new();

    /// <summary>Starts loading and jitting Roslyn in the background (call at start-up; cells wait for nothing).</summary>
    public Task WarmUpAsync() => _warmUp ??= Task.Run(async () =>
    {
        try { await _csharp.WarmUpAsync().ConfigureAwait(false); }
        catch (Exception ex) { CellConsole.Log.WriteLine("pcaplab: C# warm-up failed: " + ex.Message); }
    });

    /// <summary>Runs a whole cell: a first line <c>#!name</c> selects a magic, anything else is C#.
    /// Failures are thrown as <see cref="CellFailure"/> with a readable traceback.</summary>
    public Task RunCellAsync(string code, CellContext cell) => RunCellAsync(code, 0, cell);

    /// <summary>Runs cell text that starts at 0-based line <paramref name="firstLine"/> of the cell (the rest of a cell
    /// after a magic line, for magics such as #!time that run their body).</summary>
    public async Task RunCellAsync(string code, int firstLine, CellContext cell)
    {
        try { await RunCellCoreAsync(code, firstLine, cell).ConfigureAwait(false); }
        catch (OperationCanceledException) when (cell.Cancellation.IsCancellationRequested) { throw CellFailure.Interrupted(); }
    }

    private async Task RunCellCoreAsync(string code, int firstLine, CellContext cell)
    {
        cell.MakeCurrent();
        if (!MagicParser.TrySplitCell(code, out var name, out var args, out var body))
        {
            if (!string.IsNullOrWhiteSpace(code)) await RunCSharpAsync(code, firstLine, cell).ConfigureAwait(false);
            return;
        }
        if (!Magics.TryGet(name, out var magic))
            throw new CellFailure("MagicUsageError", $"unknown magic #!{name}",
                [$"MagicUsageError: unknown magic #!{name} (line {firstLine + 1}); #!lsmagic lists the magics"]);
        MagicInvocation inv;
        try { inv = MagicParser.Parse(magic, args, body, firstLine + 1, Resolve); }
        catch (MagicUsageException ex) { throw UsageFailure(magic, ex, firstLine); }
        if (inv.HelpRequested) { cell.Write(magic.Help + "\n"); return; }
        try { await magic.ExecuteAsync(inv, cell, cell.Cancellation).ConfigureAwait(false); }
        catch (MagicUsageException ex) { throw UsageFailure(magic, ex, firstLine); }
        if (!magic.ConsumesCellBody && !string.IsNullOrWhiteSpace(body))
            await RunCellAsync(body, firstLine + 1, cell).ConfigureAwait(false);
    }

    private static CellFailure UsageFailure(IMagic magic, MagicUsageException ex, int line) =>
        new("MagicUsageError", ex.Message,
            [$"MagicUsageError: #!{magic.Name} (line {line + 1}): {ex.Message}", "Usage: " + MagicHelp.Usage(magic), $"See #!{magic.Name} -h"]);

    /// <summary>Runs C# code as a submission of this session's chain; <paramref name="firstLine"/> keeps cell line numbers.</summary>
    public Task RunCSharpAsync(string code, int firstLine, CellContext cell)
    {
        cell.MakeCurrent();
        return _csharp.RunAsync(code, firstLine, cell, () => cell.Abandoned);
    }

    /// <summary>Evaluates a C# expression without changing the session (for user_expressions).</summary>
    public Task<object?> EvaluateAsync(string expression, CancellationToken ct) => _csharp.EvaluateAsync(expression, ct);

    /// <summary>Looks a variable up: C# variables first, then values stored by magics.</summary>
    public bool TryGetVariable(string name, out object? value)
    {
        foreach (var v in _csharp.Variables)
            if (v.Name == name) { value = v.Value; return true; }
        return _stored.TryGetValue(name, out value);
    }

    private (bool, object?) Resolve(string name) => TryGetVariable(name, out var v) ? (true, v) : (false, null);

    /// <summary>All variables: C# ones and those stored by magics, by name.</summary>
    public IReadOnlyList<SessionVariable> Variables
    {
        get
        {
            var list = _csharp.Variables.Where(v => !v.Name.StartsWith("__", StringComparison.Ordinal))
                .Select(v => new SessionVariable(v.Name, v.Type, v.Value)).ToList();
            foreach (var (k, v) in _stored)
                if (!list.Any(x => x.Name == k)) list.Add(new SessionVariable(k, v?.GetType() ?? typeof(object), v));
            return [.. list.OrderBy(v => v.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>Stores a value under a name (e.g. <c>#!sql --name x</c>) so magics read it as <c>@x</c>; when the name is a
    /// C# identifier it also becomes a C# variable of the value's type for later cells.</summary>
    public async Task SetVariableAsync(string name, object? value, CancellationToken ct = default)
    {
        _stored[name] = value;
        if (SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None)
            await _csharp.DefineAsync(name, value, value?.GetType() ?? typeof(object), ct).ConfigureAwait(false);
    }

    /// <summary>A value stored by <see cref="SetVariableAsync"/>, or null (generated C# cells read it this way).</summary>
    public object? GetStoredValue(string name) => _stored.TryGetValue(name, out var v) ? v : null;

    /// <summary>Completions for a cell at a UTF-16 offset: magic names and options on a magic line, C# elsewhere.</summary>
    public (List<string> Matches, int Start, int End) Complete(string code, int position)
    {
        position = Math.Clamp(position, 0, code.Length);
        int offset = 0;
        var rest = code;
        while (rest.StartsWith("#!", StringComparison.Ordinal))
        {
            int eol = rest.IndexOf('\n');
            int lineEnd = offset + (eol < 0 ? rest.Length : eol + 1);
            if (position < lineEnd || eol < 0) return CompleteMagicLine(code, offset, position);
            MagicParser.TrySplitCell(rest, out var name, out _, out var body);
            // the rest of a cell in another language (#!sql, #!markdown) is not C#
            if (Magics.TryGet(name, out var m) && m.ConsumesCellBody && m.Name is not ("csharp" or "time"))
            {
                if (m is not ICompletingMagic completing) return ([], position, position);
                var (found, start, end) = completing.CompleteBody(body, position - lineEnd, this);
                return ([.. found], start + lineEnd, end + lineEnd);
            }
            offset = lineEnd;
            rest = body;
        }
        return _csharp.Complete(Blank(code, offset), position);
    }

    // Magic lines become spaces so C# offsets stay the cell's offsets.
    private static string Blank(string code, int length) =>
        string.Create(code.Length, (code, length), (span, st) =>
        {
            st.code.AsSpan().CopyTo(span);
            for (int i = 0; i < st.length; i++) if (span[i] != '\n') span[i] = ' ';
        });

    private (List<string>, int, int) CompleteMagicLine(string code, int lineStart, int position)
    {
        int start = position;
        while (start > lineStart && !char.IsWhiteSpace(code[start - 1])) start--;
        int end = position;
        while (end < code.Length && !char.IsWhiteSpace(code[end])) end++;
        var word = code[start..position];
        if (word.StartsWith('@'))
            return (Variables.Select(v => "@" + v.Name).Where(n => n.StartsWith(word, StringComparison.Ordinal)).ToList(), start, end);
        if (start == lineStart)
            return (Magics.All.Select(m => "#!" + m.Name).Where(n => n.StartsWith(word, StringComparison.Ordinal)).ToList(), start, end);
        var nameEnd = lineStart + 2;
        while (nameEnd < code.Length && !char.IsWhiteSpace(code[nameEnd])) nameEnd++;
        if (!Magics.TryGet(code[(lineStart + 2)..nameEnd], out var magic)) return ([], position, position);
        var options = magic.Options.Select(o => "--" + o.Name).Append("--help");
        return (options.Where(o => o.StartsWith(word, StringComparison.Ordinal)).ToList(), start, end);
    }

    /// <summary>Quick info at a UTF-16 offset: a magic's help on a magic line, else the C# symbol's signature and docs.</summary>
    public string? Inspect(string code, int position)
    {
        position = Math.Clamp(position, 0, code.Length);
        int offset = 0;
        var rest = code;
        while (MagicParser.TrySplitCell(rest, out var name, out _, out var body))
        {
            int lineEnd = offset + rest.Length - body.Length;
            if (position < lineEnd || body.Length == 0) return Magics.TryGet(name, out var m) ? m.Help : null;
            if (Magics.TryGet(name, out var lang) && lang.ConsumesCellBody && lang.Name is not ("csharp" or "time")) return null;
            offset = lineEnd;
            rest = body;
        }
        return _csharp.Inspect(Blank(code, offset), position);
    }

    /// <summary>Jupyter's is_complete: "complete", "incomplete" or "invalid" (magic cells are complete).</summary>
    public string IsComplete(string code)
    {
        if (MagicParser.TrySplitCell(code, out var name, out _, out var body))
            return name is "csharp" or "time" ? IsComplete(body) : "complete";
        if (string.IsNullOrWhiteSpace(code)) return "complete";
        if (!CSharpCells.IsComplete(code, out bool invalid)) return "incomplete";
        return invalid ? "invalid" : "complete";
    }
}

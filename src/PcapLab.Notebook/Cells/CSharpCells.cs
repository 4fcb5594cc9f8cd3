using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace PcapLab.Notebook.Cells;

/// <summary>C# cells on Roslyn scripting: one submission chain per session (variables, usings and types carry over),
/// top-level await, the trailing expression as the cell's value, completion and quick info from the semantic model.</summary>
internal sealed class CSharpCells
{
    private static readonly string[] Imports =
    [
        "System", "System.IO", "System.Linq", "System.Text", "System.Collections.Generic", "System.Threading",
        "System.Threading.Tasks", "System.Net", "PcapLab", "PcapLab.Notebook.Display",
    ];

    private readonly CellGlobals _globals;
    private readonly Lazy<ScriptOptions> _options;
    private ScriptState<object?>? _state;

    public CSharpCells(CellGlobals globals)
    {
        _globals = globals;
        _options = new Lazy<ScriptOptions>(BuildOptions, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Variables defined so far, latest value per name.</summary>
    public IEnumerable<ScriptVariable> Variables =>
        _state?.Variables.GroupBy(v => v.Name).Select(g => g.Last()) ?? [];

    /// <summary>Compiles and runs code whose first <paramref name="firstLine"/> lines belong to magics (they are blanked
    /// so diagnostics and stack traces give cell line numbers). Sets the cell's result for a trailing expression.
    /// Throws <see cref="CellFailure"/> for compile errors and exceptions. State is kept unless the cell was abandoned.</summary>
    public async Task RunAsync(string code, int firstLine, CellContext cell, Func<bool> abandoned)
    {
        var text = new string('\n', firstLine) + code;
        // loops get interrupt checks; if that version does not compile, the original's diagnostics have the right columns
        var guarded = InterruptibleLoops.Rewrite(text, ScriptParseOptions);
        var script = Submission(guarded ?? text);
        var errors = script.Compile(cell.Cancellation).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0 && guarded != null)
            errors = Submission(text).Compile(cell.Cancellation).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw CompileFailure(errors);
        var compilation = script.GetCompilation();
        bool hasValue = HasTrailingValue(compilation);

        var state = _state is null
            ? await script.RunAsync(_globals, _ => true, cell.Cancellation).ConfigureAwait(false)
            : await script.RunFromAsync(_state, _ => true, cell.Cancellation).ConfigureAwait(false);
        if (abandoned()) return;
        _state = state;
        if (state.Exception is { } ex) throw RuntimeFailure(ex, cell.Cancellation, text);
        if (hasValue && state.ReturnValue is not null) cell.SetResult(state.ReturnValue);
    }

    private Script<object?> Submission(string code) => _state is null
        ? CSharpScript.Create<object?>(code, _options.Value, typeof(CellGlobals))
        : _state.Script.ContinueWith<object?>(code, _options.Value);

    // A last statement without its semicolon is the submission's value, unless it is a void call.
    private static bool HasTrailingValue(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.Single();
        if (tree.GetRoot() is not CompilationUnitSyntax { Members: [.., GlobalStatementSyntax { Statement: ExpressionStatementSyntax es }] }
            || !es.SemicolonToken.IsMissing) return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(es.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    /// <summary>Evaluates an expression against the current state without keeping anything (user_expressions).</summary>
    public async Task<object?> EvaluateAsync(string expression, CancellationToken ct)
    {
        var script = _state is null
            ? CSharpScript.Create<object?>(expression, _options.Value, typeof(CellGlobals))
            : _state.Script.ContinueWith<object?>(expression, _options.Value);
        var errors = script.Compile(ct).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw CompileFailure(errors);
        var st = _state is null ? await script.RunAsync(_globals, _ => true, ct) : await script.RunFromAsync(_state, _ => true, ct);
        if (st.Exception is { } ex) throw RuntimeFailure(ex, ct);
        return st.ReturnValue;
    }

    /// <summary>Defines a C# variable holding <paramref name="value"/> (used for values stored by magics).</summary>
    public async Task DefineAsync(string name, object? value, Type declaredType, CancellationToken ct)
    {
        var typeName = CSharpTypeName(declaredType) ?? "object";
        var code = $"var {name} = ({typeName})Session.GetStoredValue(\"{name}\");";
        var script = _state is null
            ? CSharpScript.Create<object?>(code, _options.Value, typeof(CellGlobals))
            : _state.Script.ContinueWith<object?>(code, _options.Value);
        if (script.Compile(ct).Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            code = $"var {name} = Session.GetStoredValue(\"{name}\");";
            script = _state is null
                ? CSharpScript.Create<object?>(code, _options.Value, typeof(CellGlobals))
                : _state.Script.ContinueWith<object?>(code, _options.Value);
        }
        _state = _state is null ? await script.RunAsync(_globals, cancellationToken: ct) : await script.RunFromAsync(_state, cancellationToken: ct);
    }

    /// <summary>Compiles and runs a trivial cell off the record so Roslyn is loaded and jitted before the first real cell.</summary>
    public async Task WarmUpAsync()
    {
        var script = CSharpScript.Create<object?>("var __warm = new List<int> { 6 * 7 }.Sum(); __warm", _options.Value, typeof(CellGlobals));
        await script.RunAsync(_globals);
        _ = Complete("Console.WriteLi", 15);
        _ = Inspect("Console.WriteLine", 10);
    }

    /// <summary>True when the code forms a complete submission; <paramref name="invalid"/> when it is complete but cannot parse.</summary>
    public static bool IsComplete(string code, out bool invalid)
    {
        var tree = CSharpSyntaxTree.ParseText(code, ScriptParseOptions);
        invalid = false;
        if (!SyntaxFactory.IsCompleteSubmission(tree)) return false;
        invalid = tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        return true;
    }

    private static readonly CSharpParseOptions ScriptParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    private (SemanticModel Model, SyntaxTree Tree) Analyze(string code)
    {
        var script = _state is null
            ? CSharpScript.Create<object?>(code, _options.Value, typeof(CellGlobals))
            : _state.Script.ContinueWith<object?>(code, _options.Value);
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Single();
        return (compilation.GetSemanticModel(tree), tree);
    }

    /// <summary>Completions at a UTF-16 offset: members after a dot, else names in scope and keywords.
    /// Returns the replaced span [start, end) in UTF-16 offsets.</summary>
    public (List<string> Matches, int Start, int End) Complete(string code, int position)
    {
        position = Math.Clamp(position, 0, code.Length);
        int start = position;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        int end = position;
        while (end < code.Length && (char.IsLetterOrDigit(code[end]) || code[end] == '_')) end++;
        var prefix = code[start..position];
        var (model, tree) = Analyze(code);
        var root = tree.GetRoot();

        IEnumerable<ISymbol> symbols;
        int before = start - 1;
        while (before >= 0 && char.IsWhiteSpace(code[before])) before--;
        if (before >= 0 && code[before] == '.')
        {
            var dot = root.FindToken(before);
            ExpressionSyntax? left = dot.Parent switch
            {
                MemberAccessExpressionSyntax m => m.Expression,
                QualifiedNameSyntax q => q.Left,
                _ => null,
            };
            if (left is null) return ([], start, end);
            var leftSymbol = model.GetSymbolInfo(left).Symbol;
            if (leftSymbol is INamespaceOrTypeSymbol container)
                symbols = container is INamespaceSymbol ? model.LookupNamespacesAndTypes(start, container) : model.LookupStaticMembers(start, container);
            else if (model.GetTypeInfo(left).Type is { } type)
                symbols = model.LookupSymbols(start, type, includeReducedExtensionMethods: true).Where(s => !s.IsStatic || s is IMethodSymbol { MethodKind: MethodKind.ReducedExtension });
            else symbols = [];
        }
        else
        {
            symbols = model.LookupSymbols(start);
        }

        var names = symbols.Where(s => s.CanBeReferencedByName && !s.IsImplicitlyDeclared).Select(s => s.Name);
        if (before < 0 || code[before] != '.')
            names = names.Concat(Keywords);
        var all = names.Distinct().ToList();
        var matches = all.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (matches.Count == 0) matches = all.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        matches.Sort(StringComparer.Ordinal);
        return (matches, start, end);
    }

    private static readonly string[] Keywords =
        [.. new[] { SyntaxKind.AbstractKeyword }.Concat(Enumerable.Range((int)SyntaxKind.BoolKeyword, (int)SyntaxKind.ImplicitKeyword - (int)SyntaxKind.BoolKeyword + 1).Select(k => (SyntaxKind)k))
            .Select(SyntaxFacts.GetText).Where(t => t.Length > 0 && t.All(char.IsLetter)),
         "var", "await", "async", "nameof", "dynamic", "record", "when", "where", "select", "from", "let", "orderby", "group", "join"];

    /// <summary>Quick info at a UTF-16 offset: the symbol's signature and its XML doc summary, or null when nothing is there.</summary>
    public string? Inspect(string code, int position)
    {
        position = Math.Clamp(position, 0, code.Length);
        var (model, tree) = Analyze(code);
        var root = tree.GetRoot();
        var token = root.FindToken(Math.Max(0, position == code.Length || position > 0 && !IsIdentChar(code[position]) ? position - 1 : position));
        if (!token.IsKind(SyntaxKind.IdentifierToken) && position > 0) token = root.FindToken(position - 1);
        var node = token.Parent;
        if (node is null) return null;
        var info = model.GetSymbolInfo(node);
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault() ?? model.GetDeclaredSymbol(node) ?? model.GetTypeInfo(node).Type;
        if (symbol is null or IErrorTypeSymbol) return null;
        var sb = new StringBuilder(symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat));
        int overloads = info.Symbol is null ? info.CandidateSymbols.Length - 1 : 0;
        if (overloads > 0) sb.Append($" (+ {overloads} overload{(overloads > 1 ? "s" : "")})");
        var doc = XmlDocs.Summary(symbol.GetDocumentationCommentXml(expandIncludes: true));
        if (!string.IsNullOrEmpty(doc)) sb.Append("\n\n").Append(doc);
        return sb.ToString();
    }

    private static bool IsIdentChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    // Every reference costs each submission's compilation time (all ~160 framework assemblies made a trivial cell 3x
    // slower), so cells get the common ones; #r "System.Xyz" adds any other.
    private static readonly HashSet<string> Referenced = new(StringComparer.Ordinal)
    {
        "System.Private.CoreLib", "System.Runtime", "System.Console", "System.Linq", "System.Collections",
        "System.Collections.Concurrent", "System.Text.RegularExpressions", "System.Net.Primitives", "System.Net.Sockets", "System.Memory",
        "System.Text.Json", "System.Runtime.Numerics", "System.Security.Cryptography", "System.IO.Compression",
        "System.Linq.Expressions", "Microsoft.CSharp", "System.ComponentModel.Primitives", "System.Diagnostics.Process",
    };

    private static ScriptOptions BuildOptions()
    {
        var refs = new List<MetadataReference>();
        var tpa = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var docDir = ReferenceDocsDirectory();
        foreach (var path in tpa)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!Referenced.Contains(name)) continue;
            var xml = docDir is null ? null : Path.Combine(docDir, (name == "System.Private.CoreLib" ? "System.Runtime" : name) + ".xml");
            refs.Add(Reference(path, xml));
        }
        foreach (var asm in new[] { typeof(CellGlobals).Assembly, typeof(PcapLab.Native.NativeLibraries).Assembly })
            if (!string.IsNullOrEmpty(asm.Location)) refs.Add(Reference(asm.Location, Path.ChangeExtension(asm.Location, ".xml")));
        return ScriptOptions.Default
            .WithReferences(refs)
            .WithImports(Imports)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithOptimizationLevel(OptimizationLevel.Debug)
            .WithAllowUnsafe(true);
    }

    private static MetadataReference Reference(string path, string? xml) =>
        MetadataReference.CreateFromFile(path, documentation: xml != null && File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null);

    // The runtime folder has no XML docs; the SDK's reference pack of the same major version does.
    private static string? ReferenceDocsDirectory()
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location);
        if (runtimeDir is null) return null;
        var root = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs)) return null;
        var major = Environment.Version.Major;
        var tfm = $"net{major}.0";
        return Directory.GetDirectories(packs)
            .Select(d => Path.Combine(d, "ref", tfm))
            .Where(Directory.Exists)
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static CellFailure CompileFailure(List<Diagnostic> errors)
    {
        var lines = errors.Select(d =>
        {
            var p = d.Location.GetLineSpan().StartLinePosition;
            return $"(line {p.Line + 1}, column {p.Character + 1}): error {d.Id}: {d.GetMessage()}";
        }).ToList();
        return new CellFailure("CompilationError", lines[0], lines);
    }

    private static CellFailure RuntimeFailure(Exception ex, CancellationToken ct, string? source = null)
    {
        if (ex is OperationCanceledException && ct.IsCancellationRequested) return CellFailure.Interrupted();
        var lines = source?.Split('\n');
        var tb = new List<string> { $"{ex.GetType().FullName}: {ex.Message}" };
        for (var e = ex; e != null; e = e.InnerException)
        {
            if (e != ex) tb.Add($" ---> {e.GetType().FullName}: {e.Message}");
            tb.AddRange(Frames(e, lines));
        }
        return new CellFailure(ex.GetType().Name, ex.Message, tb);
    }

    // The cell's own frames with their source line; runtime and scripting frames are hidden unless the cell has none.
    private static IEnumerable<string> Frames(Exception ex, string[]? source)
    {
        var frames = new StackTrace(ex, fNeedFileInfo: true).GetFrames();
        var shown = new List<string>();
        foreach (var frame in frames)
        {
            var method = frame.GetMethod();
            if (method is null) continue;
            var outer = method.DeclaringType;
            while (outer?.DeclaringType != null) outer = outer.DeclaringType;
            if (outer?.Name.StartsWith("Submission#", StringComparison.Ordinal) != true) continue;
            int line = frame.GetFileLineNumber();
            var where = line > 0 ? $"line {line}" : "(line unknown)";
            var name = MethodName(method);
            shown.Add(name is null ? $"   at cell {where}" : $"   at {name} in cell {where}");
            if (source != null && line > 0 && line <= source.Length && source[line - 1].Trim() is { Length: > 0 } text)
                shown.Add("      " + text);
        }
        if (shown.Count == 0)
            shown.AddRange(frames.Take(3).Select(f => f.GetMethod()).Where(m => m != null).Select(m => $"   at {m!.DeclaringType?.FullName}.{m.Name}"));
        return shown;
    }

    // A user-written method's name, or null for the cell's top-level code (compiler-generated state machines).
    private static string? MethodName(MethodBase m)
    {
        var type = m.DeclaringType;
        if (m.Name == "MoveNext" && type?.Name.StartsWith('<') == true)
        {
            var n = type.Name;
            var inner = n[1..n.IndexOf('>')];
            return inner is "" or "<Initialize" || inner.StartsWith('<') ? null : inner;
        }
        if (m.Name.StartsWith('<')) return null;
        return type != null && !type.Name.StartsWith("Submission#", StringComparison.Ordinal) ? $"{type.Name}.{m.Name}" : m.Name;
    }

    /// <summary>C# source for a type (generic, nested, arrays), or null when code cannot name it (non-public).</summary>
    internal static string? CSharpTypeName(Type t)
    {
        if (t.IsArray) return CSharpTypeName(t.GetElementType()!) is { } e ? e + "[" + new string(',', t.GetArrayRank() - 1) + "]" : null;
        if (!(t.IsPublic || t.IsNestedPublic) || t.IsPointer || t.IsByRef || t.ContainsGenericParameters) return null;
        string baseName = t.IsNested ? CSharpTypeName(t.DeclaringType!) + "." + t.Name : "global::" + t.Namespace + (t.Namespace is null ? "" : ".") + t.Name;
        if (t.IsNested && CSharpTypeName(t.DeclaringType!) is null) return null;
        if (!t.IsGenericType) return baseName.Replace("global::.", "global::");
        var tick = baseName.IndexOf('`');
        if (tick >= 0) baseName = baseName[..tick];
        var args = t.GetGenericArguments().Select(CSharpTypeName).ToList();
        return args.Any(a => a is null) ? null : baseName + "<" + string.Join(", ", args) + ">";
    }
}

/// <summary>A cell that failed: Jupyter's ename, evalue and traceback lines.</summary>
public sealed class CellFailure(string name, string value, IReadOnlyList<string> traceback) : Exception(value)
{
    /// <summary>Error name (exception type, CompilationError, KeyboardInterrupt, MagicUsageError...).</summary>
    public string Name { get; } = name;

    /// <summary>Error message.</summary>
    public string Value { get; } = value;

    /// <summary>Readable traceback lines (cell line numbers, no runtime plumbing).</summary>
    public IReadOnlyList<string> Traceback { get; } = traceback;

    /// <summary>The error for an interrupted cell.</summary>
    public static CellFailure Interrupted(string? detail = null) =>
        new("KeyboardInterrupt", "the cell was interrupted", ["KeyboardInterrupt: the cell was interrupted" + (detail is null ? "" : " " + detail)]);
}

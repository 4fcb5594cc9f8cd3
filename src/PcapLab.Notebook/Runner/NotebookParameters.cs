using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using YamlDotNet.RepresentationModel;

namespace PcapLab.Notebook.Runner;

/// <summary>A parameter declared in the cell tagged <c>parameters</c>, e.g. <c>int top = 10;</c>.</summary>
/// <param name="Name">The variable name.</param>
/// <param name="Type">The C# type a value is converted to ("string", "int", "long", "double", "float", "decimal", "bool",
/// optionally with '?'), or null when the declaration's type cannot be set from the command line (e.g. <c>var x = F();</c>).</param>
/// <param name="Default">The default as written in the cell (the initializer's C# text).</param>
public sealed record NotebookParameter(string Name, string? Type, string Default);

/// <summary>A parameter value that cannot be used: wrong type for the default, a type that cannot be set, or a bad file.</summary>
public sealed class ParameterException(string message) : Exception(message);

/// <summary>
/// Papermill's parameter convention for C# notebooks: the cell tagged <c>parameters</c> declares defaults; values given
/// on the command line are typed by the default's type and written as C# declarations into a cell tagged
/// <c>injected-parameters</c>, inserted right after it (later declarations shadow earlier ones in a C# session).
/// </summary>
public static class NotebookParameters
{
    /// <summary>The tag of the cell holding the defaults.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The tag of the cell the runner inserts with the given values.</summary>
    public const string InjectedTag = "injected-parameters";

    private static readonly HashSet<string> Settable = new(StringComparer.Ordinal)
        { "string", "int", "long", "double", "float", "decimal", "bool" };

    /// <summary>The parameters declared at the top level of a parameters cell, in order.</summary>
    public static IReadOnlyList<NotebookParameter> Declared(string cellSource)
    {
        // magic lines (#!csharp) are not C#
        var code = string.Join("\n", cellSource.Split('\n').Select(l => l.TrimStart().StartsWith("#!", StringComparison.Ordinal) ? "" : l));
        var root = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script)).GetCompilationUnitRoot();
        var list = new List<NotebookParameter>();
        foreach (var member in root.Members)
        {
            var declaration = member switch
            {
                FieldDeclarationSyntax f when !f.Modifiers.Any(SyntaxKind.ConstKeyword) => f.Declaration,
                GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax l } when !l.IsConst => l.Declaration,
                _ => null,
            };
            if (declaration is null) continue;
            foreach (var v in declaration.Variables)
            {
                if (v.Initializer is null) continue;
                list.Add(new NotebookParameter(v.Identifier.ValueText, TypeOf(declaration.Type, v.Initializer.Value), v.Initializer.Value.ToString()));
            }
        }
        return list;
    }

    // An explicit type names itself; `var` takes the literal's type.
    private static string? TypeOf(TypeSyntax type, ExpressionSyntax value)
    {
        if (!type.IsVar)
        {
            var text = type.ToString().Replace(" ", "");
            var core = text.TrimEnd('?');
            core = core switch { "String" or "System.String" => "string", "Int32" or "System.Int32" => "int", "Int64" or "System.Int64" => "long",
                "Double" or "System.Double" => "double", "Single" or "System.Single" => "float", "Decimal" or "System.Decimal" => "decimal",
                "Boolean" or "System.Boolean" => "bool", _ => core };
            return Settable.Contains(core) ? core + (text.EndsWith('?') ? "?" : "") : null;
        }
        if (value is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax neg }) value = neg;
        return value switch
        {
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } => "string",
            InterpolatedStringExpressionSyntax => "string",
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression or (int)SyntaxKind.FalseLiteralExpression } => "bool",
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } n => n.Token.Value switch
            {
                int => "int", long => "long", double => "double", float => "float", decimal => "decimal", _ => null,
            },
            _ => null,
        };
    }

    /// <summary>Reads a YAML mapping of parameter names to scalar values (papermill's -f file).</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> ReadYaml(string path)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            throw new ParameterException($"cannot read parameters file '{path}': {ex.Message}");
        }
        if (stream.Documents.Count == 0) return [];
        if (stream.Documents[0].RootNode is not YamlMappingNode map)
            throw new ParameterException($"parameters file '{path}' must be a mapping of name: value");
        var list = new List<KeyValuePair<string, string?>>();
        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? throw new ParameterException($"parameters file '{path}': a key is not a name");
            if (v is not YamlScalarNode s)
                throw new ParameterException($"parameter '{name}' in '{path}' is a list or mapping; only text, numbers and booleans are supported");
            // an unquoted ~ or null is YAML's null
            bool isNull = s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is null or "~" or "null" or "Null" or "NULL";
            list.Add(new(name, isNull ? null : s.Value ?? ""));
        }
        return list;
    }

    /// <summary>
    /// The C# text of the injected-parameters cell: one typed declaration per known parameter given, in the order the
    /// defaults are declared. Unknown names are returned in <paramref name="unknown"/> and not injected (they have no
    /// type to convert to). A later value for the same name wins.
    /// </summary>
    /// <exception cref="ParameterException">A value does not fit its parameter's type, or the type cannot be set.</exception>
    public static string? InjectedSource(IReadOnlyList<NotebookParameter> declared, IEnumerable<KeyValuePair<string, string?>> values,
        out IReadOnlyList<string> unknown, out IReadOnlyList<KeyValuePair<string, string?>> applied)
    {
        var given = new Dictionary<string, string?>(StringComparer.Ordinal);
        var unknownList = new List<string>();
        foreach (var (name, value) in values)
        {
            if (declared.Any(p => p.Name == name)) given[name] = value;
            else if (!unknownList.Contains(name)) unknownList.Add(name);
        }
        unknown = unknownList;
        var appliedList = new List<KeyValuePair<string, string?>>();
        applied = appliedList;
        if (given.Count == 0) return null;
        var b = new StringBuilder("// Parameters injected by pcaplab run\n");
        foreach (var p in declared)
        {
            if (!given.TryGetValue(p.Name, out var value)) continue;
            if (p.Type is null)
                throw new ParameterException($"parameter '{p.Name}' (default {p.Default}) has a type pcaplab run cannot set; declare it as string, int, long, double, float, decimal or bool");
            b.Append(p.Type).Append(' ').Append(p.Name).Append(" = ").Append(Literal(p, value)).Append(";\n");
            appliedList.Add(new(p.Name, value));
        }
        return b.ToString();
    }

    /// <summary>The C# literal for <paramref name="value"/> as the parameter's type; strings are escaped, never spliced.</summary>
    /// <exception cref="ParameterException">The value does not parse as the type.</exception>
    public static string Literal(NotebookParameter p, string? value)
    {
        var type = p.Type ?? throw new ParameterException($"parameter '{p.Name}' has a type pcaplab run cannot set");
        bool nullable = type.EndsWith('?') || type == "string";
        if (value is null)
            return nullable ? "null" : throw Bad(p, "null");
        var inv = CultureInfo.InvariantCulture;
        var s = value.Trim();
        switch (type.TrimEnd('?'))
        {
            case "string": return SymbolDisplay.FormatLiteral(value, quote: true);
            case "bool": return bool.TryParse(s, out var b) ? (b ? "true" : "false") : throw Bad(p, value);
            case "int": return int.TryParse(s, NumberStyles.AllowLeadingSign, inv, out var i) ? i.ToString(inv) : throw Bad(p, value);
            case "long": return long.TryParse(s, NumberStyles.AllowLeadingSign, inv, out var l) ? l.ToString(inv) + "L" : throw Bad(p, value);
            case "decimal": return decimal.TryParse(s, NumberStyles.Number | NumberStyles.AllowExponent, inv, out var m) ? m.ToString(inv) + "m" : throw Bad(p, value);
            case "double":
                return double.TryParse(s, NumberStyles.Float, inv, out var d) && double.IsFinite(d) ? d.ToString("R", inv) + "d" : throw Bad(p, value);
            case "float":
                return float.TryParse(s, NumberStyles.Float, inv, out var f) && float.IsFinite(f) ? f.ToString("R", inv) + "f" : throw Bad(p, value);
            default: throw new ParameterException($"parameter '{p.Name}' has a type pcaplab run cannot set");
        }
    }

    private static ParameterException Bad(NotebookParameter p, string value) =>
        new($"parameter '{p.Name}' is {p.Type} (default {p.Default}); '{value}' is not a valid {p.Type!.TrimEnd('?')}");

    /// <summary>Splits a <c>-p name=value</c> argument at its first '='.</summary>
    /// <exception cref="ParameterException">No '=' or an empty name.</exception>
    public static KeyValuePair<string, string?> ParseAssignment(string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0) throw new ParameterException($"-p '{text}': expected name=value");
        return new(text[..eq].Trim(), text[(eq + 1)..]);
    }
}

using System.Globalization;
using System.Reflection;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PcapLab.Detect;

/// <summary>
/// Reads the rules YAML onto <see cref="DetectionRules"/>: sections map to rule properties, keys to thresholds, both
/// in snake_case of the property names. Walks the YAML node tree itself so every error names the key, line and column.
/// </summary>
internal static class RulesFile
{
    private const string ResourceName = "PcapLab.Detect.rules.default.yaml";

    public static string DefaultText { get; } = ReadResource();

    /// <summary>Fresh defaults; the embedded file must set every key, so the YAML is the one place defaults live.</summary>
    public static DetectionRules ReadDefaults()
    {
        var rules = new DetectionRules();
        Apply(rules, DefaultText, "rules.default.yaml", requireAll: true);
        return rules;
    }

    public static void Apply(DetectionRules rules, string yaml, string source, bool requireAll)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new DetectionRulesException("invalid YAML: " + e.Message, source, e.Start.Line, e.Start.Column, e); }
        if (stream.Documents.Count == 0) { if (requireAll) throw new InvalidOperationException("the embedded rules file is empty"); return; }
        if (stream.Documents.Count > 1) Fail(source, stream.Documents[1].RootNode, "a rules file holds one YAML document");
        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" or "null" }) return; // an empty file changes nothing
        var seen = new HashSet<string>();
        ApplyMapping(rules, root, "", source, seen);
        if (requireAll)
        {
            var missing = AllKeys(rules, "").Where(k => !seen.Contains(k)).ToList();
            if (missing.Count > 0) throw new InvalidOperationException("rules.default.yaml does not set: " + string.Join(", ", missing));
        }
    }

    private static void ApplyMapping(object target, YamlNode node, string path, string source, HashSet<string> seen)
    {
        if (node is not YamlMappingNode map)
        {
            Fail(source, node, path.Length == 0 ? "the rules file must be a mapping of sections (e.g. 'vertical_scan:')" : $"section '{path}' must be a mapping of keys");
            return;
        }
        var props = Settable(target.GetType());
        foreach (var (keyNode, value) in map.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!props.TryGetValue(key, out var prop))
            {
                string where = path.Length == 0 ? "unknown section" : $"unknown key in section '{path}':";
                Fail(source, keyNode, $"{where} '{key}' (known: {string.Join(", ", props.Keys.Order())})");
            }
            string full = path.Length == 0 ? key : path + "." + key;
            seen.Add(full); // YamlDotNet already rejects a key given twice in one mapping
            if (typeof(DetectionRule).IsAssignableFrom(prop!.PropertyType))
                ApplyMapping(prop.GetValue(target)!, value, full, source, seen);
            else
                prop.SetValue(target, Convert(prop, value, full, source));
        }
    }

    private static object Convert(PropertyInfo prop, YamlNode node, string key, string source)
    {
        var t = prop.PropertyType;
        if (t == typeof(int[]))
        {
            if (node is not YamlSequenceNode seq) { Fail(source, node, $"'{key}' expects a list of integers, e.g. [22, 2222]"); return null!; }
            return seq.Children.Select(c => (int)Number(c, key, source, integer: true, max: ushort.MaxValue)).ToArray();
        }
        if (node is not YamlScalarNode scalar || scalar.Value is null or "" or "~" or "null")
        {
            Fail(source, node, $"'{key}' needs a {TypeWord(t)} value");
            return null!;
        }
        if (t == typeof(bool))
        {
            return scalar.Value.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => Fail<object>(source, node, $"'{key}' expects true or false, got '{scalar.Value}'"),
            };
        }
        bool unit = prop.GetCustomAttribute<UnitIntervalAttribute>() is not null;
        if (t == typeof(int)) return (int)Number(node, key, source, integer: true, max: int.MaxValue);
        if (t == typeof(long)) return (long)Number(node, key, source, integer: true, max: long.MaxValue);
        if (t == typeof(double)) return Number(node, key, source, integer: false, max: unit ? 1 : double.MaxValue);
        throw new InvalidOperationException($"rules property {prop.Name} has unsupported type {t}");
    }

    private static double Number(YamlNode node, string key, string source, bool integer, double max)
    {
        string raw = (node as YamlScalarNode)?.Value ?? "";
        string text = raw.Replace("_", ""); // YAML 1.1 digit grouping: 1_000_000
        double v = double.NaN;
        bool ok = integer
            ? long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole) && (v = whole) == whole
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
        if (!ok) Fail(source, node, $"'{key}' expects {(integer ? "an integer" : "a number")}, got '{raw}'");
        if (double.IsNaN(v) || v < 0 || v > max)
            Fail(source, node, max >= int.MaxValue ? $"'{key}' must be 0 or more, got {raw}" : $"'{key}' must be between 0 and {max.ToString(CultureInfo.InvariantCulture)}, got {raw}");
        return v;
    }

    private static string TypeWord(Type t) => t == typeof(bool) ? "true/false" : t == typeof(double) ? "number" : "integer";

    private static Dictionary<string, PropertyInfo> Settable(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => SnakeCase(p.Name));

    private static IEnumerable<string> AllKeys(object target, string path)
    {
        foreach (var (key, prop) in Settable(target.GetType()))
        {
            string full = path.Length == 0 ? key : path + "." + key;
            if (typeof(DetectionRule).IsAssignableFrom(prop.PropertyType))
                foreach (var k in AllKeys(prop.GetValue(target)!, full)) yield return k;
            else
                yield return full;
        }
    }

    /// <summary>MinPorts → min_ports; Log4Shell → log4shell (no break after a digit).</summary>
    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && !char.IsDigit(name[i - 1])) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static void Fail(string source, YamlNode node, string message) => Fail<object>(source, node, message);

    private static T Fail<T>(string source, YamlNode node, string message) =>
        throw new DetectionRulesException(message, source, node.Start.Line, node.Start.Column);

    private static string ReadResource()
    {
        using var s = typeof(RulesFile).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} missing from the engine assembly");
        using var r = new StreamReader(s, Encoding.UTF8);
        return r.ReadToEnd();
    }
}

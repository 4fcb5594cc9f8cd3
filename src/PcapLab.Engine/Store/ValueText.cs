using System.Collections;
using System.Globalization;
using System.Text;

namespace PcapLab.Store;

/// <summary>How a query value reads as text, the same in the CLI, CSV, and notebook tables (invariant culture, ISO times).</summary>
public static class ValueText
{
    /// <summary>Formats one value; null becomes <paramref name="nullText"/>.</summary>
    public static string Format(object? value, string nullText = "") => value switch
    {
        null or DBNull => nullText,
        string s => s,
        bool b => b ? "true" : "false",
        DateTime t => t.ToString(t.TimeOfDay == TimeSpan.Zero && t.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset o => o.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => "\\x" + Convert.ToHexStringLower(bytes),
        IDictionary dict => "{" + string.Join(", ", dict.Keys.Cast<object>().Select(k => $"{Format(k)}: {Format(dict[k], "NULL")}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(v => Format(v, "NULL"))) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Quotes a field for CSV (RFC 4180): only when it holds a comma, quote, or line break.</summary>
    public static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}

using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using PcapLab.Charts;

namespace PcapLab.Notebook.Display;

/// <summary>Turns any value into the representations a notebook shows: scalars as text, collections and dictionaries
/// as tables, <see cref="IMimeRenderable"/> values as they say.</summary>
public static class Formatter
{
    /// <summary>Rows enumerated beyond the shown ones to count the rest; lazy sequences are never enumerated further.</summary>
    private const int CountLimit = 100_000;

    /// <summary>The representations of <paramref name="value"/>; a chart inlines plotly.js once per the current cell's session.</summary>
    public static MimeBundle ToMimeBundle(object? value) => ToMimeBundle(value, Cells.CellContext.Current?.Session.Plotly);

    /// <summary>The representations of <paramref name="value"/>; a <see cref="Figure"/>'s HTML carries plotly.js unless
    /// <paramref name="plotly"/> (the session's tracker) says an earlier output already did (null: always carry it).</summary>
    public static MimeBundle ToMimeBundle(object? value, PlotlyScript? plotly) => value switch
    {
        null => MimeBundle.PlainText("null"),
        MimeBundle b => b,
        Figure f => FigureBundle(f, plotly),
        IMimeRenderable r => r.ToMimeBundle(),
        PcapLab.Store.QueryResult q => TableFormatter.Format(q.Columns, q.Rows.Take(TableFormatter.DefaultMaxRows).Select(r => (IReadOnlyList<object?>)r).ToList(), q.Count, q.Truncated),
        PcapLab.Ingest.IngestSummary i => EngineDisplay.Summary(i),
        string s => MimeBundle.PlainText(s),
        _ when IsScalar(value.GetType()) => MimeBundle.PlainText(TableFormatter.Cell(value)),
        IDictionary d => Dictionary(d),
        IEnumerable e => Sequence(e, value.GetType()),
        _ => MimeBundle.PlainText(value.ToString() ?? ""),
    };

    /// <summary>True for types shown as one value rather than as a row of properties.</summary>
    public static bool IsScalar(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTime)
        || t == typeof(DateTimeOffset) || t == typeof(TimeSpan) || t == typeof(Guid) || t == typeof(byte[])
        || t == typeof(System.Net.IPAddress)
        // a struct with its own ToString (an address, an id) reads better as text than as a row of its parts
        || t.IsValueType && !t.IsGenericType && t.GetMethod("ToString", Type.EmptyTypes)?.DeclaringType == t
        || Nullable.GetUnderlyingType(t) is { } u && IsScalar(u)
        || t.GetInterface("System.Numerics.INumberBase`1") != null;

    /// <summary>A chart as application/vnd.plotly.v1+json (front ends draw it offline), text/html with plotly.js inlined the
    /// first time in a session (<paramref name="plotly"/>; null: always), and text/plain.</summary>
    public static MimeBundle FigureBundle(Figure figure, PlotlyScript? plotly) => new MimeBundle()
        .Add(Figure.PlotlyMimeType, JsonNode.Parse(figure.ToJson())!)
        .Add("text/html", figure.ToHtml(plotly?.IncludeOnce() ?? true))
        .Add("text/plain", figure.ToString());

    private static MimeBundle Dictionary(IDictionary d)
    {
        var rows = new List<IReadOnlyList<object?>>();
        foreach (DictionaryEntry e in d)
        {
            if (rows.Count == TableFormatter.DefaultMaxRows) break;
            rows.Add([e.Key, e.Value]);
        }
        return TableFormatter.Format(["key", "value"], rows, d.Count);
    }

    private static MimeBundle Sequence(IEnumerable e, Type type)
    {
        var items = new List<object?>();
        long total = 0;
        bool more = false;
        var en = e.GetEnumerator();
        try
        {
            while (en.MoveNext())
            {
                if (total < TableFormatter.DefaultMaxRows) items.Add(en.Current);
                if (++total >= CountLimit) { more = en.MoveNext(); break; }
            }
        }
        finally { (en as IDisposable)?.Dispose(); }

        var elementType = ElementType(type) ?? CommonType(items);
        if (elementType is null || IsScalar(elementType) || elementType == typeof(object))
            return TableFormatter.Format(["value"], items.Select(i => (IReadOnlyList<object?>)[i]).ToList(), total, more);
        var members = Members(elementType);
        if (members.Length == 0)
            return TableFormatter.Format(["value"], items.Select(i => (IReadOnlyList<object?>)[i]).ToList(), total, more);
        var rows = items.Select(i => (IReadOnlyList<object?>)members.Select(m => i is null ? null : Read(m, i)).ToArray()).ToList();
        return TableFormatter.Format(members.Select(m => m.Name).ToArray(), rows, total, more);
    }

    private static Type? ElementType(Type t) =>
        t.IsArray ? t.GetElementType()
        : (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? t : t.GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))?.GetGenericArguments()[0];

    private static Type? CommonType(List<object?> items) =>
        items.Where(i => i != null).Select(i => i!.GetType()).Distinct().ToList() is [var single] ? single : null;

    private static MemberInfo[] Members(Type t) =>
        [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0),
         .. t.GetFields(BindingFlags.Public | BindingFlags.Instance)];

    private static object? Read(MemberInfo m, object o)
    {
        try { return m is PropertyInfo p ? p.GetValue(o) : ((FieldInfo)m).GetValue(o); }
        catch (TargetInvocationException ex) { return "<" + ex.InnerException?.GetType().Name + ">"; }
    }

    /// <summary>A scalar as invariant text (used by magics reading @variables).</summary>
    public static string ToInvariantString(object? value) =>
        value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "";
}

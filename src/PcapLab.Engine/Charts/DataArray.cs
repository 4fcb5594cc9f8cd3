using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace PcapLab.Charts;

/// <summary>What a <see cref="DataArray"/> holds once its values are normalized.</summary>
public enum DataKind
{
    /// <summary>No non-null values.</summary>
    Empty,
    /// <summary>Numbers (any .NET numeric type, stored as <see cref="double"/>).</summary>
    Number,
    /// <summary>Text (strings, or mixed values rendered as invariant text).</summary>
    Text,
    /// <summary>Timestamps (stored as UTC <see cref="DateTime"/>, written as plotly date strings).</summary>
    Date,
}

/// <summary>
/// A column of values for one trace attribute (x, y, labels, values, ...): numbers, text or timestamps,
/// with nulls as gaps. Arrays and lists convert implicitly; use <see cref="From{T}(IEnumerable{T})"/> for any sequence.
/// </summary>
public sealed class DataArray : IReadOnlyList<object?>
{
    private readonly object?[] _items;

    private DataArray(object?[] items, DataKind kind) { _items = items; Kind = kind; }

    /// <summary>The normalized kind of the values.</summary>
    public DataKind Kind { get; }

    /// <summary>Number of values, nulls included.</summary>
    public int Count => _items.Length;

    /// <summary>The normalized value at <paramref name="index"/>: a <see cref="double"/>, <see cref="string"/>, UTC <see cref="DateTime"/> or null.</summary>
    public object? this[int index] => _items[index];

    /// <inheritdoc/>
    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>Builds a column from any sequence; numbers become doubles (NaN and infinities become gaps), timestamps UTC, anything else text.</summary>
    public static DataArray From<T>(IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var items = values.Select(v => Normalize(v)).ToArray();
        bool num = false, date = false, text = false;
        foreach (var v in items)
        {
            if (v is double) num = true;
            else if (v is DateTime) date = true;
            else if (v is string) text = true;
        }
        var kinds = (num ? 1 : 0) + (date ? 1 : 0) + (text ? 1 : 0);
        if (kinds > 1)
        {
            // Mixed columns are drawn as categories, so every value becomes its text.
            for (var i = 0; i < items.Length; i++) items[i] = items[i] is null ? null : Text(items[i]!);
            return new DataArray(items, DataKind.Text);
        }
        return new DataArray(items, num ? DataKind.Number : date ? DataKind.Date : text ? DataKind.Text : DataKind.Empty);
    }

    /// <summary>The values as doubles (null for gaps); throws when the column is not numeric.</summary>
    public double?[] AsNumbers() => Kind is DataKind.Number or DataKind.Empty
        ? _items.Select(v => (double?)v).ToArray()
        : throw new InvalidOperationException($"expected numbers but the column holds {Kind}");

    /// <summary>The values as text keys (dates in plotly's format, numbers invariant), nulls kept.</summary>
    public string?[] AsText() => _items.Select(v => v is null ? null : Text(v)).ToArray();

    /// <summary>A column of the values at <paramref name="indexes"/>, in that order.</summary>
    public DataArray Select(IReadOnlyList<int> indexes) => new(indexes.Select(i => _items[i]).ToArray(), Kind);

#pragma warning disable CS1591 // The conversions are self-describing.
    public static implicit operator DataArray(double[] v) => From(v);
    public static implicit operator DataArray(double?[] v) => From(v);
    public static implicit operator DataArray(float[] v) => From(v);
    public static implicit operator DataArray(int[] v) => From(v);
    public static implicit operator DataArray(long[] v) => From(v);
    public static implicit operator DataArray(uint[] v) => From(v);
    public static implicit operator DataArray(ulong[] v) => From(v);
    public static implicit operator DataArray(string?[] v) => From(v);
    public static implicit operator DataArray(DateTime[] v) => From(v);
    public static implicit operator DataArray(DateTimeOffset[] v) => From(v);
    public static implicit operator DataArray(object?[] v) => From(v);
    public static implicit operator DataArray(List<double> v) => From(v);
    public static implicit operator DataArray(List<int> v) => From(v);
    public static implicit operator DataArray(List<long> v) => From(v);
    public static implicit operator DataArray(List<string> v) => From(v);
    public static implicit operator DataArray(List<DateTime> v) => From(v);
    public static implicit operator DataArray(List<object?> v) => From(v);
#pragma warning restore CS1591

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        foreach (var v in _items) WriteValue(w, v);
        w.WriteEndArray();
    }

    internal static void WriteValue(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case double d: w.WriteNumberValue(d); break;
            case DateTime t: w.WriteStringValue(FormatDate(t)); break;
            default: w.WriteStringValue((string)v); break;
        }
    }

    /// <summary>Plotly's date string: "yyyy-MM-dd HH:mm:ss.ffffff", UTC.</summary>
    internal static string FormatDate(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    internal static object? Normalize(object? v) => v switch
    {
        null or DBNull => null,
        double d => double.IsFinite(d) ? d : null,
        float f => float.IsFinite(f) ? (double)f : null,
        decimal m => (double)m,
        byte or sbyte or short or ushort or int or uint or long or ulong or nint or nuint => Convert.ToDouble(v, CultureInfo.InvariantCulture),
        Half h => Half.IsFinite(h) ? (double)h : null,
        Int128 or UInt128 => double.Parse(((IFormattable)v).ToString(null, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        DateTime t => t.Kind switch { DateTimeKind.Local => t.ToUniversalTime(), _ => DateTime.SpecifyKind(t, DateTimeKind.Utc) },
        DateTimeOffset o => o.UtcDateTime,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        TimeSpan s => s.TotalSeconds,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };

    private static string Text(object v) => v switch
    {
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => FormatDate(t),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };
}

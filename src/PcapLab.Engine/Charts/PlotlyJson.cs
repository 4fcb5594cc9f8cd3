using System.Text.Json;

namespace PcapLab.Charts;

/// <summary>A figure part that writes itself as a plotly JSON object.</summary>
internal interface IPlotlyObject
{
    /// <summary>Writes the attributes that are set (nulls omitted) between the caller's braces.</summary>
    void WriteAttributes(Utf8JsonWriter w);
}

/// <summary>Writer helpers: each writes its attribute only when set, so nulls never reach plotly.</summary>
internal static class PlotlyJson
{
    public static void Opt(this Utf8JsonWriter w, string name, string? v)
    {
        if (v is not null) w.WriteString(name, v);
    }

    public static void Opt(this Utf8JsonWriter w, string name, double? v)
    {
        if (v is { } d && double.IsFinite(d)) w.WriteNumber(name, d);
    }

    public static void Opt(this Utf8JsonWriter w, string name, int? v)
    {
        if (v is { } i) w.WriteNumber(name, i);
    }

    public static void Opt(this Utf8JsonWriter w, string name, bool? v)
    {
        if (v is { } b) w.WriteBoolean(name, b);
    }

    public static void Opt(this Utf8JsonWriter w, string name, DataArray? v)
    {
        if (v is null) return;
        w.WritePropertyName(name);
        v.Write(w);
    }

    public static void Opt(this Utf8JsonWriter w, string name, IReadOnlyList<string>? v)
    {
        if (v is null) return;
        w.WriteStartArray(name);
        foreach (var s in v) w.WriteStringValue(s);
        w.WriteEndArray();
    }

    public static void Opt(this Utf8JsonWriter w, string name, double[]? v)
    {
        if (v is null) return;
        w.WriteStartArray(name);
        foreach (var d in v) DataArray.WriteValue(w, DataArray.Normalize(d));
        w.WriteEndArray();
    }

    public static void Opt(this Utf8JsonWriter w, string name, IPlotlyObject? v)
    {
        if (v is null) return;
        w.WriteStartObject(name);
        v.WriteAttributes(w);
        w.WriteEndObject();
    }

    /// <summary>Plotly's title objects: {"text": ...}.</summary>
    public static void Title(this Utf8JsonWriter w, string? text)
    {
        if (text is null) return;
        w.WriteStartObject("title");
        w.WriteString("text", text);
        w.WriteEndObject();
    }
}

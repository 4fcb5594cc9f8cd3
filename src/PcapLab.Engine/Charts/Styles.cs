using System.Text.Json;

namespace PcapLab.Charts;

/// <summary>
/// A colour attribute: one CSS colour for the whole trace (<c>"crimson"</c>, <c>"#1f77b4"</c>) or one value per point
/// (colours, or numbers mapped through a colour scale). Strings and arrays convert implicitly.
/// </summary>
public sealed class ColorValue
{
    private readonly string? _single;
    private readonly DataArray? _perPoint;

    private ColorValue(string? single, DataArray? perPoint) { _single = single; _perPoint = perPoint; }

    /// <summary>One colour for every point.</summary>
    public static ColorValue Of(string color) => new(color ?? throw new ArgumentNullException(nameof(color)), null);

    /// <summary>One colour (or one number for the colour scale) per point.</summary>
    public static ColorValue PerPoint(DataArray values) => new(null, values ?? throw new ArgumentNullException(nameof(values)));

#pragma warning disable CS1591
    public static implicit operator ColorValue(string color) => Of(color);
    public static implicit operator ColorValue(string[] colors) => PerPoint(colors);
    public static implicit operator ColorValue(double[] values) => PerPoint(values);
    public static implicit operator ColorValue(DataArray values) => PerPoint(values);
#pragma warning restore CS1591

    /// <summary>The single colour, or null when per point.</summary>
    public string? Single => _single;

    internal void Write(Utf8JsonWriter w, string name)
    {
        if (_single is not null) w.WriteString(name, _single);
        else w.Opt(name, _perPoint);
    }
}

internal static class ColorValueJson
{
    public static void Opt(this Utf8JsonWriter w, string name, ColorValue? v) => v?.Write(w, name);
}

/// <summary>How a line is drawn (plotly <c>line</c>).</summary>
public sealed class Line : IPlotlyObject
{
    /// <summary>CSS colour.</summary>
    public string? Color { get; set; }
    /// <summary>Width in pixels.</summary>
    public double? Width { get; set; }
    /// <summary>Dash style: "solid", "dot", "dash", "longdash", "dashdot", "longdashdot".</summary>
    public string? Dash { get; set; }
    /// <summary>Interpolation: "linear", "spline", "hv", "vh", "hvh", "vhv".</summary>
    public string? Shape { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("color", Color);
        w.Opt("width", Width);
        w.Opt("dash", Dash);
        w.Opt("shape", Shape);
    }
}

/// <summary>The outline of markers, bars or slices (plotly <c>marker.line</c>).</summary>
public sealed class Outline : IPlotlyObject
{
    /// <summary>CSS colour.</summary>
    public string? Color { get; set; }
    /// <summary>Width in pixels.</summary>
    public double? Width { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("color", Color);
        w.Opt("width", Width);
    }
}

/// <summary>How points, bars or boxes are filled (plotly <c>marker</c>).</summary>
public sealed class Marker : IPlotlyObject
{
    /// <summary>Colour: one for all, or per point.</summary>
    public ColorValue? Color { get; set; }
    /// <summary>Size in pixels, one for all (scatter, box).</summary>
    public double? Size { get; set; }
    /// <summary>Size per point (bubble charts); takes precedence over <see cref="Size"/>.</summary>
    public DataArray? Sizes { get; set; }
    /// <summary>Opacity 0..1.</summary>
    public double? Opacity { get; set; }
    /// <summary>Symbol name: "circle", "square", "diamond", "cross", "x", ...</summary>
    public string? Symbol { get; set; }
    /// <summary>Colour scale name ("Viridis", "Blues", ...) when <see cref="Color"/> holds numbers.</summary>
    public string? ColorScale { get; set; }
    /// <summary>Whether to show a colour bar for numeric colours.</summary>
    public bool? ShowScale { get; set; }
    /// <summary>Outline of each marker.</summary>
    public Outline? Line { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("color", Color);
        if (Sizes is not null) w.Opt("size", Sizes);
        else w.Opt("size", Size);
        w.Opt("opacity", Opacity);
        w.Opt("symbol", Symbol);
        w.Opt("colorscale", ColorScale);
        w.Opt("showscale", ShowScale);
        w.Opt("line", Line);
    }
}

/// <summary>Font settings (plotly <c>font</c>).</summary>
public sealed class Font : IPlotlyObject
{
    /// <summary>CSS font family.</summary>
    public string? Family { get; set; }
    /// <summary>Size in points.</summary>
    public double? Size { get; set; }
    /// <summary>CSS colour.</summary>
    public string? Color { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("family", Family);
        w.Opt("size", Size);
        w.Opt("color", Color);
    }
}

/// <summary>A trace's place on the page for traces without axes (pie, sankey), as fractions 0..1 of the plot area.</summary>
public sealed class Domain : IPlotlyObject
{
    /// <summary>Horizontal span [from, to].</summary>
    public double[]? X { get; set; }
    /// <summary>Vertical span [from, to].</summary>
    public double[]? Y { get; set; }
    /// <summary>Grid row (when the layout has a <see cref="Grid"/>).</summary>
    public int? Row { get; set; }
    /// <summary>Grid column (when the layout has a <see cref="Grid"/>).</summary>
    public int? Column { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("x", X);
        w.Opt("y", Y);
        w.Opt("row", Row);
        w.Opt("column", Column);
    }
}

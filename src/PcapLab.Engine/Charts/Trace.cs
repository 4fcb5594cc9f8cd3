using System.Text.Json;

namespace PcapLab.Charts;

/// <summary>Bar, box and histogram direction.</summary>
public enum Orientation
{
    /// <summary>Vertical ("v").</summary>
    Vertical,
    /// <summary>Horizontal ("h").</summary>
    Horizontal,
}

/// <summary>One plotly trace: a series drawn by one chart type. Figures hold a list of them in <see cref="Figure.Data"/>.</summary>
public abstract class Trace
{
    private protected Trace() { }

    /// <summary>Plotly's trace type name ("scatter", "bar", ...).</summary>
    public abstract string Type { get; }

    /// <summary>Series name, shown in the legend and on hover.</summary>
    public string? Name { get; set; }

    /// <summary>False hides the trace; null leaves plotly's default (shown).</summary>
    public bool? Visible { get; set; }

    /// <summary>Which parts hover shows, e.g. "x+y+name", "label+percent", "all", "none", "skip".</summary>
    public string? HoverInfo { get; set; }

    /// <summary>Writes {"type": ..., attributes...}.</summary>
    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", Type);
        w.Opt("name", Name);
        w.Opt("visible", Visible);
        w.Opt("hoverinfo", HoverInfo);
        WriteAttributes(w);
        w.WriteEndObject();
    }

    private protected abstract void WriteAttributes(Utf8JsonWriter w);

    /// <summary>A one-line description for text/plain.</summary>
    internal virtual string Summary => Name is null ? Type : $"{Type} '{Name}'";

    private protected static string OrientationCode(Orientation o) => o == Orientation.Horizontal ? "h" : "v";
}

/// <summary>Legend and hover attributes shared by every trace that shows in the legend.</summary>
public abstract class LegendTrace : Trace
{
    private protected LegendTrace() { }

    /// <summary>Whether this trace gets a legend entry.</summary>
    public bool? ShowLegend { get; set; }
    /// <summary>Traces with the same group toggle together and share one legend entry when only one shows it.</summary>
    public string? LegendGroup { get; set; }
    /// <summary>Opacity 0..1.</summary>
    public double? Opacity { get; set; }
    /// <summary>Text per point (hover or labels depending on the trace).</summary>
    public DataArray? Text { get; set; }
    /// <summary>Hover template, e.g. "%{x}: %{y:,} bytes&lt;extra&gt;&lt;/extra&gt;".</summary>
    public string? HoverTemplate { get; set; }

    private protected void WriteLegend(Utf8JsonWriter w)
    {
        w.Opt("showlegend", ShowLegend);
        w.Opt("legendgroup", LegendGroup);
        w.Opt("opacity", Opacity);
        w.Opt("text", Text);
        w.Opt("hovertemplate", HoverTemplate);
    }
}

/// <summary>A trace drawn on x/y axes; <see cref="XAxis"/>/<see cref="YAxis"/> pick the subplot ("x2", "y3") in facets.</summary>
public abstract class CartesianTrace : LegendTrace
{
    private protected CartesianTrace() { }

    /// <summary>X values.</summary>
    public DataArray? X { get; set; }
    /// <summary>Y values.</summary>
    public DataArray? Y { get; set; }
    /// <summary>X axis id: "x" (default), "x2", ...</summary>
    public string? XAxis { get; set; }
    /// <summary>Y axis id: "y" (default), "y2", ...</summary>
    public string? YAxis { get; set; }

    private protected void WriteCartesian(Utf8JsonWriter w)
    {
        WriteLegend(w);
        w.Opt("x", X);
        w.Opt("y", Y);
        w.Opt("xaxis", XAxis);
        w.Opt("yaxis", YAxis);
    }

    internal override string Summary => base.Summary + $" ({(X ?? Y)?.Count ?? 0} points)";
}

/// <summary>Which parts of a scatter trace are drawn.</summary>
[Flags]
public enum ScatterMode
{
    /// <summary>Nothing but hover ("none").</summary>
    None = 0,
    /// <summary>Connecting lines.</summary>
    Lines = 1,
    /// <summary>Point markers.</summary>
    Markers = 2,
    /// <summary>Text labels from <see cref="LegendTrace.Text"/>.</summary>
    Text = 4,
}

/// <summary>Points and lines (plotly <c>scatter</c>): line charts, scatter plots, bubble charts.</summary>
public sealed class Scatter : CartesianTrace
{
    /// <inheritdoc/>
    public override string Type => "scatter";
    /// <summary>Lines, markers, text or a combination; null lets plotly choose by point count.</summary>
    public ScatterMode? Mode { get; set; }
    /// <summary>Line style.</summary>
    public Line? Line { get; set; }
    /// <summary>Marker style.</summary>
    public Marker? Marker { get; set; }
    /// <summary>Text label position: "top center", "middle right", ...</summary>
    public string? TextPosition { get; set; }
    /// <summary>Area fill: "none", "tozeroy", "tonexty", "toself", ...</summary>
    public string? Fill { get; set; }
    /// <summary>Stacks the y values of all traces with the same group (stacked areas).</summary>
    public string? StackGroup { get; set; }
    /// <summary>Whether gaps (null values) are bridged by the line.</summary>
    public bool? ConnectGaps { get; set; }

    private protected override void WriteAttributes(Utf8JsonWriter w)
    {
        WriteCartesian(w);
        if (Mode is { } m) w.WriteString("mode", ModeCode(m));
        w.Opt("line", Line);
        w.Opt("marker", Marker);
        w.Opt("textposition", TextPosition);
        w.Opt("fill", Fill);
        w.Opt("stackgroup", StackGroup);
        w.Opt("connectgaps", ConnectGaps);
    }

    private static string ModeCode(ScatterMode m)
    {
        if (m == ScatterMode.None) return "none";
        var parts = new List<string>(3);
        if (m.HasFlag(ScatterMode.Lines)) parts.Add("lines");
        if (m.HasFlag(ScatterMode.Markers)) parts.Add("markers");
        if (m.HasFlag(ScatterMode.Text)) parts.Add("text");
        return string.Join('+', parts);
    }
}

/// <summary>Bars (plotly <c>bar</c>); stacking and grouping are set by <see cref="Layout.BarMode"/>.</summary>
public sealed class Bar : CartesianTrace
{
    /// <inheritdoc/>
    public override string Type => "bar";
    /// <summary>Vertical (categories on x) or horizontal (categories on y).</summary>
    public Orientation? Orientation { get; set; }
    /// <summary>Where each bar starts instead of zero (timelines draw durations from a start date).</summary>
    public DataArray? Base { get; set; }
    /// <summary>Fill and outline.</summary>
    public Marker? Marker { get; set; }
    /// <summary>Where <see cref="LegendTrace.Text"/> is drawn: "inside", "outside", "auto", "none".</summary>
    public string? TextPosition { get; set; }

    private protected override void WriteAttributes(Utf8JsonWriter w)
    {
        WriteCartesian(w);
        if (Orientation is { } o) w.WriteString("orientation", OrientationCode(o));
        w.Opt("base", Base);
        w.Opt("marker", Marker);
        w.Opt("textposition", TextPosition);
    }
}

/// <summary>A histogram binned by plotly in the browser (plotly <c>histogram</c>).</summary>
public sealed class Histogram : CartesianTrace
{
    /// <inheritdoc/>
    public override string Type => "histogram";
    /// <summary>Maximum number of x bins (plotly picks nice edges).</summary>
    public int? NBinsX { get; set; }
    /// <summary>Maximum number of y bins (horizontal histograms).</summary>
    public int? NBinsY { get; set; }
    /// <summary>Normalization: "" (counts), "percent", "probability", "density", "probability density".</summary>
    public string? HistNorm { get; set; }
    /// <summary>Aggregate of y per bin when y is given: "count", "sum", "avg", "min", "max".</summary>
    public string? HistFunc { get; set; }
    /// <summary>Vertical (bins along x) or horizontal (bins along y).</summary>
    public Orientation? Orientation { get; set; }
    /// <summary>Fill and outline.</summary>
    public Marker? Marker { get; set; }

    private protected override void WriteAttributes(Utf8JsonWriter w)
    {
        WriteCartesian(w);
        w.Opt("nbinsx", NBinsX);
        w.Opt("nbinsy", NBinsY);
        w.Opt("histnorm", HistNorm);
        w.Opt("histfunc", HistFunc);
        if (Orientation is { } o) w.WriteString("orientation", OrientationCode(o));
        w.Opt("marker", Marker);
    }
}

/// <summary>Box plots (plotly <c>box</c>): one box per distinct x (or one for the whole trace).</summary>
public sealed class Box : CartesianTrace
{
    /// <inheritdoc/>
    public override string Type => "box";
    /// <summary>Which points to draw beside the box: "all", "outliers", "suspectedoutliers"; null for plotly's default.</summary>
    public string? BoxPoints { get; set; }
    /// <summary>Whether the mean is drawn as a dashed line.</summary>
    public bool? BoxMean { get; set; }
    /// <summary>Vertical or horizontal boxes.</summary>
    public Orientation? Orientation { get; set; }
    /// <summary>Point style.</summary>
    public Marker? Marker { get; set; }
    /// <summary>Box outline.</summary>
    public Line? Line { get; set; }

    private protected override void WriteAttributes(Utf8JsonWriter w)
    {
        WriteCartesian(w);
        w.Opt("boxpoints", BoxPoints);
        w.Opt("boxmean", BoxMean);
        if (Orientation is { } o) w.WriteString("orientation", OrientationCode(o));
        w.Opt("marker", Marker);
        w.Opt("line", Line);
    }
}

/// <summary>A colour-coded matrix (plotly <c>heatmap</c>): <see cref="Z"/>[row][column] with row labels on y and column labels on x.</summary>
public sealed class Heatmap : CartesianTrace
{
    /// <inheritdoc/>
    public override string Type => "heatmap";
    /// <summary>Cell values by row then column; null cells are gaps.</summary>
    public double?[][]? Z { get; set; }
    /// <summary>Colour scale name: "Viridis", "Blues", "YlOrRd", ...</summary>
    public string? ColorScale { get; set; }
    /// <summary>Whether the colour bar is drawn.</summary>
    public bool? ShowScale { get; set; }
    /// <summary>Lower end of the colour range.</summary>
    public double? ZMin { get; set; }
    /// <summary>Upper end of the colour range.</summary>
    public double? ZMax { get; set; }
    /// <summary>Whether hovering a null cell shows a label.</summary>
    public bool? HoverOnGaps { get; set; }
    /// <summary>Pixels between columns.</summary>
    public double? XGap { get; set; }
    /// <summary>Pixels between rows.</summary>
    public double? YGap { get; set; }

    private protected override void WriteAttributes(Utf8JsonWriter w)
    {
        WriteCartesian(w);
        if (Z is not null)
        {
            w.WriteStartArray("z");
            foreach (var row in Z)
            {
                w.WriteStartArray();
                foreach (var v in row) DataArray.WriteValue(w, DataArray.Normalize(v));
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.Opt("colorscale", ColorScale);
        w.Opt("showscale", ShowScale);
        w.Opt("zmin", ZMin);
        w.Opt("zmax", ZMax);
        w.Opt("hoverongaps", HoverOnGaps);
        w.Opt("xgap", XGap);
        w.Opt("ygap", YGap);
    }

    internal override string Summary => $"heatmap{(Name is null ? "" : $" '{Name}'")} ({Z?.Length ?? 0}×{(Z is { Length: > 0 } ? Z[0].Length : 0)})";
}

/// <summary>Slice fill for pies (plotly <c>pie.marker</c>).</summary>
public sealed class PieMarker : IPlotlyObject
{
    /// <summary>One CSS colour per slice.</summary>
    public DataArray? Colors { get; set; }
    /// <summary>Slice outline.</summary>
    public Outline? Line { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("colors", Colors);
        w.Opt("line", Line);
    }
}

/// <summary>A pie or donut (plotly <c>pie</c>).</summary>
public sealed class Pie : LegendTrace
{
    /// <inheritdoc/>
    public override string Type => "pie";
    /// <summary>Slice labels.</summary>
    public DataArray? Labels { get; set; }
    /// <summary>Slice sizes.</summary>
    public DataArray? Values { get; set; }
    /// <summary>Hole fraction 0..1 (donut when &gt; 0).</summary>
    public double? Hole { get; set; }
    /// <summary>Text on slices: "label", "percent", "value", "label+percent", "none", ...</summary>
    public string? TextInfo { get; set; }
    /// <summary>Whether slices are sorted by size (plotly's default true).</summary>
    public bool? Sort { get; set; }
    /// <summary>Slice colours and outline.</summary>
    public PieMarker? Marker { get; set; }
    /// <summary>Position on the page.</summary>
    public Domain? Domain { get; set; }

    private protected override void WriteAttributes(Utf8JsonWriter w)
    {
        WriteLegend(w);
        w.Opt("labels", Labels);
        w.Opt("values", Values);
        w.Opt("hole", Hole);
        w.Opt("textinfo", TextInfo);
        w.Opt("sort", Sort);
        w.Opt("marker", Marker);
        w.Opt("domain", Domain);
    }

    internal override string Summary => base.Summary + $" ({Labels?.Count ?? 0} slices)";
}

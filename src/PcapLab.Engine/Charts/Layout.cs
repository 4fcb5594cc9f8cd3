using System.Text.Json;

namespace PcapLab.Charts;

/// <summary>Axis scale (plotly <c>axis.type</c>).</summary>
public enum AxisType
{
    /// <summary>Linear numbers.</summary>
    Linear,
    /// <summary>Logarithmic.</summary>
    Log,
    /// <summary>Dates and times.</summary>
    Date,
    /// <summary>Categories in order of appearance (or <see cref="Axis.CategoryOrder"/>).</summary>
    Category,
}

/// <summary>How bars at the same position are combined (plotly <c>layout.barmode</c>).</summary>
public enum BarMode
{
    /// <summary>Side by side.</summary>
    Group,
    /// <summary>On top of each other.</summary>
    Stack,
    /// <summary>Drawn over each other.</summary>
    Overlay,
    /// <summary>Stacked, negatives below zero.</summary>
    Relative,
}

/// <summary>An x or y axis (plotly <c>layout.xaxis</c>, <c>layout.yaxis2</c>, ...).</summary>
public sealed class Axis : IPlotlyObject
{
    /// <summary>Axis title.</summary>
    public string? Title { get; set; }
    /// <summary>Scale; null lets plotly infer it from the data.</summary>
    public AxisType? Type { get; set; }
    /// <summary>Visible range [from, to] (numbers, or date strings on date axes; log axes take exponents).</summary>
    public DataArray? Range { get; set; }
    /// <summary>Automatic range: true, false or "reversed" via <see cref="Reversed"/>.</summary>
    public bool? AutoRange { get; set; }
    /// <summary>Reverses the automatic range (top-to-bottom category lists on y).</summary>
    public bool Reversed { get; set; }
    /// <summary>Whether grid lines are drawn.</summary>
    public bool? ShowGrid { get; set; }
    /// <summary>Whether the zero line is drawn.</summary>
    public bool? ZeroLine { get; set; }
    /// <summary>Whether tick labels are drawn.</summary>
    public bool? ShowTickLabels { get; set; }
    /// <summary>False hides the whole axis.</summary>
    public bool? Visible { get; set; }
    /// <summary>d3 tick format, e.g. "~s" (SI), ",d", "%H:%M".</summary>
    public string? TickFormat { get; set; }
    /// <summary>Tick label angle in degrees.</summary>
    public double? TickAngle { get; set; }
    /// <summary>Category order: "trace", "category ascending", "total descending", ...</summary>
    public string? CategoryOrder { get; set; }
    /// <summary>Fraction [from, to] of the plot area this axis spans (facets set it).</summary>
    public double[]? Domain { get; set; }
    /// <summary>The crossing axis this one is drawn against ("y2" for xaxis2), or "free".</summary>
    public string? Anchor { get; set; }
    /// <summary>Another axis id whose range this one follows ("x" for shared facets).</summary>
    public string? Matches { get; set; }
    /// <summary>Whether the margin grows to fit long tick labels.</summary>
    public bool? AutoMargin { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Title(Title);
        if (Type is { } t) w.WriteString("type", t switch { AxisType.Log => "log", AxisType.Date => "date", AxisType.Category => "category", _ => "linear" });
        w.Opt("range", Range);
        if (Reversed) w.WriteString("autorange", "reversed");
        else w.Opt("autorange", AutoRange);
        w.Opt("showgrid", ShowGrid);
        w.Opt("zeroline", ZeroLine);
        w.Opt("showticklabels", ShowTickLabels);
        w.Opt("visible", Visible);
        w.Opt("tickformat", TickFormat);
        w.Opt("tickangle", TickAngle);
        w.Opt("categoryorder", CategoryOrder);
        w.Opt("domain", Domain);
        w.Opt("anchor", Anchor);
        w.Opt("matches", Matches);
        w.Opt("automargin", AutoMargin);
    }
}

/// <summary>The legend box (plotly <c>layout.legend</c>).</summary>
public sealed class Legend : IPlotlyObject
{
    /// <summary>Legend title.</summary>
    public string? Title { get; set; }
    /// <summary>Vertical (default) or horizontal entries.</summary>
    public Orientation? Orientation { get; set; }
    /// <summary>Position in paper fractions (may be outside 0..1).</summary>
    public double? X { get; set; }
    /// <summary>Position in paper fractions (may be outside 0..1).</summary>
    public double? Y { get; set; }
    /// <summary>Which side of the box <see cref="X"/> refers to: "auto", "left", "center", "right".</summary>
    public string? XAnchor { get; set; }
    /// <summary>Which side of the box <see cref="Y"/> refers to: "auto", "top", "middle", "bottom".</summary>
    public string? YAnchor { get; set; }
    /// <summary>Entry order: "normal", "reversed", "grouped", ...</summary>
    public string? TraceOrder { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Title(Title);
        if (Orientation is { } o) w.WriteString("orientation", o == Charts.Orientation.Horizontal ? "h" : "v");
        w.Opt("x", X);
        w.Opt("y", Y);
        w.Opt("xanchor", XAnchor);
        w.Opt("yanchor", YAnchor);
        w.Opt("traceorder", TraceOrder);
    }
}

/// <summary>Space around the plot area in pixels (plotly <c>layout.margin</c>).</summary>
public sealed class Margin : IPlotlyObject
{
    /// <summary>Left.</summary>
    public double? L { get; set; }
    /// <summary>Right.</summary>
    public double? R { get; set; }
    /// <summary>Top.</summary>
    public double? T { get; set; }
    /// <summary>Bottom.</summary>
    public double? B { get; set; }
    /// <summary>Between the plot area and the axis lines.</summary>
    public double? Pad { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("l", L);
        w.Opt("r", R);
        w.Opt("t", T);
        w.Opt("b", B);
        w.Opt("pad", Pad);
    }
}

/// <summary>Plotly's own subplot grid (plotly <c>layout.grid</c>); <see cref="Figure.Facets"/> lays out axes explicitly instead.</summary>
public sealed class Grid : IPlotlyObject
{
    /// <summary>Number of rows.</summary>
    public int? Rows { get; set; }
    /// <summary>Number of columns.</summary>
    public int? Columns { get; set; }
    /// <summary>"independent" (an axis pair per cell) or "coupled" (shared x per column, y per row).</summary>
    public string? Pattern { get; set; }
    /// <summary>"top to bottom" or "bottom to top".</summary>
    public string? RowOrder { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("rows", Rows);
        w.Opt("columns", Columns);
        w.Opt("pattern", Pattern);
        w.Opt("roworder", RowOrder);
    }
}

/// <summary>A text note on the figure (plotly <c>layout.annotations[i]</c>), e.g. a facet's title.</summary>
public sealed class Annotation : IPlotlyObject
{
    /// <summary>The text (plotly accepts a few tags: &lt;b&gt;, &lt;br&gt;, ...).</summary>
    public string? Text { get; set; }
    /// <summary>Horizontal position in <see cref="XRef"/> units.</summary>
    public double? X { get; set; }
    /// <summary>Vertical position in <see cref="YRef"/> units.</summary>
    public double? Y { get; set; }
    /// <summary>"paper" (fractions of the plot area) or an axis id such as "x2".</summary>
    public string? XRef { get; set; }
    /// <summary>"paper" (fractions of the plot area) or an axis id such as "y2".</summary>
    public string? YRef { get; set; }
    /// <summary>"auto", "left", "center", "right".</summary>
    public string? XAnchor { get; set; }
    /// <summary>"auto", "top", "middle", "bottom".</summary>
    public string? YAnchor { get; set; }
    /// <summary>Whether an arrow points at (X, Y).</summary>
    public bool? ShowArrow { get; set; }
    /// <summary>Font.</summary>
    public Font? Font { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("text", Text);
        w.Opt("x", X);
        w.Opt("y", Y);
        w.Opt("xref", XRef);
        w.Opt("yref", YRef);
        w.Opt("xanchor", XAnchor);
        w.Opt("yanchor", YAnchor);
        w.Opt("showarrow", ShowArrow);
        w.Opt("font", Font);
    }
}

/// <summary>Everything about a figure that is not data (plotly <c>layout</c>).</summary>
public sealed class Layout : IPlotlyObject
{
    private readonly SortedDictionary<int, Axis> _x = [], _y = [];

    /// <summary>Figure title.</summary>
    public string? Title { get; set; }
    /// <summary>The first x axis (plotly <c>xaxis</c>).</summary>
    public Axis XAxis { get => XAxisAt(1); set => _x[1] = value; }
    /// <summary>The first y axis (plotly <c>yaxis</c>).</summary>
    public Axis YAxis { get => YAxisAt(1); set => _y[1] = value; }
    /// <summary>X axis number <paramref name="n"/> (1 = <c>xaxis</c>, 2 = <c>xaxis2</c>, ...), created on first use.</summary>
    public Axis XAxisAt(int n) => AxisAt(_x, n);
    /// <summary>Y axis number <paramref name="n"/> (1 = <c>yaxis</c>, 2 = <c>yaxis2</c>, ...), created on first use.</summary>
    public Axis YAxisAt(int n) => AxisAt(_y, n);
    /// <summary>Legend placement.</summary>
    public Legend? Legend { get; set; }
    /// <summary>Whether the legend shows at all.</summary>
    public bool? ShowLegend { get; set; }
    /// <summary>Default trace colours, cycled in trace order.</summary>
    public IReadOnlyList<string>? Colorway { get; set; }
    /// <summary>How bars at one position combine.</summary>
    public BarMode? BarMode { get; set; }
    /// <summary>How boxes at one position combine: "group" or "overlay".</summary>
    public string? BoxMode { get; set; }
    /// <summary>Height in pixels.</summary>
    public double? Height { get; set; }
    /// <summary>Width in pixels; null fills the container.</summary>
    public double? Width { get; set; }
    /// <summary>Margins.</summary>
    public Margin? Margin { get; set; }
    /// <summary>Plotly's subplot grid.</summary>
    public Grid? Grid { get; set; }
    /// <summary>Text notes.</summary>
    public List<Annotation> Annotations { get; } = [];
    /// <summary>Global font.</summary>
    public Font? Font { get; set; }
    /// <summary>Hover mode: "closest", "x", "y", "x unified", "y unified".</summary>
    public string? HoverMode { get; set; }
    /// <summary>Background of the whole figure (plotly <c>paper_bgcolor</c>).</summary>
    public string? PaperBackground { get; set; }
    /// <summary>Background of the plot area (plotly <c>plot_bgcolor</c>).</summary>
    public string? PlotBackground { get; set; }

    /// <summary>Puts <paramref name="x"/> and <paramref name="y"/> in as axis pair number <paramref name="n"/>.</summary>
    internal void SetAxes(int n, Axis x, Axis y)
    {
        _x[n] = x;
        _y[n] = y;
    }

    private static Axis AxisAt(SortedDictionary<int, Axis> axes, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (!axes.TryGetValue(n, out var a)) axes[n] = a = new Axis();
        return a;
    }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Title(Title);
        foreach (var (n, a) in _x) w.Opt(n == 1 ? "xaxis" : $"xaxis{n}", a);
        foreach (var (n, a) in _y) w.Opt(n == 1 ? "yaxis" : $"yaxis{n}", a);
        w.Opt("legend", Legend);
        w.Opt("showlegend", ShowLegend);
        w.Opt("colorway", Colorway);
        if (BarMode is { } b) w.WriteString("barmode", b switch { Charts.BarMode.Stack => "stack", Charts.BarMode.Overlay => "overlay", Charts.BarMode.Relative => "relative", _ => "group" });
        w.Opt("boxmode", BoxMode);
        w.Opt("height", Height);
        w.Opt("width", Width);
        w.Opt("margin", Margin);
        w.Opt("grid", Grid);
        if (Annotations.Count > 0)
        {
            w.WriteStartArray("annotations");
            foreach (IPlotlyObject a in Annotations)
            {
                w.WriteStartObject();
                a.WriteAttributes(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.Opt("font", Font);
        w.Opt("hovermode", HoverMode);
        w.Opt("paper_bgcolor", PaperBackground);
        w.Opt("plot_bgcolor", PlotBackground);
    }
}

using System.Text.Json;

namespace PcapLab.Charts;

/// <summary>Sankey nodes (plotly <c>sankey.node</c>): one label per node, referenced by index from the links.</summary>
public sealed class SankeyNodes : IPlotlyObject
{
    /// <summary>Node labels; a link's source/target is an index into this list.</summary>
    public DataArray? Label { get; set; }
    /// <summary>Node colours: one for all, or one per node.</summary>
    public ColorValue? Color { get; set; }
    /// <summary>Vertical gap between nodes in pixels.</summary>
    public double? Pad { get; set; }
    /// <summary>Node width in pixels.</summary>
    public double? Thickness { get; set; }
    /// <summary>Node outline.</summary>
    public Outline? Line { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("label", Label);
        w.Opt("color", Color);
        w.Opt("pad", Pad);
        w.Opt("thickness", Thickness);
        w.Opt("line", Line);
    }
}

/// <summary>Sankey links (plotly <c>sankey.link</c>): parallel arrays of source index, target index and value.</summary>
public sealed class SankeyLinks : IPlotlyObject
{
    /// <summary>Index of each link's source node.</summary>
    public DataArray? Source { get; set; }
    /// <summary>Index of each link's target node.</summary>
    public DataArray? Target { get; set; }
    /// <summary>Each link's width (flow size).</summary>
    public DataArray? Value { get; set; }
    /// <summary>Link labels shown on hover.</summary>
    public DataArray? Label { get; set; }
    /// <summary>Link colours: one for all, or one per link.</summary>
    public ColorValue? Color { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("source", Source);
        w.Opt("target", Target);
        w.Opt("value", Value);
        w.Opt("label", Label);
        w.Opt("color", Color);
    }
}

/// <summary>A flow diagram (plotly <c>sankey</c>): who sends how much to whom.</summary>
public sealed class Sankey : Trace
{
    /// <inheritdoc/>
    public override string Type => "sankey";
    /// <summary>The nodes.</summary>
    public SankeyNodes Node { get; set; } = new();
    /// <summary>The links between nodes.</summary>
    public SankeyLinks Link { get; set; } = new();
    /// <summary>Flow direction: horizontal (default) or vertical.</summary>
    public Orientation? Orientation { get; set; }
    /// <summary>d3 number format for values, e.g. ",.0f".</summary>
    public string? ValueFormat { get; set; }
    /// <summary>Unit appended to values, e.g. " B".</summary>
    public string? ValueSuffix { get; set; }
    /// <summary>Node dragging: "snap", "perpendicular", "freeform", "fixed".</summary>
    public string? Arrangement { get; set; }
    /// <summary>Position on the page.</summary>
    public Domain? Domain { get; set; }

    private protected override void WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("node", Node);
        w.Opt("link", Link);
        if (Orientation is { } o) w.WriteString("orientation", OrientationCode(o));
        w.Opt("valueformat", ValueFormat);
        w.Opt("valuesuffix", ValueSuffix);
        w.Opt("arrangement", Arrangement);
        w.Opt("domain", Domain);
    }

    internal override string Summary => base.Summary + $" ({Node.Label?.Count ?? 0} nodes, {Link.Source?.Count ?? 0} links)";
}

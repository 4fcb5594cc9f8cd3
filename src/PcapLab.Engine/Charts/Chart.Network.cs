namespace PcapLab.Charts;

public static partial class Chart
{
    /// <summary>
    /// A network graph of edges <paramref name="from"/> → <paramref name="to"/> (e.g. conversations between hosts).
    /// Nodes sit on a circle ordered by weighted degree (busiest first, clockwise from the top), so the same edges always
    /// give the same picture; marker size and colour show each node's weighted degree (<paramref name="weight"/>, or 1 per edge).
    /// Drawn as two scatter traces: the edges as one line trace broken by gaps, the nodes as labelled markers.
    /// </summary>
    public static Figure Network(DataArray from, DataArray to, DataArray? weight = null)
    {
        RequireSameLength((from, nameof(from)), (to, nameof(to)));
        if (weight is not null) RequireSameLength((from, nameof(from)), (weight, nameof(weight)));
        var a = from.AsText();
        var b = to.AsText();
        var w = weight?.AsNumbers();
        var strength = new Dictionary<string, double>();
        var edges = new List<(string A, string B)>();
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] is not { } s || b[i] is not { } d) continue;
            var amount = w is null ? 1 : w[i] ?? 0;
            strength[s] = strength.GetValueOrDefault(s) + amount;
            strength[d] = strength.GetValueOrDefault(d) + amount;
            edges.Add((s, d));
        }
        var nodes = strength.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).ToArray();
        var position = CircularLayout(nodes);

        var ex = new List<double?>(edges.Count * 3);
        var ey = new List<double?>(edges.Count * 3);
        foreach (var (s, d) in edges)
        {
            var (x0, y0) = position[s];
            var (x1, y1) = position[d];
            // A null between segments breaks the line, so one trace draws every edge.
            ex.AddRange([x0, x1, null]);
            ey.AddRange([y0, y1, null]);
        }
        var max = strength.Values.DefaultIfEmpty(1).Max();
        var edgeTrace = new Scatter
        {
            Name = "edges",
            Mode = ScatterMode.Lines,
            X = ex.ToArray(),
            Y = ey.ToArray(),
            Line = new Line { Color = "rgba(120,120,120,0.5)", Width = 1 },
            HoverInfo = "skip",
            ShowLegend = false,
        };
        var nodeTrace = new Scatter
        {
            Name = "nodes",
            Mode = ScatterMode.Markers | ScatterMode.Text,
            X = nodes.Select(n => position[n].X).ToArray(),
            Y = nodes.Select(n => position[n].Y).ToArray(),
            Text = nodes,
            TextPosition = "top center",
            Marker = new Marker
            {
                Sizes = nodes.Select(n => 8 + 22 * Math.Sqrt(strength[n] / (max > 0 ? max : 1))).ToArray(),
                Color = nodes.Select(n => strength[n]).ToArray(),
                ColorScale = "Viridis",
                ShowScale = false,
                Line = new Outline { Color = "white", Width = 1 },
            },
            HoverTemplate = "%{text}<br>weighted degree %{marker.color:,}<extra></extra>",
            ShowLegend = false,
        };
        var fig = new Figure(edgeTrace, nodeTrace);
        fig.Layout.ShowLegend = false;
        fig.Layout.HoverMode = "closest";
        foreach (var axis in new[] { fig.Layout.XAxis, fig.Layout.YAxis })
        {
            axis.ShowGrid = false;
            axis.ZeroLine = false;
            axis.ShowTickLabels = false;
        }
        // Room around the circle for the labels drawn above each node.
        fig.Layout.XAxis.Range = new double[] { -1.3, 1.3 };
        fig.Layout.YAxis.Range = new double[] { -1.2, 1.35 };
        return fig;
    }

    /// <summary>Positions on the unit circle, first node at the top, going clockwise.</summary>
    internal static Dictionary<string, (double X, double Y)> CircularLayout(IReadOnlyList<string> nodes)
    {
        var pos = new Dictionary<string, (double, double)>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            var angle = Math.PI / 2 - 2 * Math.PI * i / Math.Max(1, nodes.Count);
            pos[nodes[i]] = (Math.Round(Math.Cos(angle), 6), Math.Round(Math.Sin(angle), 6));
        }
        return pos;
    }
}

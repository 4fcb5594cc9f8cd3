namespace PcapLab.Charts;

public sealed partial class Figure
{
    /// <summary>
    /// Small multiples: each panel's traces move onto their own axes (<c>xaxis2</c>/<c>yaxis2</c>, ...) in a grid
    /// <paramref name="columns"/> wide, with the panel title above each. Series with the same name keep one colour and
    /// one legend entry across panels. Shared axes follow the first panel's range. The panels are consumed.
    /// Pie and sankey panels take their grid cell as their domain.
    /// </summary>
    public static Figure Facets(IEnumerable<(string Title, Figure Panel)> panels, int columns = 3, bool shareX = true, bool shareY = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var list = panels.ToList();
        var fig = new Figure();
        if (list.Count == 0) return fig;
        var cols = Math.Min(columns, list.Count);
        var rows = (list.Count + cols - 1) / cols;
        const double hGap = 0.06, vGap = 0.1;
        var cellW = (1 - hGap * (cols - 1)) / cols;
        var cellH = (1 - vGap * (rows - 1)) / rows;
        var colors = new Dictionary<string, string>();

        for (var k = 0; k < list.Count; k++)
        {
            var (title, panel) = list[k];
            int row = k / cols, col = k % cols, n = k + 1;
            var x0 = col * (cellW + hGap);
            var y1 = 1 - row * (cellH + vGap);
            double[] xd = [Math.Round(x0, 6), Math.Round(x0 + cellW, 6)], yd = [Math.Round(y1 - cellH, 6), Math.Round(y1, 6)];

            var xa = panel.Layout.XAxis;
            var ya = panel.Layout.YAxis;
            xa.Domain = xd;
            ya.Domain = yd;
            xa.Anchor = n == 1 ? "y" : $"y{n}";
            ya.Anchor = n == 1 ? "x" : $"x{n}";
            if (n > 1 && shareX) xa.Matches = "x";
            if (n > 1 && shareY) ya.Matches = "y";
            // Titles once per row and column of a shared grid: bottom row for x, first column for y.
            var lastRowOfColumn = k + cols >= list.Count;
            if (shareX && !lastRowOfColumn) xa.Title = null;
            if (shareY && col > 0) ya.Title = null;
            fig.Layout.SetAxes(n, xa, ya);

            foreach (var t in panel.Data)
            {
                switch (t)
                {
                    case CartesianTrace c:
                        c.XAxis = n == 1 ? null : $"x{n}";
                        c.YAxis = n == 1 ? null : $"y{n}";
                        break;
                    case Pie p: p.Domain = new Domain { X = xd, Y = yd }; break;
                    case Sankey s: s.Domain = new Domain { X = xd, Y = yd }; break;
                }
                if (t is LegendTrace lt && t.Name is { } name)
                {
                    var first = !colors.ContainsKey(name);
                    if (first) colors[name] = Chart.Palette[colors.Count % Chart.Palette.Count];
                    lt.LegendGroup = name;
                    lt.ShowLegend ??= first;
                    Paint(t, colors[name]);
                }
                fig.Data.Add(t);
            }
            fig.Layout.Annotations.Add(new Annotation
            {
                Text = title, X = Math.Round(x0 + cellW / 2, 6), Y = yd[1], XRef = "paper", YRef = "paper",
                XAnchor = "center", YAnchor = "bottom", ShowArrow = false,
            });
            fig.Layout.BarMode ??= panel.Layout.BarMode;
            fig.Layout.BoxMode ??= panel.Layout.BoxMode;
        }
        fig.Layout.Height = Math.Max(450, 300 * rows + 100);
        return fig;
    }

    /// <summary>Gives a series its facet-wide colour unless the caller already chose one.</summary>
    private static void Paint(Trace t, string color)
    {
        switch (t)
        {
            case Scatter s:
                s.Marker ??= new Marker();
                s.Marker.Color ??= color;
                s.Line ??= new Line();
                s.Line.Color ??= color;
                break;
            case Bar b: (b.Marker ??= new Marker()).Color ??= color; break;
            case Histogram h: (h.Marker ??= new Marker()).Color ??= color; break;
            case Box x: (x.Marker ??= new Marker()).Color ??= color; break;
        }
    }
}

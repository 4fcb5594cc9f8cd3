namespace PcapLab.Charts;

/// <summary>
/// Ready figures from columns (arrays, lists, or <see cref="DataArray.From{T}(IEnumerable{T})"/>), the way plotly express builds them.
/// A <c>color</c> column splits the data into one trace per distinct value (first-seen order), each a legend entry.
/// Every builder returns a <see cref="Figure"/> that can be changed further or combined with <see cref="Figure.Add"/>.
/// </summary>
public static partial class Chart
{
    /// <summary>plotly.js's default trace colours (d3 category10), used where a builder assigns colours itself.</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>A line chart: one line per distinct <paramref name="color"/> value, or one named <paramref name="name"/>.</summary>
    public static Figure Line(DataArray x, DataArray y, string? name = null, DataArray? color = null) =>
        Cartesian(x, y, name, color, () => new Scatter { Mode = ScatterMode.Lines });

    /// <summary>A scatter plot; <paramref name="size"/> makes it a bubble chart, <paramref name="text"/> labels points on hover.</summary>
    public static Figure Scatter(DataArray x, DataArray y, string? name = null, DataArray? color = null, DataArray? size = null, DataArray? text = null)
    {
        var fig = Cartesian(x, y, name, color, () => new Scatter { Mode = ScatterMode.Markers }, (t, rows) =>
        {
            if (size is not null) ((Scatter)t).Marker = new Marker { Sizes = BubbleSizes(size.Select(rows)), Opacity = 0.7 };
            if (text is not null) t.Text = text.Select(rows);
        });
        return fig;
    }

    /// <summary>
    /// A bar chart with categories <paramref name="x"/> and values <paramref name="y"/>; <paramref name="horizontal"/> draws
    /// the categories down the vertical axis (top to bottom in the given order), as top-N lists read best.
    /// </summary>
    public static Figure Bar(DataArray x, DataArray y, string? name = null, DataArray? color = null, bool horizontal = false, BarMode mode = BarMode.Group)
    {
        var fig = Cartesian(horizontal ? y : x, horizontal ? x : y, name, color,
            () => new Bar { Orientation = horizontal ? Orientation.Horizontal : null });
        fig.Layout.BarMode = mode;
        if (horizontal)
        {
            fig.Layout.YAxis.Reversed = true;
            fig.Layout.YAxis.AutoMargin = true;
            if (x.Kind != DataKind.Date) fig.Layout.YAxis.Type = AxisType.Category;
        }
        else if (x.Kind == DataKind.Text) fig.Layout.XAxis.Type = AxisType.Category;
        return fig;
    }

    /// <summary>A histogram of <paramref name="x"/>, binned by plotly into at most <paramref name="bins"/> bins; colour groups overlay.</summary>
    public static Figure Histogram(DataArray x, string? name = null, DataArray? color = null, int? bins = null)
    {
        var fig = new Figure();
        foreach (var (key, rows) in Groups(color, x.Count))
            fig.Data.Add(new Histogram { X = Pick(x, rows), Name = key ?? name, LegendGroup = key, NBinsX = bins, Opacity = color is null ? null : 0.6 });
        if (color is not null) fig.Layout.BarMode = BarMode.Overlay;
        return fig;
    }

    /// <summary>A pie of <paramref name="values"/> per label; <paramref name="hole"/> &gt; 0 makes a donut.</summary>
    public static Figure Pie(DataArray labels, DataArray values, string? name = null, double hole = 0) =>
        new(new Pie { Labels = labels, Values = values, Name = name, Hole = hole > 0 ? hole : null, TextInfo = "label+percent" });

    /// <summary>A box per distinct <paramref name="x"/> (or one box) of the values <paramref name="y"/>; all points drawn beside.</summary>
    public static Figure Box(DataArray y, DataArray? x = null, string? name = null, DataArray? color = null)
    {
        var fig = new Figure();
        foreach (var (key, rows) in Groups(color, y.Count))
            fig.Data.Add(new Box { Y = Pick(y, rows), X = x is null ? null : Pick(x, rows), Name = key ?? name, LegendGroup = key, BoxPoints = "outliers" });
        if (color is not null && x is not null) fig.Layout.BoxMode = "group";
        return fig;
    }

    /// <summary>A heatmap with column labels <paramref name="xLabels"/>, row labels <paramref name="yLabels"/> and cells <paramref name="z"/>[row][column].</summary>
    public static Figure Heatmap(IEnumerable<string> xLabels, IEnumerable<string> yLabels, double?[][] z)
    {
        var xs = xLabels.ToArray();
        var ys = yLabels.ToArray();
        if (z.Length != ys.Length || z.Any(r => r.Length != xs.Length))
            throw new ArgumentException($"z must be {ys.Length} rows of {xs.Length} values (one row per y label, one column per x label)", nameof(z));
        var fig = new Figure(new Heatmap { X = xs, Y = ys, Z = z, ColorScale = "Viridis", HoverOnGaps = false });
        fig.Layout.XAxis.Type = AxisType.Category;
        fig.Layout.YAxis.Type = AxisType.Category;
        fig.Layout.XAxis.AutoMargin = true;
        fig.Layout.YAxis.AutoMargin = true;
        return fig;
    }

    /// <summary>
    /// A heatmap from long-form rows (e.g. src_ip, dst_ip, bytes): one column per distinct <paramref name="x"/>, one row per
    /// distinct <paramref name="y"/> (first-seen order), cells summing <paramref name="z"/>; missing pairs stay empty.
    /// </summary>
    public static Figure Heatmap(DataArray x, DataArray y, DataArray z)
    {
        RequireSameLength((x, nameof(x)), (y, nameof(y)), (z, nameof(z)));
        var xKeys = x.AsText();
        var yKeys = y.AsText();
        var values = z.AsNumbers();
        var cols = Distinct(xKeys);
        var rows = Distinct(yKeys);
        var matrix = rows.Select(_ => new double?[cols.Count]).ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            if (xKeys[i] is not { } xk || yKeys[i] is not { } yk || values[i] is not { } v) continue;
            ref var cell = ref matrix[rows[yk]][cols[xk]];
            cell = (cell ?? 0) + v;
        }
        return Heatmap(cols.Keys, rows.Keys, matrix);
    }

    /// <summary>
    /// A timeline (Gantt): one horizontal bar per row from <paramref name="start"/> to <paramref name="end"/> on the
    /// <paramref name="task"/> line, as plotly express's timeline draws it (duration in milliseconds over a date base).
    /// </summary>
    public static Figure Timeline(DataArray task, DataArray start, DataArray end, DataArray? color = null)
    {
        RequireSameLength((task, nameof(task)), (start, nameof(start)), (end, nameof(end)));
        if (start.Kind is not (DataKind.Date or DataKind.Empty) || end.Kind is not (DataKind.Date or DataKind.Empty))
            throw new ArgumentException("timeline start and end must be timestamps (DateTime or DateTimeOffset)");
        var fig = new Figure();
        foreach (var (key, rows) in Groups(color, task.Count))
        {
            var durations = rows.Select(i => start[i] is DateTime s && end[i] is DateTime e ? (e - s).TotalMilliseconds : (double?)null).ToArray();
            fig.Data.Add(new Bar
            {
                Orientation = Orientation.Horizontal,
                Base = Pick(start, rows),
                X = durations,
                Y = Pick(task, rows),
                Name = key,
                LegendGroup = key,
                ShowLegend = key is not null,
                Text = rows.Select(i => start[i] is DateTime s && end[i] is DateTime e ? $"{DataArray.FormatDate(s)} → {DataArray.FormatDate(e)}" : null).ToArray(),
                TextPosition = "none",
                HoverTemplate = "%{y}<br>%{text}<br>%{x:,.0f} ms<extra></extra>",
            });
        }
        fig.Layout.BarMode = BarMode.Overlay;
        fig.Layout.XAxis.Type = AxisType.Date;
        fig.Layout.YAxis.Type = AxisType.Category;
        fig.Layout.YAxis.Reversed = true;
        fig.Layout.YAxis.AutoMargin = true;
        return fig;
    }

    /// <summary>A sankey of <paramref name="value"/> flowing from <paramref name="source"/> to <paramref name="target"/>; repeated pairs are summed.</summary>
    public static Figure Sankey(DataArray source, DataArray target, DataArray value)
    {
        RequireSameLength((source, nameof(source)), (target, nameof(target)), (value, nameof(value)));
        var src = source.AsText();
        var dst = target.AsText();
        var v = value.AsNumbers();
        var nodes = new Dictionary<string, int>();
        var links = new Dictionary<(int, int), double>();
        for (var i = 0; i < v.Length; i++)
        {
            if (src[i] is not { } s || dst[i] is not { } d || v[i] is not { } amount) continue;
            var key = (Index(nodes, s), Index(nodes, d));
            links[key] = links.GetValueOrDefault(key) + amount;
        }
        var labels = nodes.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        return new Figure(new Sankey
        {
            Node = new SankeyNodes { Label = labels, Pad = 15, Thickness = 18, Color = labels.Select((_, i) => Palette[i % Palette.Count]).ToArray() },
            Link = new SankeyLinks
            {
                Source = links.Keys.Select(k => k.Item1).ToArray(),
                Target = links.Keys.Select(k => k.Item2).ToArray(),
                Value = links.Values.ToArray(),
                Color = "rgba(120,120,120,0.35)",
            },
            Arrangement = "snap",
        });
    }

    /// <summary>
    /// Splits rows into small multiples: one panel per distinct <paramref name="facetBy"/> value (first-seen order),
    /// each drawn by <paramref name="panel"/> from its rows, laid out <paramref name="columns"/> wide by <see cref="Figure.Facets"/>.
    /// </summary>
    public static Figure FacetWrap<T>(IEnumerable<T> rows, Func<T, object?> facetBy, Func<IReadOnlyList<T>, Figure> panel, int columns = 3, bool shareX = true, bool shareY = true)
    {
        var groups = new List<(string Key, List<T> Rows)>();
        var index = new Dictionary<string, int>();
        foreach (var row in rows)
        {
            var key = DataArray.From([facetBy(row)]).AsText()[0] ?? "(null)";
            if (!index.TryGetValue(key, out var g)) { index[key] = g = groups.Count; groups.Add((key, [])); }
            groups[g].Rows.Add(row);
        }
        return Figure.Facets(groups.Select(g => (g.Key, panel(g.Rows))), columns, shareX, shareY);
    }

    private static Figure Cartesian(DataArray x, DataArray y, string? name, DataArray? color, Func<CartesianTrace> make, Action<CartesianTrace, int[]>? extra = null)
    {
        RequireSameLength((x, nameof(x)), (y, nameof(y)));
        var fig = new Figure();
        foreach (var (key, rows) in Groups(color, x.Count))
        {
            var t = make();
            t.X = Pick(x, rows);
            t.Y = Pick(y, rows);
            t.Name = key ?? name;
            t.LegendGroup = key;
            extra?.Invoke(t, rows);
            fig.Data.Add(t);
        }
        if (x.Kind == DataKind.Date && fig.Data.FirstOrDefault() is Scatter) fig.Layout.XAxis.Type = AxisType.Date;
        return fig;
    }

    /// <summary>Row indexes per distinct colour value in first-seen order; a single null-keyed group without a colour column.</summary>
    internal static List<(string? Key, int[] Rows)> Groups(DataArray? color, int count)
    {
        if (color is null) return [(null, Enumerable.Range(0, count).ToArray())];
        if (color.Count != count) throw new ArgumentException($"color has {color.Count} values but the data has {count}", nameof(color));
        var keys = color.AsText();
        var order = new List<(string? Key, List<int> Rows)>();
        var index = new Dictionary<string, int>();
        for (var i = 0; i < keys.Length; i++)
        {
            var k = keys[i] ?? "(null)";
            if (!index.TryGetValue(k, out var g)) { index[k] = g = order.Count; order.Add((k, [])); }
            order[g].Rows.Add(i);
        }
        return order.Select(g => (g.Key, g.Rows.ToArray())).ToList();
    }

    private static DataArray Pick(DataArray d, int[] rows) => rows.Length == d.Count ? d : d.Select(rows);

    private static DataArray BubbleSizes(DataArray size)
    {
        // Area-proportional bubbles from 6 to 40 px, as a size column rarely comes in pixels.
        var v = size.AsNumbers();
        var max = v.Where(d => d is > 0).DefaultIfEmpty(1).Max()!.Value;
        return v.Select(d => d is { } x && x > 0 ? 6 + 34 * Math.Sqrt(x / max) : (double?)null).ToArray();
    }

    private static Dictionary<string, int> Distinct(string?[] keys)
    {
        var d = new Dictionary<string, int>();
        foreach (var k in keys) if (k is not null) Index(d, k);
        return d;
    }

    private static int Index(Dictionary<string, int> d, string key)
    {
        if (!d.TryGetValue(key, out var i)) d[key] = i = d.Count;
        return i;
    }

    private static void RequireSameLength(params (DataArray Column, string Name)[] columns)
    {
        var n = columns[0].Column.Count;
        foreach (var (c, name) in columns)
            if (c.Count != n) throw new ArgumentException($"{name} has {c.Count} values but {columns[0].Name} has {n}", name);
    }
}

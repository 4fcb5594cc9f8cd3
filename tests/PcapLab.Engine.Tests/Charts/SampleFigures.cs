using PcapLab.Charts;

namespace PcapLab.Engine.Tests.Charts;

/// <summary>One figure per chart kind the builders offer, with the options that change their JSON.</summary>
internal static class SampleFigures
{
    private static readonly DateTime T0 = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    public static IEnumerable<(string Kind, Func<Figure> Build)> All()
    {
        string[] protos = ["tcp", "udp", "tcp", "icmp", "udp", "tcp"];
        DateTime[] times = Enumerable.Range(0, 6).Select(i => T0.AddSeconds(i * 10)).ToArray();
        double[] bytes = [1200, 300, 5400, 84, 610, 990];
        yield return ("line", () => Chart.Line(times, bytes, name: "bytes").WithTitle("Bytes per 10 s").WithAxisTitles("time", "bytes"));
        yield return ("line-by-color", () => Chart.Line(times, bytes, color: protos));
        yield return ("scatter", () => Chart.Scatter(new double[] { 0.1, 2.5, 30, 0.02 }, new double[] { 400, 12000, 9e6, 60 },
            color: new[] { "SF", "SF", "S0", "REJ" }, size: new double[] { 4, 10, 900, 1 }, text: new[] { "a", "b", "c", "d" })
            .WithLayout(l => { l.XAxis.Type = AxisType.Log; l.YAxis.Type = AxisType.Log; }));
        yield return ("bar", () => Chart.Bar(new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" }, new double[] { 9000, 4000, 10 }, name: "bytes"));
        yield return ("bar-horizontal-stacked", () => Chart.Bar(new[] { "a", "b", "a", "b" }, new double[] { 1, 2, 3, 4 },
            color: new[] { "tcp", "tcp", "udp", "udp" }, horizontal: true, mode: BarMode.Stack));
        yield return ("histogram", () => Chart.Histogram(new double[] { 60, 60, 1500, 1500, 1500, 576, 40 }, name: "frame length", bins: 20));
        yield return ("histogram-by-color", () => Chart.Histogram(new double[] { 60, 1500, 40, 576 }, color: protos[..4]));
        yield return ("pie", () => Chart.Pie(new[] { "tcp", "udp", "icmp" }, new double[] { 70, 25, 5 }, hole: 0.4));
        yield return ("heatmap", () => Chart.Heatmap(new[] { "a", "b", "a" }, new[] { "x", "x", "y" }, new double[] { 1, 2, 3 }).WithTitle("src × dst"));
        yield return ("box", () => Chart.Box(new double[] { 1, 2, 3, 50, 2, 3 }, x: protos, color: new[] { "in", "out", "in", "out", "in", "out" }));
        yield return ("timeline", () => Chart.Timeline(new[] { "flow 1", "flow 2", "flow 1" }, times[..3], times[1..4], color: new[] { "SF", "REJ", "SF" }));
        yield return ("sankey", () => Chart.Sankey(new[] { "10.0.0.1", "10.0.0.1", "10.0.0.2" }, new[] { "dns", "https", "https" }, new double[] { 3, 40, 12 }));
        yield return ("network", () => Chart.Network(new[] { "a", "a", "b", "c" }, new[] { "b", "c", "c", "d" }, new double[] { 5, 1, 2, 8 }));
        yield return ("facets", () => Chart.FacetWrap(Enumerable.Range(0, 6), i => protos[i],
            rows => Chart.Bar(rows.Select(i => times[i]).ToArray(), rows.Select(i => bytes[i]).ToArray(), name: "bytes"), columns: 2));
        yield return ("facets-mixed", () => Figure.Facets([
            ("pie", Chart.Pie(new[] { "a", "b" }, new double[] { 1, 2 })),
            ("sankey", Chart.Sankey(new[] { "a" }, new[] { "b" }, new double[] { 1 })),
            ("box", Chart.Box(new double[] { 1, 2, 3 }, name: "rtt")),
        ], columns: 2, shareX: false, shareY: false));
        yield return ("hand-built", () =>
        {
            var fig = new Figure(
                new Scatter { X = new[] { 1, 2, 3 }, Y = new[] { 3, 1, 2 }, Mode = ScatterMode.Lines | ScatterMode.Markers, Fill = "tozeroy",
                    Line = new Line { Dash = "dot", Shape = "spline", Width = 2 }, Marker = new Marker { Symbol = "diamond", Size = 9, Color = "crimson" } },
                new Heatmap { Z = [[1, null], [3, 4]], XGap = 1, YGap = 1, ShowScale = false, ZMin = 0, ZMax = 4 });
            fig.Layout.Legend = new Legend { Orientation = Orientation.Horizontal, X = 0, Y = -0.2, XAnchor = "left", YAnchor = "top", Title = "series" };
            fig.Layout.Margin = new Margin { L = 40, R = 20, T = 40, B = 40, Pad = 2 };
            fig.Layout.Grid = new Grid { Rows = 1, Columns = 1, Pattern = "independent", RowOrder = "top to bottom" };
            fig.Layout.Colorway = Chart.Palette;
            fig.Layout.Font = new Font { Family = "monospace", Size = 11, Color = "#333" };
            fig.Layout.PaperBackground = "white";
            fig.Layout.PlotBackground = "#fafafa";
            fig.Layout.Height = 400;
            fig.Layout.Width = 600;
            fig.Layout.XAxis.Range = new[] { 0, 4 };
            fig.Layout.XAxis.TickFormat = ",d";
            fig.Layout.XAxis.TickAngle = -45;
            fig.Layout.YAxis.CategoryOrder = "total descending";
            fig.Layout.YAxis.Visible = true;
            fig.Config.DisplayModeBar = false;
            fig.Config.StaticPlot = false;
            return fig;
        });
    }
}

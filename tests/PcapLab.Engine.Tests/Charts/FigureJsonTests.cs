using System.Text.Json;
using PcapLab.Charts;

namespace PcapLab.Engine.Tests.Charts;

public class FigureJsonTests
{
    private static JsonElement Json(Figure f) => JsonDocument.Parse(f.ToJson()).RootElement;

    [Fact]
    public void Unset_attributes_are_omitted_and_gaps_become_null()
    {
        var fig = new Figure(new Scatter { X = new double[] { 1, double.NaN, double.PositiveInfinity }, Y = new double?[] { 1, null, 3 } });
        Assert.Equal("""{"data":[{"type":"scatter","x":[1,null,null],"y":[1,null,3]}],"layout":{},"config":{"responsive":true,"displaylogo":false}}""", fig.ToJson());
    }

    [Fact]
    public void Columns_normalize_dates_to_utc_plotly_strings_and_mixed_values_to_text()
    {
        var local = new DateTimeOffset(2024, 5, 1, 14, 0, 0, TimeSpan.FromHours(2));
        DataArray dates = new[] { local };
        Assert.Equal(DataKind.Date, dates.Kind);
        Assert.Equal("[\"2024-05-01 12:00:00.000000\"]", Json(new Figure(new Bar { X = dates })).GetProperty("data")[0].GetProperty("x").GetRawText());
        DataArray mixed = new object?[] { 80, "http", null, 443L };
        Assert.Equal(DataKind.Text, mixed.Kind);
        Assert.Equal(new string?[] { "80", "http", null, "443" }, mixed.AsText().ToArray());
    }

    [Fact]
    public void Color_column_splits_traces_in_first_seen_order()
    {
        var fig = Chart.Bar(new[] { "a", "b", "c" }, new double[] { 1, 2, 3 }, color: new[] { "udp", "tcp", "udp" });
        Assert.Equal(["udp", "tcp"], fig.Data.Select(t => t.Name));
        Assert.Equal(new string?[] { "a", "c" }, ((Bar)fig.Data[0]).X!.AsText().ToArray());
    }

    [Fact]
    public void Heatmap_from_rows_pivots_and_sums_duplicates()
    {
        var fig = Chart.Heatmap(new[] { "d1", "d2", "d1", "d1" }, new[] { "s1", "s1", "s2", "s1" }, new double[] { 1, 2, 3, 4 });
        var h = (Heatmap)fig.Data[0];
        Assert.Equal(new string?[] { "d1", "d2" }, h.X!.AsText().ToArray());
        Assert.Equal(new string?[] { "s1", "s2" }, h.Y!.AsText().ToArray());
        Assert.Equal(new double?[][] { [5, 2], [3, null] }, h.Z);
    }

    [Fact]
    public void Timeline_is_horizontal_bars_of_milliseconds_over_a_date_base()
    {
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var fig = Json(Chart.Timeline(new[] { "f1" }, new[] { t0 }, new[] { t0.AddSeconds(1.5) }));
        var bar = fig.GetProperty("data")[0];
        Assert.Equal("h", bar.GetProperty("orientation").GetString());
        Assert.Equal(1500, bar.GetProperty("x")[0].GetDouble());
        Assert.Equal("2024-01-01 00:00:00.000000", bar.GetProperty("base")[0].GetString());
        Assert.Equal("date", fig.GetProperty("layout").GetProperty("xaxis").GetProperty("type").GetString());
    }

    [Fact]
    public void Sankey_indexes_nodes_and_sums_repeated_links()
    {
        var s = (Sankey)Chart.Sankey(new[] { "a", "a", "b" }, new[] { "b", "b", "c" }, new double[] { 1, 2, 5 }).Data[0];
        Assert.Equal(new string?[] { "a", "b", "c" }, s.Node.Label!.AsText().ToArray());
        Assert.Equal(new double?[] { 0, 1 }, s.Link.Source!.AsNumbers());
        Assert.Equal(new double?[] { 1, 2 }, s.Link.Target!.AsNumbers());
        Assert.Equal(new double?[] { 3, 5 }, s.Link.Value!.AsNumbers());
    }

    [Fact]
    public void Network_layout_is_deterministic_busiest_node_on_top()
    {
        var a = Chart.Network(new[] { "x", "hub", "hub" }, new[] { "hub", "y", "z" }).ToJson();
        var b = Chart.Network(new[] { "x", "hub", "hub" }, new[] { "hub", "y", "z" }).ToJson();
        Assert.Equal(a, b);
        var nodes = (Scatter)Chart.Network(new[] { "x", "hub", "hub" }, new[] { "hub", "y", "z" }).Data[1];
        Assert.Equal("hub", nodes.Text![0]);
        Assert.Equal(0.0, nodes.X![0]);
        Assert.Equal(1.0, nodes.Y![0]);
        var edges = (Scatter)Chart.Network(new[] { "x" }, new[] { "y" }).Data[0];
        Assert.Equal(3, edges.X!.Count); // two ends and the gap
        Assert.Null(edges.X[2]);
    }

    [Fact]
    public void Facets_give_each_panel_its_axes_domain_and_title_and_one_legend_entry_per_series()
    {
        var fig = Chart.FacetWrap(new[] { ("tcp", 1.0), ("udp", 2.0), ("icmp", 3.0) }, r => r.Item1,
            rows => Chart.Bar(rows.Select(r => r.Item1).ToArray(), rows.Select(r => r.Item2).ToArray(), name: "bytes"), columns: 2);
        var json = Json(fig);
        var layout = json.GetProperty("layout");
        Assert.Equal("y3", layout.GetProperty("xaxis3").GetProperty("anchor").GetString());
        Assert.Equal("x", layout.GetProperty("xaxis2").GetProperty("matches").GetString());
        Assert.Equal(0, layout.GetProperty("xaxis3").GetProperty("domain")[0].GetDouble());
        Assert.Equal(["tcp", "udp", "icmp"], layout.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
        var data = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([null, "x2", "x3"], data.Select(d => d.TryGetProperty("xaxis", out var x) ? x.GetString() : null));
        Assert.Equal([true, false, false], data.Select(d => d.GetProperty("showlegend").GetBoolean()));
        Assert.Single(data.Select(d => d.GetProperty("marker").GetProperty("color").GetString()).Distinct());
    }

    [Fact]
    public void Html_fragment_escapes_data_that_would_end_the_script()
    {
        var html = Chart.Bar(new[] { "</script><script>alert(1)</script>" }, new double[] { 1 }).ToHtml(includePlotlyJs: false);
        Assert.DoesNotContain("alert(1)</script>", html);
        Assert.Contains("\\u003C/script\\u003E", html);
        Assert.DoesNotContain("plotly.js v", html);
        Assert.Equal(1, html.Split("<script>").Length - 1);
    }

    [Fact]
    public void Plotly_bundle_is_found_and_is_the_pinned_version()
    {
        var path = PlotlyScript.Locate();
        Assert.True(File.Exists(path));
        // The pin lives in build.sh; the bundle found at run time must be that version.
        var pinned = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(PcapLab.Testing.Repo.Root, "build.sh")),
            @"PLOTLY_NPM_VERSION=(\S+)").Groups[1].Value;
        Assert.NotEmpty(pinned);
        Assert.Equal(pinned, PlotlyScript.Version);
        Assert.DoesNotContain("</script", PlotlyScript.ScriptElement()[8..^9], StringComparison.OrdinalIgnoreCase);
        var tracker = new PlotlyScript();
        Assert.True(tracker.IncludeOnce());
        Assert.False(tracker.IncludeOnce());
    }
}

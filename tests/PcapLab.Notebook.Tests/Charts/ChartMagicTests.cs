using System.Globalization;
using System.Text.Json.Nodes;
using PcapLab.Charts;
using PcapLab.Engine.Tests.Charts;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;
using PcapLab.Testing;

namespace PcapLab.Notebook.Tests.Charts;

/// <summary>
/// #!plot and the analyst chart magics on real loopback captures: every figure validates against plotly.js's own schema
/// and carries data, the drawn values match tshark, usage errors name the problem, and empty tables say what to load.
/// </summary>
public class ChartMagicTests(ChartSession lab) : IClassFixture<ChartSession>
{
    private static void AssertDrawable(JsonObject figure)
    {
        var errors = PlotlySchema.Shared.Validate(figure.ToJsonString());
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var traces = figure["data"]!.AsArray();
        Assert.NotEmpty(traces);
        // Some trace carries values: x, y, labels, z, or sankey/heatmap nodes.
        Assert.Contains(traces, t => new[] { "x", "y", "values", "z" }.Any(k => t![k] is JsonArray { Count: > 0 }) || t!["type"]?.GetValue<string>() == "sankey" && t["link"]!["value"]!.AsArray().Count > 0);
    }

    public static TheoryData<string, string, string> PlotKinds() => new()
    {
        { "bar", "SELECT conn_state, count(*) AS flows FROM flows GROUP BY 1", "#!plot bar --from r --x conn_state --y flows" },
        { "bar (horizontal, stacked)", "SELECT proto, conn_state, count(*) AS flows FROM flows GROUP BY ALL", "#!plot bar --from r --x proto --y flows --color conn_state --horizontal --stack" },
        { "line", "SELECT time_bucket(INTERVAL 1 second, ts::TIMESTAMP) AS t, count(*) AS packets, ip_version FROM packets GROUP BY ALL ORDER BY 1", "#!plot line --from r --x t --y packets --color ip_version" },
        { "scatter", "SELECT duration, orig_ip_bytes, resp_ip_bytes, proto FROM flows WHERE duration > 0", "#!plot scatter --from r --x duration --y orig_ip_bytes --size resp_ip_bytes --color proto --log xy" },
        { "histogram", "SELECT len, ip_version FROM packets", "#!plot histogram --from r --x len --color ip_version --bins 20" },
        { "pie (counted)", "SELECT proto FROM flows", "#!plot pie --from r --x proto" },
        { "pie (values)", "SELECT proto, sum(orig_ip_bytes) AS bytes FROM flows GROUP BY 1", "#!plot pie --from r --x proto --value bytes" },
        { "box", "SELECT proto, duration FROM flows WHERE duration IS NOT NULL", "#!plot box --from r --y duration --x proto" },
        { "heatmap", "SELECT src_ip, dst_ip, sum(len) AS bytes FROM packets WHERE src_ip IS NOT NULL GROUP BY ALL", "#!plot heatmap --from r --x dst_ip --y src_ip --value bytes" },
        { "timeline", "SELECT orig_h || ' → ' || resp_h AS flow, ts, last_ts, conn_state FROM flows", "#!plot timeline --from r --task flow --start ts --end last_ts --color conn_state" },
        { "sankey", "SELECT orig_h, coalesce(service, proto) AS service, sum(orig_ip_bytes) AS bytes FROM flows GROUP BY ALL", "#!plot sankey --from r --source orig_h --target service --value bytes" },
        { "network", "SELECT orig_h, resp_h, count(*) AS flows FROM flows GROUP BY ALL", "#!plot network --from r --source orig_h --target resp_h --weight flows" },
    };

    [Theory]
    [MemberData(nameof(PlotKinds))]
    public async Task Every_plot_kind_draws_a_schema_valid_figure_from_a_named_result(string kind, string sql, string plot)
    {
        var q = await lab.Run("#!sql --name r\n" + sql);
        Assert.Null(q.Failure);
        var run = await lab.Run(plot + " --title \"" + kind + "\"");
        Assert.True(run.Failure is null, run.Failure?.Value);
        AssertDrawable(run.Figure);
        Assert.Equal(kind, run.Figure["layout"]!["title"]!["text"]!.GetValue<string>());
        var bundle = Assert.Single(run.Output.Displays);
        Assert.StartsWith("Figure \"" + kind + "\"", bundle.PlainTextOrEmpty);
        Assert.Contains("Plotly.newPlot", bundle.Data["text/html"]!.GetValue<string>());
    }

    public static TheoryData<string> AnalystMagics() =>
        new("timeline", "timeline --by service --interval 5s", "timeline --by capture", "protocols", "talkers", "talkers --by packets --top 3",
            "ports", "heatmap", "conversations", "flowscatter", "flowscatter --color conn_state", "dnsnames", "snis");

    [Theory]
    [MemberData(nameof(AnalystMagics))]
    public async Task Every_analyst_chart_draws_a_schema_valid_figure(string line)
    {
        var run = await lab.Run("#!" + line);
        Assert.True(run.Failure is null, run.Failure?.Value);
        AssertDrawable(run.Figure);
    }

    [Fact]
    public async Task Plot_from_a_table_reads_only_catalog_checked_quoted_columns()
    {
        var run = await lab.Run("#!plot bar --from FLOWS --x CONN_STATE --y orig_pkts");
        Assert.True(run.Failure is null, run.Failure?.Value);
        AssertDrawable(run.Figure);
        var flows = lab.Session.Lab.Query("SELECT count(*) FROM flows").Scalar;
        Assert.Equal(Convert.ToInt32(flows, CultureInfo.InvariantCulture), run.Figure["data"]![0]!["x"]!.AsArray().Count);

        // A view made in the notebook is a source too.
        Assert.Null((await lab.Run("#!sql\nCREATE OR REPLACE VIEW per_state AS SELECT conn_state, count(*) AS n FROM flows GROUP BY 1")).Failure);
        var view = await lab.Run("#!plot pie --from per_state --x conn_state --y n");
        Assert.True(view.Failure is null, view.Failure?.Value);
        AssertDrawable(view.Figure);
        Assert.Equal(Convert.ToDouble(flows, CultureInfo.InvariantCulture), view.Figure["data"]![0]!["values"]!.AsArray().Sum(v => v!.GetValue<double>()));

        // Text that is no table name never reaches SQL: the table is still there afterwards.
        var evil = await lab.Run("#!plot bar --from \"flows; DROP TABLE flows\" --x proto --y orig_pkts");
        Assert.Equal("MagicUsageError", evil.Failure?.Name);
        Assert.Contains("unknown --from 'flows; DROP TABLE flows'", evil.Failure!.Value);
        var evilColumn = await lab.Run("#!plot bar --from flows --x \"proto\\\"; DROP TABLE flows; --\" --y orig_pkts");
        Assert.Equal("MagicUsageError", evilColumn.Failure?.Name);
        Assert.Equal(flows, lab.Session.Lab.Query("SELECT count(*) FROM flows").Scalar);
    }

    [Fact]
    public async Task Usage_errors_name_the_problem_and_what_is_available()
    {
        await lab.Run("#!sql --name states\nSELECT conn_state, count(*) AS flows FROM flows GROUP BY 1");
        async Task<string> Error(string line)
        {
            var r = await lab.Run(line);
            Assert.True(r.Failure is { Name: "MagicUsageError" }, $"{line}: expected a usage error, got {r.Failure?.Name ?? "success"}");
            return r.Failure!.Value;
        }
        Assert.Equal("--y: no column 'bytes' in states; columns are: conn_state, flows", await Error("#!plot bar --from states --x conn_state --y bytes"));
        Assert.Contains("--x: no column 'nope' in flows; columns are: flow_id, capture_id, ts, last_ts, duration, proto", await Error("#!plot bar --from flows --x nope --y orig_pkts"));
        Assert.Equal("missing required option '--from <result|table>'", await Error("#!plot bar --x conn_state --y flows"));
        var unknown = await Error("#!plot bar --from nosuch --x a --y b");
        Assert.StartsWith("unknown --from 'nosuch': no named result and no table or view of that name; tables and views: ", unknown);
        Assert.Contains("flows", unknown);
        Assert.Contains("named results: ", unknown);
        Assert.Contains("states", unknown);
        Assert.Equal("unknown chart kind 'donut'; kinds are: bar, line, scatter, histogram, pie, box, heatmap, timeline, sankey, network",
            await Error("#!plot donut --from states --x conn_state"));
        Assert.Equal("#!plot bar needs --y <col> (it takes --x, --y, [--color])", await Error("#!plot bar --from states --x conn_state"));
        Assert.Equal("--size does not apply to #!plot bar (it takes --x, --y, [--color])", await Error("#!plot bar --from states --x conn_state --y flows --size flows"));
        Assert.Equal("--y column 'conn_state' holds text; #!plot bar needs numbers there", await Error("#!plot bar --from states --x flows --y conn_state"));
        Assert.Equal("--start column 'conn_state' holds text; #!plot timeline needs timestamps there",
            await Error("#!plot timeline --from states --task conn_state --start conn_state --end conn_state"));
        await lab.Run("#!sql --name one\nSELECT count(*) FROM flows");
        Assert.StartsWith("--from one: the variable holds Int64, not a query result", await Error("#!plot bar --from one --x a --y b"));
        Assert.StartsWith("--from @one: the variable holds Int64", await Error("#!plot bar --from @one --x a --y b"));
        Assert.Equal("--top must be between 1 and 100000", await Error("#!talkers --top 0"));
        Assert.Equal("--by takes bytes, packets, not 'flows'", await Error("#!talkers --by flows"));
        Assert.Equal("--interval '3 parsecs' is not a span such as 500ms, 10s, 1m, 1h or 1d", await Error("#!timeline --interval \"3 parsecs\""));
        Assert.StartsWith("--window: time window 'yesterday' needs the form since/until", await Error("#!dnsnames --window yesterday"));
        Assert.StartsWith("an interval of 1ms gives more than 5,000 bars over ", await Error("#!timeline --interval 1ms"));
    }

    [Fact]
    public async Task Help_comes_from_the_option_definitions()
    {
        var plot = await lab.Run("#!plot -h");
        Assert.Null(plot.Failure);
        Assert.StartsWith("Usage: #!plot --from <result|table> [options] <kind>", plot.Stdout);
        foreach (var o in new[] { "--x <col>", "--y <col>", "--z <col>", "--value <col>", "--color <col>", "--size <col>", "--task <col>", "--start <col>",
                     "--end <col>", "--source <col>", "--target <col>", "--weight <col>", "--title <text>", "--limit <n>", "--horizontal" })
            Assert.Contains(o, plot.Stdout);
        var timeline = await lab.Run("#!timeline --help");
        Assert.Contains("--interval <span>", timeline.Stdout);
        Assert.Contains("--window <since/until>", timeline.Stdout);
    }

    [Fact]
    public async Task Top_dns_names_count_the_queries_tshark_sees()
    {
        // tshark's queries (response flag 0) per name, over the same files; port 5354 (dnsmasq on loopback) decoded as DNS.
        var expected = new Dictionary<string, int>();
        foreach (var file in ChartSession.Captures)
            foreach (var line in TsharkLines("-n", "-r", file, "-d", "udp.port==5354,dns", "-d", "tcp.port==5354,dns", "-Y", "dns.flags.response == 0",
                         "-T", "fields", "-e", "dns.qry.name", "-E", "occurrence=f"))
                if (line.Length > 0) expected[line] = expected.GetValueOrDefault(line) + 1;
        Assert.NotEmpty(expected);

        var run = await lab.Run("#!dnsnames --top 100");
        var drawn = new Dictionary<string, int>();
        foreach (var trace in run.Figure["data"]!.AsArray())
        {
            var names = trace!["y"]!.AsArray();
            var counts = trace["x"]!.AsArray();
            for (var i = 0; i < names.Count; i++) drawn[names[i]!.GetValue<string>()] = drawn.GetValueOrDefault(names[i]!.GetValue<string>()) + (int)counts[i]!.GetValue<double>();
        }
        Assert.Equal(expected.OrderBy(kv => kv.Key), drawn.OrderBy(kv => kv.Key));
    }

    private static List<string> TsharkLines(params string[] args) =>
        [.. Tool.Check("tshark", args).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    [Fact]
    public async Task Top_talkers_bytes_match_tshark_per_address()
    {
        // Frame bytes sent and received per outermost IP address, from tshark's dissection.
        var sent = new Dictionary<string, long>();
        var received = new Dictionary<string, long>();
        foreach (var file in ChartSession.Captures)
            foreach (var row in Tshark.Fields(file, "frame.len", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst"))
            {
                var src = First(row[1]) ?? First(row[3]);
                var dst = First(row[2]) ?? First(row[4]);
                var len = long.Parse(row[0], CultureInfo.InvariantCulture);
                if (src != null) sent[src] = sent.GetValueOrDefault(src) + len;
                if (dst != null) received[dst] = received.GetValueOrDefault(dst) + len;
            }
        var top = sent.Keys.Union(received.Keys).OrderByDescending(h => sent.GetValueOrDefault(h) + received.GetValueOrDefault(h)).ThenBy(h => h, StringComparer.Ordinal).Take(5).ToList();

        var run = await lab.Run("#!talkers --top 5");
        var traces = run.Figure["data"]!.AsArray();
        Dictionary<string, long> Drawn(string name)
        {
            var t = traces.Single(x => x!["name"]!.GetValue<string>() == name)!;
            return t["y"]!.AsArray().Select((h, i) => (h!.GetValue<string>(), (long)t["x"]![i]!.GetValue<double>())).ToDictionary();
        }
        var drawnSent = Drawn("sent");
        var drawnReceived = Drawn("received");
        Assert.Equal(top, drawnSent.Keys.ToList());
        foreach (var h in top)
        {
            Assert.Equal(sent.GetValueOrDefault(h), drawnSent[h]);
            Assert.Equal(received.GetValueOrDefault(h), drawnReceived[h]);
        }

        static string? First(string cell) => cell.Length == 0 ? null : cell.Split(',')[0];
    }

    [Fact]
    public async Task A_figure_returned_by_a_csharp_cell_displays_as_plotly_json_and_plotly_js_travels_once()
    {
        var session = new NotebookSession(() => new Lab());
        session.Lab.Load([.. ChartSession.Captures]);
        var first = await ChartSession.RunIn(session, "#!protocols");
        var firstHtml = Assert.Single(first.Output.Displays).Data["text/html"]!.GetValue<string>();
        Assert.Contains(PlotlyScript.Source[..200], firstHtml);

        var csharp = await ChartSession.RunIn(session, "using PcapLab.Charts;\nvar f = AnalystCharts.Ports(Lab, top: 3);\nf");
        Assert.True(csharp.Failure is null, csharp.Failure?.Value);
        Assert.IsType<Figure>(csharp.Cell.Result);
        // The kernel and the runner format a cell's value this way.
        var bundle = Formatter.ToMimeBundle(csharp.Cell.Result, session.Plotly);
        AssertDrawable(bundle.Data[Figure.PlotlyMimeType]!.AsObject());
        var html = bundle.Data["text/html"]!.GetValue<string>();
        Assert.Contains("Plotly.newPlot", html);
        Assert.DoesNotContain(PlotlyScript.Source[..200], html);
        Assert.StartsWith("Figure \"Top 3 destination ports by flows\"", bundle.PlainTextOrEmpty);

        // Outside any session a figure carries plotly.js itself, so it still draws offline.
        Assert.Contains(PlotlyScript.Source[..200], Formatter.ToMimeBundle(csharp.Cell.Result).Data["text/html"]!.GetValue<string>());
        session.Lab.Dispose();
    }

    [Fact]
    public async Task Named_figures_become_csharp_variables()
    {
        var run = await lab.Run("#!snis --name sniFigure");
        Assert.Null(run.Failure);
        var title = await lab.Run("sniFigure.Layout.Title");
        Assert.Equal(run.Figure["layout"]!["title"]!["text"]!.GetValue<string>(), title.Cell.Result);
    }

    [Fact]
    public async Task Empty_tables_say_what_to_load_instead_of_failing()
    {
        var empty = new NotebookSession(() => new Lab());
        var expected = new Dictionary<string, string>
        {
            ["timeline"] = "no packets rows: load captures first (#!pcap load <files>)",
            ["protocols"] = "no flows rows: load captures first (#!pcap load <files>, without --no-flows)",
            ["talkers"] = "no packets rows: load captures with IP traffic first (#!pcap load <files>)",
            ["ports"] = "no flows rows: load captures with TCP or UDP traffic first (#!pcap load <files>)",
            ["heatmap"] = "no packets rows: load captures with IP traffic first (#!pcap load <files>)",
            ["conversations"] = "no flows rows: load captures first (#!pcap load <files>, without --no-flows)",
            ["flowscatter"] = "no flows rows: load captures first (#!pcap load <files>, without --no-flows)",
            ["dnsnames"] = "no dns rows: load captures with DNS traffic first",
            ["snis"] = "no tls rows: load captures with TLS traffic (ClientHello with a server name) first",
        };
        foreach (var (magic, message) in expected)
        {
            var run = await ChartSession.RunIn(empty, "#!" + magic);
            Assert.True(run.Failure is null, $"#!{magic} failed: {run.Failure?.Value}");
            Assert.Empty(run.Figures);
            Assert.Equal($"#!{magic}: {message}", run.Text);
        }
        empty.Lab.Dispose();

        var outside = await lab.Run("#!dnsnames --window \"2001-01-01 00:00/2001-01-02\"");
        Assert.Equal("#!dnsnames: no dns rows in the window 2001-01-01 00:00:00/2001-01-02 00:00:00: widen the window or load captures with DNS traffic first", outside.Text);
    }

    [Fact]
    public async Task A_window_keeps_the_charts_to_its_time_range()
    {
        var span = lab.Session.Lab.Query("SELECT min(ts)::TIMESTAMP, max(ts)::TIMESTAMP FROM dns");
        var first = (DateTime)span.Rows[0][0]!;
        var inWindow = Convert.ToInt32(lab.Session.Lab.Query("SELECT count(*) FROM dns WHERE ts < $1", first.AddSeconds(1)).Scalar, CultureInfo.InvariantCulture);
        Assert.True(inWindow > 0);
        var window = $"{first.AddSeconds(-1):yyyy-MM-dd HH:mm:ss.ffffff}/{first.AddSeconds(1):yyyy-MM-dd HH:mm:ss.ffffff}";
        var run = await lab.Run($"#!dnsnames --top 100 --window \"{window}\"");
        Assert.True(run.Failure is null, run.Failure?.Value);
        var drawn = run.Figure["data"]!.AsArray().Sum(t => t!["x"]!.AsArray().Sum(v => v!.GetValue<double>()));
        Assert.Equal(inWindow, drawn);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1m", 60_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    public void Intervals_read_as_written_on_a_magic_line(string text, double ms)
    {
        Assert.True(AnalystCharts.TryParseInterval(text, out var t));
        Assert.Equal(ms, t.TotalMilliseconds);
        Assert.Equal(text == "1.5h" ? "90m" : text, AnalystCharts.FormatInterval(t));
    }
}

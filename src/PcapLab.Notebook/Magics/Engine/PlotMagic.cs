using System.Globalization;
using PcapLab.Charts;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;
using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary>
/// <c>#!plot &lt;kind&gt; --from &lt;result | table&gt; --x col --y col ...</c>: draws a chart from a named result
/// (<c>#!sql --name x</c>, or a C# variable holding a <see cref="QueryResult"/>) or from a table or view of the session.
/// </summary>
internal sealed class PlotMagic : Magic
{
    /// <summary>Rows drawn when --limit is not given; browsers slow down well before a million points.</summary>
    public const int DefaultLimit = 50_000;

    /// <summary>A column option a chart kind reads: its option name, whether it must be given, and what it must hold.</summary>
    private sealed record ColumnSlot(string Option, bool Required, DataKind? Needs = null, string? Alias = null);

    private static readonly Dictionary<string, ColumnSlot[]> Kinds = new(StringComparer.Ordinal)
    {
        ["bar"] = [new("x", true), new("y", true, DataKind.Number), new("color", false)],
        ["line"] = [new("x", true), new("y", true, DataKind.Number), new("color", false)],
        ["scatter"] = [new("x", true), new("y", true, DataKind.Number), new("color", false), new("size", false, DataKind.Number)],
        ["histogram"] = [new("x", true), new("color", false)],
        ["pie"] = [new("x", true), new("y", false, DataKind.Number, Alias: "value")],
        ["box"] = [new("y", true, DataKind.Number), new("x", false), new("color", false)],
        ["heatmap"] = [new("x", true), new("y", true), new("z", true, DataKind.Number, Alias: "value")],
        ["timeline"] = [new("task", true), new("start", true, DataKind.Date), new("end", true, DataKind.Date), new("color", false)],
        ["sankey"] = [new("source", true), new("target", true), new("value", true, DataKind.Number)],
        ["network"] = [new("source", true), new("target", true), new("weight", false, DataKind.Number)],
    };

    private static readonly string[] ColumnOptions = ["x", "y", "z", "value", "color", "size", "task", "start", "end", "source", "target", "weight"];

    public override string Name => "plot";
    public override string Description =>
        "Draws a chart from a named result (#!sql --name x, or a C# QueryResult variable) or a table/view: #!plot bar --from talkers --x src_ip --y bytes";
    public override IReadOnlyList<MagicArgument> Arguments =>
        [new("kind", "bar, line, scatter, histogram, pie, box, heatmap, timeline (gantt), sankey or network", Required: true)];
    public override IReadOnlyList<MagicOption> Options =>
    [
        new("from", "A named result (#!sql --name), @variable, or a table/view name", ValueName: "result|table", Required: true),
        new("x", "Column for x (categories, labels for pie, columns for heatmap)", ValueName: "col"),
        new("y", "Column for y (values; pie: slice sizes, counted per label when absent; heatmap: rows)", ValueName: "col"),
        new("z", "Heatmap cell values (summed per x, y)", ValueName: "col"),
        new("value", "Sankey link values; also heatmap z and pie values", ValueName: "col"),
        new("color", "Column splitting the data into coloured series (one legend entry each)", ValueName: "col"),
        new("size", "Scatter: column sizing the markers (bubbles)", ValueName: "col"),
        new("task", "Timeline: column naming each bar's row", ValueName: "col"),
        new("start", "Timeline: column with each bar's start (timestamps)", ValueName: "col"),
        new("end", "Timeline: column with each bar's end (timestamps)", ValueName: "col"),
        new("source", "Sankey/network: column with each link's source", ValueName: "col"),
        new("target", "Sankey/network: column with each link's target", ValueName: "col"),
        new("weight", "Network: column weighting each edge (node size)", ValueName: "col"),
        new("title", "Chart title", ValueName: "text"),
        new("limit", $"Rows drawn at most (default {DefaultLimit:N0})", ValueName: "n"),
        new("bins", "Histogram: number of bins at most", ValueName: "n"),
        new("log", "Logarithmic axes: x, y or xy", ValueName: "axes"),
        new("horizontal", "Bar: categories down the vertical axis", IsFlag: true),
        new("stack", "Bar: stack the colour series instead of grouping them", IsFlag: true),
        new("name", "Also keep the figure under this name for C# cells (change it and display it again)", ValueName: "fig"),
    ];

    public override async Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        var kind = inv.Positional(0)!.Value.Text.ToLowerInvariant();
        if (!Kinds.TryGetValue(kind, out var slots))
            throw new MagicUsageException(Name, $"unknown chart kind '{kind}'; kinds are: {string.Join(", ", Kinds.Keys)}");
        foreach (var o in ColumnOptions.Where(o => inv.Options.ContainsKey(o)))
            if (!slots.Any(s => s.Option == o || s.Alias == o))
                throw new MagicUsageException(Name, $"--{o} does not apply to #!plot {kind} (it takes {Describe(slots)})");
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in slots)
        {
            var col = inv.Get(s.Option) ?? (s.Alias is null ? null : inv.Get(s.Alias));
            if (col is not null) columns[s.Option] = col;
            else if (s.Required) throw new MagicUsageException(Name, $"#!plot {kind} needs --{s.Option} <col> (it takes {Describe(slots)})");
        }
        long limit = inv.GetInt64("limit", DefaultLimit);
        if (limit < 1) throw new MagicUsageException(Name, "--limit must be at least 1");

        var (data, source, total) = Load(inv, cell, columns, (int)Math.Min(limit, int.MaxValue), ct);
        foreach (var s in slots)
        {
            if (s.Needs is not { } needs || !data.TryGetValue(s.Option, out var d) || d.Kind == needs || d.Kind == DataKind.Empty) continue;
            throw new MagicUsageException(Name, $"--{s.Option} column '{columns[s.Option]}' holds {Describe(d.Kind)}; #!plot {kind} needs {Describe(needs)} there");
        }

        var fig = Build(kind, inv, data, columns);
        fig.Layout.Title ??= inv.Get("title") ?? DefaultTitle(kind, columns, source);
        if (inv.Get("log") is { } log)
        {
            if (log is not ("x" or "y" or "xy" or "yx")) throw new MagicUsageException(Name, $"--log takes x, y or xy, not '{log}'");
            if (log.Contains('x')) fig.Layout.XAxis.Type = AxisType.Log;
            if (log.Contains('y')) fig.Layout.YAxis.Type = AxisType.Log;
        }
        if (total > limit) cell.Write($"drawing the first {limit:N0} of {total:N0} rows of {source} (--limit)\n");
        if (inv.Get("name") is { } name) await cell.Session.SetVariableAsync(name, fig, ct).ConfigureAwait(false);
        cell.Display(Formatter.FigureBundle(fig, cell.Session.Plotly));
    }

    private Figure Build(string kind, MagicInvocation inv, Dictionary<string, DataArray> d, Dictionary<string, string> names)
    {
        DataArray? Opt(string o) => d.GetValueOrDefault(o);
        Figure fig;
        try
        {
            fig = kind switch
            {
                "bar" => Chart.Bar(d["x"], d["y"], name: names["y"], color: Opt("color"), horizontal: inv.Has("horizontal"),
                    mode: inv.Has("stack") ? BarMode.Stack : BarMode.Group),
                "line" => Chart.Line(d["x"], d["y"], name: names["y"], color: Opt("color")),
                "scatter" => Chart.Scatter(d["x"], d["y"], name: names["y"], color: Opt("color"), size: Opt("size")),
                "histogram" => Chart.Histogram(d["x"], name: names["x"], color: Opt("color"), bins: Bins(inv)),
                "pie" => Pie(d["x"], Opt("y")),
                "box" => Chart.Box(d["y"], Opt("x"), name: names["y"], color: Opt("color")),
                "heatmap" => Chart.Heatmap(d["x"], d["y"], d["z"]),
                "timeline" => Chart.Timeline(d["task"], d["start"], d["end"], Opt("color")),
                "sankey" => Chart.Sankey(d["source"], d["target"], d["value"]),
                _ => Chart.Network(d["source"], d["target"], Opt("weight")),
            };
        }
        catch (ArgumentException e) { throw new MagicUsageException(Name, e.Message); }
        if (kind is "bar" or "line" or "scatter" or "box" or "heatmap" or "histogram")
        {
            var horizontal = kind == "bar" && inv.Has("horizontal");
            var x = kind == "box" ? names.GetValueOrDefault("x") : names["x"];
            var y = kind == "histogram" ? "rows" : names["y"];
            fig.WithAxisTitles(horizontal ? y : x, horizontal ? x : y);
        }
        return fig;
    }

    private int? Bins(MagicInvocation inv)
    {
        if (inv.Get("bins") is null) return null;
        var n = inv.GetInt64("bins", 0);
        return n is >= 1 and <= 10_000 ? (int)n : throw new MagicUsageException(Name, "--bins must be between 1 and 10000");
    }

    // Without values a pie counts rows per label, the way an analyst reads "share of flows".
    private static Figure Pie(DataArray labels, DataArray? values)
    {
        if (values is not null) return Chart.Pie(labels, values);
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var l in labels.AsText()) counts[l ?? "(null)"] = counts.GetValueOrDefault(l ?? "(null)") + 1;
        return Chart.Pie(counts.Keys.ToArray(), counts.Values.ToArray());
    }

    private static string DefaultTitle(string kind, Dictionary<string, string> c, string source) => kind switch
    {
        "histogram" => $"{c["x"]} ({source})",
        "pie" => c.TryGetValue("y", out var v) ? $"{v} by {c["x"]} ({source})" : $"rows by {c["x"]} ({source})",
        "box" => c.TryGetValue("x", out var bx) ? $"{c["y"]} by {bx} ({source})" : $"{c["y"]} ({source})",
        "heatmap" => $"{c["z"]} by {c["y"]} × {c["x"]} ({source})",
        "timeline" => $"{c["task"]} from {c["start"]} to {c["end"]} ({source})",
        "sankey" => $"{c["value"]} from {c["source"]} to {c["target"]} ({source})",
        "network" => $"{c["source"]} ↔ {c["target"]} ({source})",
        _ => $"{c["y"]} by {c["x"]} ({source})",
    };

    private static string Describe(ColumnSlot[] slots) => string.Join(", ", slots.Select(s =>
        (s.Required ? "" : "[") + "--" + s.Option + (s.Alias is null ? "" : "|--" + s.Alias) + (s.Required ? "" : "]")));

    private static string Describe(DataKind k) => k switch { DataKind.Number => "numbers", DataKind.Date => "timestamps", DataKind.Text => "text", _ => "nothing" };

    /// <summary>The requested columns as chart data, the source's name for titles, and how many rows the source has.</summary>
    private (Dictionary<string, DataArray> Data, string Source, long Total) Load(MagicInvocation inv, CellContext cell,
        Dictionary<string, string> columns, int limit, CancellationToken ct)
    {
        var from = inv.Options["from"];
        var session = cell.Session;
        object? value = from.Value;
        bool isVariable = from.Variable is not null;
        // A bare name is a variable first, then a table; a variable that is no result only wins when no table has the name.
        if (!isVariable && session.TryGetVariable(from.Text, out var v) && (v is QueryResult || !TableExists(session.Lab, from.Text)))
        {
            value = v;
            isVariable = true;
        }
        if (isVariable)
        {
            if (value is not QueryResult result)
                throw new MagicUsageException(Name, $"--from {(from.Variable is { } var ? "@" + var : from.Text)}: the variable holds {(value is null ? "null" : value.GetType().Name)}, not a query result; " +
                    "name a result with #!sql --name <x>, or give a table or view name");
            var data = new Dictionary<string, DataArray>(StringComparer.Ordinal);
            foreach (var (slot, col) in columns)
            {
                int i = result.IndexOf(col);
                if (i < 0) throw UnknownColumn(slot, col, from.Variable ?? from.Text, result.Columns);
                data[slot] = DataArray.From(result.Rows.Take(limit).Select(r => r[i]));
            }
            return (data, from.Variable ?? from.Text, result.Count);
        }
        return LoadTable(from.Text, session, columns, limit, ct);
    }

    private static bool TableExists(Lab lab, string name) => FindTable(lab, name).Count > 0;

    private static QueryResult FindTable(Lab lab, string name) => lab.Query("""
        SELECT schema_name, table_name FROM duckdb_tables() WHERE lower(table_name) = lower($1)
        UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal AND lower(view_name) = lower($1)
        """, name);

    private (Dictionary<string, DataArray>, string, long) LoadTable(string name, NotebookSession session, Dictionary<string, string> columns, int limit, CancellationToken ct)
    {
        var lab = session.Lab;
        var found = FindTable(lab, name);
        if (found.Count == 0)
        {
            var tables = lab.Query("SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1")
                .Rows.Select(r => (string)r[0]!);
            var results = session.Variables.Where(v => v.Value is QueryResult).Select(v => v.Name).ToList();
            throw new MagicUsageException(Name, $"unknown --from '{name}': no named result and no table or view of that name; " +
                $"tables and views: {string.Join(", ", tables)}" + (results.Count > 0 ? $"; named results: {string.Join(", ", results)}" : "; name a query's result with #!sql --name <x>"));
        }
        var schema = (string)found.Rows[0][0]!;
        var table = (string)found.Rows[0][1]!;
        var catalog = lab.Query("SELECT column_name FROM duckdb_columns() WHERE schema_name = $1 AND table_name = $2 ORDER BY column_index", schema, table)
            .Rows.Select(r => (string)r[0]!).ToList();
        var picked = new List<(string Slot, string Column)>();
        foreach (var (slot, col) in columns)
        {
            var match = catalog.FirstOrDefault(c => string.Equals(c, col, StringComparison.OrdinalIgnoreCase))
                ?? throw UnknownColumn(slot, col, table, catalog);
            picked.Add((slot, match));
        }
        // Names come from the catalog and are quoted; nothing the user typed reaches the SQL text.
        var distinct = picked.Select(p => p.Column).Distinct(StringComparer.Ordinal).ToList();
        var sql = $"SELECT {string.Join(", ", distinct.Select(Quote))} FROM {Quote(schema)}.{Quote(table)} LIMIT $1";
        QueryResult rows;
        using (EngineMagics.InterruptDuckDb(session, ct))
        {
            try { rows = lab.Query(sql, int.MaxValue, ct, (long)limit); }
            catch (DuckDbException e) when (e.IsInterrupted || ct.IsCancellationRequested) { throw CellFailure.Interrupted(); }
        }
        var total = Convert.ToInt64(lab.Query($"SELECT count(*) FROM {Quote(schema)}.{Quote(table)}").Scalar, CultureInfo.InvariantCulture);
        var data = picked.ToDictionary(p => p.Slot, p => { int i = distinct.IndexOf(p.Column); return DataArray.From(rows.Rows.Select(r => r[i])); });
        return (data, table, total);
    }

    /// <summary>A SQL identifier in double quotes, inner quotes doubled.</summary>
    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private MagicUsageException UnknownColumn(string slot, string column, string source, IEnumerable<string> available) =>
        new(Name, $"--{slot}: no column '{column}' in {source}; columns are: {string.Join(", ", available)}");
}

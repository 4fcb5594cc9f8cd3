using System.Globalization;
using PcapLab.Store;

namespace PcapLab.Charts;

/// <summary>What the traffic timeline splits its bars by.</summary>
public enum TimelineGroup
{
    /// <summary>IP protocol of each packet (tcp, udp, icmp, ...; non-ip for ARP and the like).</summary>
    Protocol,
    /// <summary>The packet's flow's service (dns, http, ssl, ...), else its IP protocol.</summary>
    Service,
    /// <summary>The capture file the packet came from.</summary>
    Capture,
}

/// <summary>What top talkers are ranked by.</summary>
public enum TalkerMetric
{
    /// <summary>Frame bytes on the wire (packets.len), sent plus received.</summary>
    Bytes,
    /// <summary>Packets, sent plus received.</summary>
    Packets,
}

/// <summary>What colours the flow scatter's points.</summary>
public enum FlowColor
{
    /// <summary>The flow's service (dns, http, ssl, ...), else its transport protocol.</summary>
    Service,
    /// <summary>Zeek's conn_state (SF, S0, REJ, RSTO, ...).</summary>
    ConnState,
}

/// <summary>
/// A time range that analyst charts keep to: rows with <c>ts</c> in [<see cref="Since"/>, <see cref="Until"/>), either end open.
/// </summary>
/// <param name="Since">First instant included (UTC), or null for no lower bound.</param>
/// <param name="Until">First instant excluded (UTC), or null for no upper bound.</param>
public readonly record struct TimeWindow(DateTime? Since, DateTime? Until)
{
    /// <summary>No bounds: every row.</summary>
    public static TimeWindow All => default;

    /// <summary>
    /// Parses <c>since/until</c> with UTC timestamps (<c>2024-05-01 12:00:00/2024-05-01 12:05</c>); either side may be empty
    /// (<c>2024-05-01 12:00/</c>), and an empty or blank text means every row.
    /// </summary>
    /// <exception cref="FormatException">Not two timestamps separated by '/'; the message shows the expected form.</exception>
    public static TimeWindow Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return All;
        var slash = text.IndexOf('/');
        if (slash < 0) throw new FormatException($"time window '{text}' needs the form since/until, e.g. 2024-05-01 12:00/2024-05-01 12:30 (UTC; either side may be empty)");
        return new TimeWindow(Point(text[..slash]), Point(text[(slash + 1)..]));

        static DateTime? Point(string s) => string.IsNullOrWhiteSpace(s) ? null
            : DateTime.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t
            : throw new FormatException($"'{s.Trim()}' is not a timestamp (use yyyy-MM-dd HH:mm[:ss], UTC)");
    }

    /// <inheritdoc/>
    public override string ToString() => Since is null && Until is null ? "all" : $"{Fmt(Since)}/{Fmt(Until)}";

    private static string Fmt(DateTime? t) => t?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";
}

/// <summary>An analyst chart had no rows to draw; the message says which table is empty and what to load.</summary>
/// <param name="table">The table that had no rows (in the window).</param>
/// <param name="message">What is missing and what to do about it.</param>
public sealed class NoChartDataException(string table, string message) : InvalidOperationException(message)
{
    /// <summary>The table that had no rows.</summary>
    public string Table { get; } = table;
}

/// <summary>
/// The charts an analyst draws first on a session's tables, each one SQL query (values bound as parameters) and one
/// <see cref="Figure"/>. The notebook's chart magics (#!timeline, #!talkers, ...) call these; C# cells can too:
/// <c>AnalystCharts.Talkers(Lab, top: 5)</c>. Each throws <see cref="NoChartDataException"/> when its table has no rows.
/// </summary>
public static class AnalystCharts
{
    /// <summary>Most bars a timeline draws per group; a smaller interval over the same time span is refused.</summary>
    public const int MaxBars = 5000;

    /// <summary>Named groups beyond this many are drawn together as "other", so legends stay readable.</summary>
    public const int MaxGroups = 10;

    // Every query starts with the same two parameters: the window's bounds, typed so that NULL means open.
    private const string Window = "($1::TIMESTAMP IS NULL OR {0}ts >= $1::TIMESTAMP) AND ($2::TIMESTAMP IS NULL OR {0}ts < $2::TIMESTAMP)";

    private static string InWindow(string alias = "") => string.Format(CultureInfo.InvariantCulture, Window, alias.Length > 0 ? alias + "." : "");

    private static QueryResult Run(Lab lab, TimeWindow window, string sql, params object?[] more) =>
        lab.Query(sql, [window.Since, window.Until, .. more]);

    private const string ProtoName = """
        CASE WHEN p.ip_proto IS NULL THEN 'non-ip' WHEN p.ip_proto = 6 THEN 'tcp' WHEN p.ip_proto = 17 THEN 'udp'
             WHEN p.ip_proto = 1 THEN 'icmp' WHEN p.ip_proto = 58 THEN 'icmpv6' WHEN p.ip_proto = 132 THEN 'sctp'
             WHEN p.ip_proto = 47 THEN 'gre' WHEN p.ip_proto = 50 THEN 'esp' ELSE 'ip proto ' || p.ip_proto END
        """;

    /// <summary>Intervals the timeline picks from when none is given: the smallest giving at most 120 bars.</summary>
    private static readonly TimeSpan[] NiceIntervals =
    [
        TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1),
        TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(7),
    ];

    /// <summary>
    /// Traffic timeline: packets (top panel) and bytes (bottom panel) per <paramref name="interval"/>, stacked by
    /// <paramref name="by"/>. Without an interval, the smallest of 100 ms, 1 s, 5 s, ... 7 d that gives at most 120 bars.
    /// </summary>
    public static Figure Timeline(Lab lab, TimeSpan? interval = null, TimelineGroup by = TimelineGroup.Protocol, TimeWindow window = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        if (interval is { } given && given <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), "the interval must be positive");
        var span = Run(lab, window, $"SELECT min(ts)::TIMESTAMP, max(ts)::TIMESTAMP, count(*) FROM packets WHERE {InWindow()}");
        if (span.Rows[0][2] is 0L || span.Rows[0][0] is not DateTime first || span.Rows[0][1] is not DateTime last)
            throw NoRows("packets", window, "load captures first (#!pcap load <files>)");
        var step = interval ?? NiceIntervals.FirstOrDefault(i => (last - first).Ticks / i.Ticks < 120, NiceIntervals[^1]);
        // Empty buckets are drawn as zeros, so a tiny interval over a long capture would build millions of bars.
        if ((last - first).Ticks / step.Ticks >= MaxBars)
            throw new ArgumentOutOfRangeException(nameof(interval),
                $"an interval of {FormatInterval(step)} gives more than {MaxBars:N0} bars over {last - first:g}; use a larger interval or a narrower window");

        var (group, join) = by switch
        {
            TimelineGroup.Service => ($"coalesce(f.service, {ProtoName})", "LEFT JOIN flows f ON f.capture_id = p.capture_id AND f.flow_id = p.flow_id"),
            TimelineGroup.Capture => ("regexp_extract(c.path, '[^/]+$')", "JOIN captures c ON c.capture_id = p.capture_id"),
            _ => (ProtoName, ""),
        };
        var rows = Run(lab, window, $"""
            SELECT time_bucket($3, p.ts::TIMESTAMP) AS t, {group} AS grp, count(*) AS packets, sum(p.len)::BIGINT AS bytes
            FROM packets p {join}
            WHERE {InWindow("p")}
            GROUP BY ALL ORDER BY t
            """, step);

        // Top groups by bytes keep their name; bars are filled with zeros between the first and last bucket so gaps read as silence.
        var totals = new Dictionary<string, long>();
        foreach (var r in rows.Rows) totals[Key(r[1])] = totals.GetValueOrDefault(Key(r[1])) + Convert.ToInt64(r[3], CultureInfo.InvariantCulture);
        var named = totals.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(MaxGroups - 1).Select(kv => kv.Key).ToList();
        var groups = totals.Count <= MaxGroups ? totals.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).ToList() : [.. named, "other"];
        var buckets = new List<DateTime>();
        var start = (DateTime)rows.Rows[0][0]!;
        var end = (DateTime)rows.Rows[^1][0]!;
        for (var t = start; t <= end; t += step) buckets.Add(t);
        var index = buckets.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var packets = groups.ToDictionary(g => g, _ => new double[buckets.Count]);
        var bytes = groups.ToDictionary(g => g, _ => new double[buckets.Count]);
        foreach (var r in rows.Rows)
        {
            var g = groups.Contains(Key(r[1])) ? Key(r[1]) : "other";
            if (!index.TryGetValue((DateTime)r[0]!, out var i)) continue;
            packets[g][i] += Convert.ToDouble(r[2], CultureInfo.InvariantCulture);
            bytes[g][i] += Convert.ToDouble(r[3], CultureInfo.InvariantCulture);
        }

        DataArray Long(Dictionary<string, double[]> v) => groups.SelectMany(g => v[g]).ToArray();
        var xs = groups.SelectMany(_ => buckets).ToArray();
        var color = groups.SelectMany(g => buckets.Select(_ => g)).ToArray();
        Figure Panel(Dictionary<string, double[]> v, string unit)
        {
            var f = Chart.Bar(xs, Long(v), color: color, mode: BarMode.Stack).WithAxisTitles(null, unit);
            f.Layout.XAxis.Type = AxisType.Date;
            foreach (var t in f.Data.OfType<LegendTrace>()) t.HoverTemplate = $"%{{x}}<br>%{{y:,}} {unit}<extra>%{{fullData.name}}</extra>";
            return f;
        }
        var label = FormatInterval(step);
        var fig = Figure.Facets([($"packets per {label}", Panel(packets, "packets")), ($"bytes per {label}", Panel(bytes, "bytes"))],
            columns: 1, shareX: true, shareY: false);
        fig.Layout.XAxisAt(2).Title = "time (UTC)";
        // The panels share their time axis: one row of dates, under the bottom panel.
        fig.Layout.XAxisAt(1).ShowTickLabels = false;
        fig.Layout.BarMode = BarMode.Stack;
        fig.Layout.Height = 560;
        return fig.WithTitle($"Traffic per {label} by {ByName(by)}{Suffix(window)}");
    }

    /// <summary>Protocol distribution: two donuts, flows and bytes per transport/service (tcp/http, udp/dns, icmp, ...).</summary>
    public static Figure Protocols(Lab lab, TimeWindow window = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var r = Run(lab, window, $"""
            SELECT CASE WHEN service IS NULL THEN proto ELSE proto || '/' || service END AS protocol,
                   count(*) AS flows, sum(orig_ip_bytes + resp_ip_bytes)::BIGINT AS bytes
            FROM flows WHERE {InWindow()} GROUP BY 1 ORDER BY bytes DESC, protocol
            """);
        if (r.Count == 0) throw NoRows("flows", window, "load captures first (#!pcap load <files>, without --no-flows)");
        var labels = Lumped(r, 0, 2, 1);
        var flows = Chart.Pie(labels.Labels, labels.Values[1], name: "flows", hole: 0.45);
        var bytes = Chart.Pie(labels.Labels, labels.Values[0], name: "bytes", hole: 0.45);
        var fig = Figure.Facets([("flows", flows), ("bytes", bytes)], columns: 2);
        // Both donuts share their labels: one legend entry per protocol, not one list per donut.
        foreach (var t in fig.Data.OfType<Pie>()) { t.LegendGroup = null; t.ShowLegend = null; }
        fig.Layout.Height = 450;
        return fig.WithTitle($"Protocols: flows and bytes per transport/service{Suffix(window)}");
    }

    /// <summary>Top talkers: the <paramref name="top"/> hosts by bytes or packets, sent and received stacked.</summary>
    public static Figure Talkers(Lab lab, int top = 10, TalkerMetric by = TalkerMetric.Bytes, TimeWindow window = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var metric = by == TalkerMetric.Packets ? "count(*)" : "sum(len)";
        var r = Run(lab, window, $"""
            WITH d AS (
                SELECT src_ip AS host, 'sent' AS direction, {metric}::BIGINT AS amount FROM packets WHERE src_ip IS NOT NULL AND {InWindow()} GROUP BY 1
                UNION ALL
                SELECT dst_ip, 'received', {metric}::BIGINT FROM packets WHERE dst_ip IS NOT NULL AND {InWindow()} GROUP BY 1),
            t AS (SELECT host, sum(amount) AS total FROM d GROUP BY 1 ORDER BY total DESC, host LIMIT $3)
            SELECT t.host, dir.direction, coalesce(d.amount, 0) AS amount
            FROM t CROSS JOIN (VALUES ('sent'), ('received')) dir(direction)
            LEFT JOIN d ON d.host = t.host AND d.direction = dir.direction
            ORDER BY dir.direction DESC, t.total DESC, t.host
            """, (long)top);
        if (r.Count == 0) throw NoRows("packets", window, "load captures with IP traffic first (#!pcap load <files>)");
        var unit = by == TalkerMetric.Packets ? "packets" : "bytes";
        var fig = Chart.Bar(Col(r, 0), Col(r, 2), color: Col(r, 1), horizontal: true, mode: BarMode.Stack)
            .WithAxisTitles(unit, null).WithTitle($"Top {Distinct(r, 0)} talkers by {unit} (sent + received){Suffix(window)}");
        fig.Layout.YAxis.CategoryOrder = "trace";
        foreach (var t in fig.Data.OfType<LegendTrace>()) t.HoverTemplate = $"%{{y}}<br>%{{x:,}} {unit} %{{fullData.name}}<extra></extra>";
        return fig;
    }

    /// <summary>Destination ports: flows per responder port (e.g. 443/tcp), the <paramref name="top"/> busiest, by transport.</summary>
    public static Figure Ports(Lab lab, int top = 20, TimeWindow window = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var r = Run(lab, window, $"""
            SELECT resp_p || '/' || proto AS port, proto, count(*) AS flows, coalesce(any_value(service), '') AS service
            FROM flows WHERE proto IN ('tcp', 'udp', 'sctp') AND {InWindow()}
            GROUP BY resp_p, proto ORDER BY flows DESC, resp_p LIMIT $3
            """, (long)top);
        if (r.Count == 0) throw NoRows("flows", window, "load captures with TCP or UDP traffic first (#!pcap load <files>)");
        var fig = Chart.Bar(Col(r, 0), Col(r, 2), color: Col(r, 1)).WithAxisTitles("destination port", "flows")
            .WithTitle($"Top {r.Count} destination ports by flows{Suffix(window)}");
        fig.Layout.XAxis.CategoryOrder = "total descending";
        return fig;
    }

    /// <summary>Source × destination bytes among the <paramref name="top"/> hosts by bytes (rows: sources, columns: destinations).</summary>
    public static Figure HostHeatmap(Lab lab, int top = 15, TimeWindow window = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var r = Run(lab, window, $"""
            WITH w AS (SELECT src_ip, dst_ip, len FROM packets WHERE src_ip IS NOT NULL AND dst_ip IS NOT NULL AND {InWindow()}),
            h AS (SELECT host, sum(len) AS total FROM (SELECT src_ip AS host, len FROM w UNION ALL SELECT dst_ip, len FROM w)
                  GROUP BY 1 ORDER BY total DESC, host LIMIT $3),
            s AS (SELECT src_ip, dst_ip, sum(len)::BIGINT AS bytes FROM w
                  WHERE src_ip IN (SELECT host FROM h) AND dst_ip IN (SELECT host FROM h) GROUP BY 1, 2)
            SELECT s.src_ip, s.dst_ip, s.bytes, o.host FROM h o LEFT JOIN s ON s.src_ip = o.host OR s.dst_ip = o.host
            WHERE s.src_ip IS NOT NULL ORDER BY o.total DESC, o.host, s.src_ip, s.dst_ip
            """, (long)top);
        if (r.Count == 0) throw NoRows("packets", window, "load captures with IP traffic first (#!pcap load <files>)");
        // Both axes list the hosts in the same order (busiest first), so a host's row and column line up.
        var order = r.Rows.Select(row => (string)row[3]!).Distinct().ToList();
        var srcSet = r.Rows.Select(row => (string)row[0]!).ToHashSet();
        var dstSet = r.Rows.Select(row => (string)row[1]!).ToHashSet();
        var sources = order.Where(srcSet.Contains).ToList();
        var targets = order.Where(dstSet.Contains).ToList();
        var si = sources.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i);
        var ti = targets.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i);
        var z = sources.Select(_ => new double?[targets.Count]).ToArray();
        foreach (var row in r.Rows)
            z[si[(string)row[0]!]][ti[(string)row[1]!]] = Convert.ToDouble(row[2], CultureInfo.InvariantCulture);
        var fig = Chart.Heatmap(targets, sources, z).WithAxisTitles("destination", "source")
            .WithTitle($"Bytes from source to destination among the {order.Count} busiest hosts{Suffix(window)}");
        fig.Layout.YAxis.Reversed = true;
        foreach (var t in fig.Data.OfType<LegendTrace>()) t.HoverTemplate = "%{y} → %{x}<br>%{z:,} bytes<extra></extra>";
        return fig;
    }

    /// <summary>Conversation graph: the <paramref name="top"/> host pairs by bytes as edges between hosts.</summary>
    public static Figure Conversations(Lab lab, int top = 30, TimeWindow window = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var r = Run(lab, window, $"""
            SELECT least(orig_h, resp_h) AS a, greatest(orig_h, resp_h) AS b, sum(orig_ip_bytes + resp_ip_bytes)::BIGINT AS bytes, count(*) AS flows
            FROM flows WHERE {InWindow()} GROUP BY 1, 2 ORDER BY bytes DESC, a, b LIMIT $3
            """, (long)top);
        if (r.Count == 0) throw NoRows("flows", window, "load captures first (#!pcap load <files>, without --no-flows)");
        return Chart.Network(Col(r, 0), Col(r, 1), Col(r, 2))
            .WithTitle($"Conversations: the {r.Count} busiest host pairs by bytes (node size: bytes){Suffix(window)}");
    }

    /// <summary>
    /// Flow duration × bytes on log axes, one point per flow (the <paramref name="limit"/> largest by bytes), coloured by
    /// service or conn_state. Flows of zero duration (one packet) cannot sit on a log axis and are counted in the title.
    /// </summary>
    public static Figure FlowScatter(Lab lab, FlowColor color = FlowColor.Service, int limit = 5000, TimeWindow window = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var colour = color == FlowColor.ConnState ? "conn_state" : "coalesce(service, proto)";
        var r = Run(lab, window, $"""
            SELECT duration, (orig_ip_bytes + resp_ip_bytes)::BIGINT AS bytes, {colour} AS colour,
                   orig_h || ':' || orig_p || ' → ' || resp_h || ':' || resp_p || ' ' || proto || ' ' || conn_state AS flow
            FROM flows WHERE duration > 0 AND {InWindow()} ORDER BY bytes DESC, flow_id LIMIT $3
            """, (long)limit);
        var zero = Convert.ToInt64(Run(lab, window, $"SELECT count(*) FROM flows WHERE (duration IS NULL OR duration <= 0) AND {InWindow()}").Scalar, CultureInfo.InvariantCulture);
        if (r.Count == 0)
        {
            if (zero > 0) throw new NoChartDataException("flows", $"no flows with a duration to draw: all {zero} flow(s){Suffix(window)} are single-packet (duration 0)");
            throw NoRows("flows", window, "load captures first (#!pcap load <files>, without --no-flows)");
        }
        var fig = Chart.Scatter(Col(r, 0), Col(r, 1), color: Col(r, 2), text: Col(r, 3)).WithAxisTitles("duration (s)", "bytes (IP, both directions)");
        fig.Layout.XAxis.Type = AxisType.Log;
        fig.Layout.YAxis.Type = AxisType.Log;
        foreach (var t in fig.Data.OfType<LegendTrace>()) t.HoverTemplate = "%{text}<br>%{x:.3f} s, %{y:,} bytes<extra>%{fullData.name}</extra>";
        var note = zero > 0 ? $"; {zero} single-packet flow(s) not drawn" : "";
        return fig.WithTitle($"Flow duration × bytes by {(color == FlowColor.ConnState ? "conn_state" : "service")}{note}{Suffix(window)}");
    }

    /// <summary>Top DNS names: queries per name for the <paramref name="top"/> most asked, split by response code.</summary>
    public static Figure DnsNames(Lab lab, int top = 20, TimeWindow window = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var r = Run(lab, window, $"""
            WITH d AS (SELECT query, coalesce(rcode_name, 'no response') AS rcode FROM dns WHERE query IS NOT NULL AND {InWindow()}),
            t AS (SELECT query, count(*) AS total FROM d GROUP BY 1 ORDER BY total DESC, query LIMIT $3)
            SELECT d.query, d.rcode, count(*) AS queries FROM d JOIN t USING (query) GROUP BY d.query, d.rcode, t.total
            ORDER BY t.total DESC, d.query, d.rcode
            """, (long)top);
        if (r.Count == 0) throw NoRows("dns", window, "load captures with DNS traffic first");
        var fig = Chart.Bar(Col(r, 0), Col(r, 2), color: Col(r, 1), horizontal: true, mode: BarMode.Stack)
            .WithAxisTitles("queries", null).WithTitle($"Top {Distinct(r, 0)} DNS names by queries, by response code{Suffix(window)}");
        fig.Layout.YAxis.CategoryOrder = "total ascending";
        fig.Layout.YAxis.Reversed = false;
        return fig;
    }

    /// <summary>Top TLS server names (SNI): handshakes per name for the <paramref name="top"/> most seen, split by TLS version.</summary>
    public static Figure Snis(Lab lab, int top = 20, TimeWindow window = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var r = Run(lab, window, $"""
            WITH d AS (SELECT server_name, coalesce(version, 'unknown') AS version FROM tls WHERE server_name IS NOT NULL AND {InWindow()}),
            t AS (SELECT server_name, count(*) AS total FROM d GROUP BY 1 ORDER BY total DESC, server_name LIMIT $3)
            SELECT d.server_name, d.version, count(*) AS handshakes FROM d JOIN t USING (server_name) GROUP BY d.server_name, d.version, t.total
            ORDER BY t.total DESC, d.server_name, d.version
            """, (long)top);
        if (r.Count == 0) throw NoRows("tls", window, "load captures with TLS traffic (ClientHello with a server name) first");
        var fig = Chart.Bar(Col(r, 0), Col(r, 2), color: Col(r, 1), horizontal: true, mode: BarMode.Stack)
            .WithAxisTitles("handshakes", null).WithTitle($"Top {Distinct(r, 0)} TLS server names (SNI), by version{Suffix(window)}");
        fig.Layout.YAxis.CategoryOrder = "total ascending";
        fig.Layout.YAxis.Reversed = false;
        return fig;
    }

    /// <summary>An interval as the timeline labels it: 100ms, 1s, 5m, 1h, 1d.</summary>
    public static string FormatInterval(TimeSpan t) =>
        t.Ticks % TimeSpan.TicksPerDay == 0 ? $"{t.Ticks / TimeSpan.TicksPerDay}d"
        : t.Ticks % TimeSpan.TicksPerHour == 0 ? $"{t.Ticks / TimeSpan.TicksPerHour}h"
        : t.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{t.Ticks / TimeSpan.TicksPerMinute}m"
        : t.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{t.Ticks / TimeSpan.TicksPerSecond}s"
        : t.Ticks % TimeSpan.TicksPerMillisecond == 0 ? $"{t.Ticks / TimeSpan.TicksPerMillisecond}ms"
        : $"{t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms";

    /// <summary>Parses an interval as written on a magic line: a number and a unit (ms, s, m, h, d), e.g. 500ms, 1m, 6h.</summary>
    public static bool TryParseInterval(string? text, out TimeSpan interval)
    {
        interval = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().ToLowerInvariant();
        var unitAt = s.Length;
        while (unitAt > 0 && char.IsLetter(s[unitAt - 1])) unitAt--;
        if (!double.TryParse(s[..unitAt], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0 || !double.IsFinite(n)) return false;
        double? ms = s[unitAt..] switch
        {
            "ms" => n, "s" or "sec" => n * 1e3, "m" or "min" => n * 6e4, "h" => n * 3.6e6, "d" => n * 8.64e7, _ => null,
        };
        if (ms is not { } v || v < 0.001 || v > TimeSpan.FromDays(3650).TotalMilliseconds) return false;
        interval = TimeSpan.FromMilliseconds(v);
        return true;
    }

    private static NoChartDataException NoRows(string table, TimeWindow window, string advice) =>
        new(table, window == default ? $"no {table} rows: {advice}" : $"no {table} rows in the window {window}: widen the window or {advice}");

    private static string Suffix(TimeWindow w) => w == default ? "" : $" ({w} UTC)";

    private static string ByName(TimelineGroup g) => g switch { TimelineGroup.Service => "service", TimelineGroup.Capture => "capture", _ => "protocol" };

    private static string Key(object? v) => v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture) ?? "(none)";

    private static int Distinct(QueryResult r, int i) => r.Rows.Select(row => row[i]).Distinct().Count();

    private static DataArray Col(QueryResult r, int i) => DataArray.From(r.Rows.Select(row => row[i]));

    /// <summary>Labels and value columns with everything past the first <see cref="MaxGroups"/> - 1 labels summed as "other".</summary>
    private static (string[] Labels, double[][] Values) Lumped(QueryResult r, int label, params int[] values)
    {
        var keep = r.Count <= MaxGroups ? r.Count : MaxGroups - 1;
        var labels = r.Rows.Take(keep).Select(row => Key(row[label])).ToList();
        var cols = values.Select(c => r.Rows.Take(keep).Select(row => Convert.ToDouble(row[c] ?? 0, CultureInfo.InvariantCulture)).ToList()).ToArray();
        if (keep < r.Count)
        {
            labels.Add("other");
            for (var k = 0; k < values.Length; k++)
                cols[k].Add(r.Rows.Skip(keep).Sum(row => Convert.ToDouble(row[values[k]] ?? 0, CultureInfo.InvariantCulture)));
        }
        return ([.. labels], [.. cols.Select(c => c.ToArray())]);
    }
}

using PcapLab.Charts;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;
using PcapLab.Store.DuckDb;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary>
/// A ready analyst chart on the session's tables: the options it adds, and the <see cref="AnalystCharts"/> call that
/// queries and draws it. Every one takes <c>--window since/until</c> and <c>--name</c>; an empty table prints what to load.
/// </summary>
internal abstract class AnalystChartMagic : Magic
{
    /// <summary>The options this chart adds to --window and --name.</summary>
    protected abstract IReadOnlyList<MagicOption> ChartOptions { get; }

    public sealed override IReadOnlyList<MagicOption> Options =>
    [
        .. ChartOptions,
        new("window", "Only rows with ts in since/until, UTC (e.g. \"2024-05-01 12:00/2024-05-01 12:30\"; either side may be empty)", ValueName: "since/until"),
        new("name", "Also keep the figure under this name for C# cells", ValueName: "fig"),
    ];

    /// <summary>Queries the session's tables and builds the figure.</summary>
    protected abstract Figure Draw(MagicInvocation inv, Lab lab, TimeWindow window);

    public override async Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        TimeWindow window;
        try { window = TimeWindow.Parse(inv.Get("window")); }
        catch (FormatException e) { throw new MagicUsageException(Name, "--window: " + e.Message); }
        var session = cell.Session;
        Figure fig;
        using (EngineMagics.InterruptDuckDb(session, ct))
        {
            try { fig = Draw(inv, session.Lab, window); }
            catch (NoChartDataException e)
            {
                // An empty table is a fact about the evidence, not a failure: the notebook goes on.
                cell.Display(MimeBundle.PlainText($"#!{Name}: {e.Message}"));
                return;
            }
            catch (DuckDbException e) when (e.IsInterrupted || ct.IsCancellationRequested) { throw CellFailure.Interrupted(); }
            catch (ArgumentOutOfRangeException e) { throw new MagicUsageException(Name, e.Message.Split(" (Parameter")[0]); }
        }
        if (inv.Get("name") is { } name) await session.SetVariableAsync(name, fig, ct).ConfigureAwait(false);
        cell.Display(Formatter.FigureBundle(fig, session.Plotly));
    }

    /// <summary>The value of --top (or another count option), at least 1.</summary>
    protected int Count(MagicInvocation inv, string option, int fallback)
    {
        var n = inv.GetInt64(option, fallback);
        return n is >= 1 and <= 100_000 ? (int)n : throw new MagicUsageException(Name, $"--{option} must be between 1 and 100000");
    }

    /// <summary>An option whose value is one of a few words, mapped to its meaning; anything else is a usage error listing them.</summary>
    protected T Choice<T>(MagicInvocation inv, string option, T fallback, params (string Word, T Value)[] choices)
    {
        if (inv.Get(option) is not { } text) return fallback;
        foreach (var (word, value) in choices)
            if (string.Equals(word, text, StringComparison.OrdinalIgnoreCase)) return value;
        throw new MagicUsageException(Name, $"--{option} takes {string.Join(", ", choices.Select(c => c.Word).Distinct())}, not '{text}'");
    }

    protected static MagicOption Top(int n, string what) => new("top", $"How many {what} (default {n})", ValueName: "n");
}

/// <summary><c>#!timeline</c>: packets and bytes per interval, stacked by protocol, service or capture.</summary>
internal sealed class TimelineMagic : AnalystChartMagic
{
    public override string Name => "timeline";
    public override string Description => "Traffic timeline: packets and bytes per interval (packets table), stacked by protocol, service or capture file.";
    protected override IReadOnlyList<MagicOption> ChartOptions =>
    [
        new("interval", "Bar width: 100ms, 1s, 5m, 1h, 1d ... (default: the smallest of 100ms, 1s, 5s, 10s, 30s, 1m, ... giving at most 120 bars)", ValueName: "span"),
        new("by", "Stack by proto (default), service or capture", ValueName: "proto|service|capture"),
    ];

    protected override Figure Draw(MagicInvocation inv, Lab lab, TimeWindow window)
    {
        TimeSpan? interval = null;
        // An empty value (an unset notebook parameter) means automatic.
        if (inv.Get("interval") is { } text && !string.IsNullOrWhiteSpace(text))
            interval = AnalystCharts.TryParseInterval(text, out var t) ? t
                : throw new MagicUsageException(Name, $"--interval '{text}' is not a span such as 500ms, 10s, 1m, 1h or 1d");
        var by = Choice(inv, "by", TimelineGroup.Protocol, ("proto", TimelineGroup.Protocol), ("protocol", TimelineGroup.Protocol),
            ("service", TimelineGroup.Service), ("capture", TimelineGroup.Capture));
        return AnalystCharts.Timeline(lab, interval, by, window);
    }
}

/// <summary><c>#!protocols</c>: flows and bytes per transport/service.</summary>
internal sealed class ProtocolsMagic : AnalystChartMagic
{
    public override string Name => "protocols";
    public override string Description => "Protocol distribution: flows and bytes per transport/service (tcp/http, udp/dns, icmp, ...) from the flows table.";
    protected override IReadOnlyList<MagicOption> ChartOptions => [];
    protected override Figure Draw(MagicInvocation inv, Lab lab, TimeWindow window) => AnalystCharts.Protocols(lab, window);
}

/// <summary><c>#!talkers</c>: the busiest hosts, sent and received.</summary>
internal sealed class TalkersMagic : AnalystChartMagic
{
    public override string Name => "talkers";
    public override string Description => "Top talkers: the hosts sending and receiving the most bytes or packets (packets table).";
    protected override IReadOnlyList<MagicOption> ChartOptions =>
        [Top(10, "hosts"), new("by", "Rank by bytes (default) or packets", ValueName: "bytes|packets")];
    protected override Figure Draw(MagicInvocation inv, Lab lab, TimeWindow window) =>
        AnalystCharts.Talkers(lab, Count(inv, "top", 10),
            Choice(inv, "by", TalkerMetric.Bytes, ("bytes", TalkerMetric.Bytes), ("packets", TalkerMetric.Packets)), window);
}

/// <summary><c>#!ports</c>: flows per destination port.</summary>
internal sealed class PortsMagic : AnalystChartMagic
{
    public override string Name => "ports";
    public override string Description => "Destination ports: flows per responder port and transport (flows table), busiest first.";
    protected override IReadOnlyList<MagicOption> ChartOptions => [Top(20, "ports")];
    protected override Figure Draw(MagicInvocation inv, Lab lab, TimeWindow window) => AnalystCharts.Ports(lab, Count(inv, "top", 20), window);
}

/// <summary><c>#!heatmap</c>: bytes from each source to each destination among the busiest hosts.</summary>
internal sealed class HeatmapMagic : AnalystChartMagic
{
    public override string Name => "heatmap";
    public override string Description => "Source × destination heatmap of bytes among the busiest hosts (packets table). For other heatmaps: #!plot heatmap.";
    protected override IReadOnlyList<MagicOption> ChartOptions => [Top(15, "hosts")];
    protected override Figure Draw(MagicInvocation inv, Lab lab, TimeWindow window) => AnalystCharts.HostHeatmap(lab, Count(inv, "top", 15), window);
}

/// <summary><c>#!conversations</c>: the busiest host pairs as a network graph.</summary>
internal sealed class ConversationsMagic : AnalystChartMagic
{
    public override string Name => "conversations";
    public override string Description => "Conversation graph: the host pairs exchanging the most bytes, as a network (flows table).";
    protected override IReadOnlyList<MagicOption> ChartOptions => [Top(30, "host pairs")];
    protected override Figure Draw(MagicInvocation inv, Lab lab, TimeWindow window) => AnalystCharts.Conversations(lab, Count(inv, "top", 30), window);
}

/// <summary><c>#!flowscatter</c>: flow duration against bytes on log axes.</summary>
internal sealed class FlowScatterMagic : AnalystChartMagic
{
    public override string Name => "flowscatter";
    public override string Description => "Flow duration × bytes on log axes, one point per flow (flows table), coloured by service or conn_state.";
    protected override IReadOnlyList<MagicOption> ChartOptions =>
    [
        new("color", "Colour by service (default) or conn_state", ValueName: "service|conn_state"),
        new("limit", "Flows drawn at most, largest first (default 5000)", ValueName: "n"),
    ];
    protected override Figure Draw(MagicInvocation inv, Lab lab, TimeWindow window) =>
        AnalystCharts.FlowScatter(lab, Choice(inv, "color", FlowColor.Service, ("service", FlowColor.Service), ("conn_state", FlowColor.ConnState)),
            Count(inv, "limit", 5000), window);
}

/// <summary><c>#!dnsnames</c>: the most queried DNS names.</summary>
internal sealed class DnsNamesMagic : AnalystChartMagic
{
    public override string Name => "dnsnames";
    public override string Description => "Top DNS names: queries per name, split by response code (dns table).";
    protected override IReadOnlyList<MagicOption> ChartOptions => [Top(20, "names")];
    protected override Figure Draw(MagicInvocation inv, Lab lab, TimeWindow window) => AnalystCharts.DnsNames(lab, Count(inv, "top", 20), window);
}

/// <summary><c>#!snis</c>: the most seen TLS server names.</summary>
internal sealed class SnisMagic : AnalystChartMagic
{
    public override string Name => "snis";
    public override string Description => "Top TLS server names (SNI): handshakes per name, split by TLS version (tls table).";
    protected override IReadOnlyList<MagicOption> ChartOptions => [Top(20, "server names")];
    protected override Figure Draw(MagicInvocation inv, Lab lab, TimeWindow window) => AnalystCharts.Snis(lab, Count(inv, "top", 20), window);
}

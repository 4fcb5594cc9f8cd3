using PcapLab.Live;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary>
/// <c>#!capture eth0 --seconds 60</c>: captures live into a pcapng file (the evidence) while the packets stream into the
/// session's tables, with a live display of packets, rate, bytes, drops and time.
/// </summary>
internal sealed class CaptureMagic : Magic
{
    public override string Name => "capture";
    public override string Description => "Captures live traffic into a pcapng file and into the tables (needs root or CAP_NET_RAW)";
    public override IReadOnlyList<MagicArgument> Arguments => [new("interface", "The interface to capture on, e.g. eth0 or lo")];
    public override IReadOnlyList<MagicOption> Options =>
    [
        new("seconds", "Stop after this many seconds", ValueName: "n"),
        new("count", "Stop after this many packets", ValueName: "n"),
        new("filter", "A BPF capture filter, e.g. \"tcp port 443\"", ValueName: "bpf"),
        new("snaplen", "Bytes kept per packet (default 262144)", ValueName: "n"),
        new("out", "The pcapng file (default: capture-<UTC time>-<interface>.pcapng next to the notebook)", ValueName: "file"),
        new("rotate-mb", "Start a new file every N megabytes", ValueName: "n"),
        new("list", "List the interfaces instead of capturing", IsFlag: true),
    ];

    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        if (inv.Has("list"))
        {
            var devices = CaptureDevice.List();
            cell.Display(devices.Select(d => new { d.Name, d.Description, Addresses = string.Join(", ", d.Addresses), Flags = d.FlagText }).ToList());
            return Task.CompletedTask;
        }
        var session = cell.Session;
        if (!session.AllowLiveCapture)
            throw new CellFailure("CaptureRefused", "live capture is off in headless runs so reports stay reproducible; pass --allow-capture to pcaplab run",
                ["CaptureRefused: live capture is off in headless runs so reports stay reproducible; pass --allow-capture to pcaplab run"]);
        var iface = inv.Positional(0)?.Text ?? throw new MagicUsageException(Name, "missing <interface> (see #!capture --list)");
        long seconds = inv.GetInt64("seconds", 0), count = inv.GetInt64("count", 0), rotate = inv.GetInt64("rotate-mb", 0);
        var options = new LiveCaptureOptions
        {
            Interface = iface,
            Duration = seconds > 0 ? TimeSpan.FromSeconds(seconds) : null,
            MaxPackets = count > 0 ? count : null,
            Filter = inv.Get("filter"),
            SnapLength = (int)inv.GetInt64("snaplen", 262144),
            OutputPath = inv.Get("out") ?? LiveCaptureOptions.DefaultFileName(iface, DateTime.UtcNow),
            RotateBytes = rotate > 0 ? rotate * 1_000_000 : null,
        };
        var display = new ProgressDisplay(cell, MimeBundle.PlainText($"capturing on {iface}..."));
        options = options with { Progress = new SyncProgress<CaptureStats>(s => display.Report(() => MimeBundle.PlainText(s.StatusLine))) };
        CaptureSummary summary;
        try { summary = CaptureSession.Run(options, session.Lab.Connection, ct); }
        catch (CaptureException e) { throw new CellFailure("CaptureError", e.Message, ["CaptureError: " + e.Message]); }
        display.Complete(summary.Files.Select(f => new { File = f.Path, f.Packets, Bytes = f.FileBytes, f.Sha256, CaptureId = f.Load?.CaptureId }).ToList());
        cell.Write($"{summary.Stats.StatusLine} ({summary.StopReason})\n");
        if (summary.Error is { } error) throw new CellFailure("CaptureError", error, ["CaptureError: " + error]);
        if (ct.IsCancellationRequested) throw CellFailure.Interrupted("(the capture was stopped; its file and rows are saved)");
        return Task.CompletedTask;
    }

}

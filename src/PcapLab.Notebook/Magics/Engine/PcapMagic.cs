using PcapLab.Ingest;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary><c>#!pcap load &lt;paths or globs&gt;</c>: loads captures into the session's tables with live progress.</summary>
internal sealed class PcapMagic : Magic
{
    public override string Name => "pcap";
    public override string Description => "Loads capture files (pcap, pcapng, gzip) into the tables: #!pcap load evidence/*.pcapng";
    public override IReadOnlyList<MagicArgument> Arguments =>
    [
        new("action", "What to do: load", Required: true),
        new("paths", "Capture files or globs; @name takes them from a variable (a string or a list of strings)", Required: true, Variadic: true),
    ];
    public override IReadOnlyList<MagicOption> Options =>
    [
        new("db", "Switch the session to this DuckDB file first (created when missing)", ValueName: "file"),
        new("reload", "Load files again even when the same bytes (SHA-256) are already stored", IsFlag: true),
        new("no-flows", "Store packets only (no flows or application records)", IsFlag: true),
    ];

    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        if (inv.Positional(0)?.Text != "load") throw new MagicUsageException(Name, $"unknown action '{inv.Positional(0)?.Text}'; use: #!pcap load <paths>");
        var paths = inv.Positionals.Skip(1).SelectMany(Paths).ToList();
        if (paths.Count == 0) throw new MagicUsageException(Name, "missing <paths>: which captures to load");
        var session = cell.Session;
        if (inv.Get("db") is { } db) session.Lab.Connect(db);

        IReadOnlyList<string> files;
        try { files = CaptureFiles.Expand(paths); }
        catch (FileNotFoundException e) { throw new MagicUsageException(Name, e.Message); }

        var progress = new ProgressDisplay(cell, MimeBundle.PlainText($"loading {files.Count} file(s)..."));
        var summary = session.Lab.Load(files, new IngestOptions
        {
            Reload = inv.Has("reload"),
            Flows = !inv.Has("no-flows"),
            Progress = new SyncProgress<IngestProgress>(p => progress.Report(() => MimeBundle.PlainText(EngineDisplay.Progress(p)))),
        }, ct);
        progress.Complete(EngineDisplay.Summary(summary));
        ct.ThrowIfCancellationRequested();
        var failed = summary.Captures.Where(c => c.Error != null).ToList();
        foreach (var c in failed) cell.WriteError(c.Error + "\n");
        return Task.CompletedTask;
    }

    // A variable may hold one path or several.
    private static IEnumerable<string> Paths(MagicValue v) => v.Value switch
    {
        string s => [s],
        IEnumerable<string> list => list,
        System.Collections.IEnumerable e when v.Value is not string => e.Cast<object?>().Select(o => o?.ToString() ?? ""),
        _ => [v.Text],
    };

}

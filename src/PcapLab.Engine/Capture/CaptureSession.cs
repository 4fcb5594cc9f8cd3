using PcapLab.Ingest;
using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Live;

/// <summary>One pcapng file a live capture wrote.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Packets">Packets in it.</param>
/// <param name="FileBytes">Its size.</param>
/// <param name="Sha256">SHA-256 of its bytes (lower-case hex), or null when it could not be read back.</param>
/// <param name="Load">Its row in <c>captures</c> when the capture streamed into a database, else null.</param>
public sealed record CapturedFile(string Path, long Packets, long FileBytes, string? Sha256, CaptureLoad? Load);

/// <summary>The outcome of a live capture.</summary>
/// <param name="Files">The files written, in order (several with rotation).</param>
/// <param name="Stats">The final statistics.</param>
/// <param name="StopReason">Why it ended.</param>
/// <param name="Error">What went wrong when it ended on a fault (libpcap or storing), else null.</param>
/// <param name="Warnings">Non-fatal notes (e.g. promiscuous mode not supported).</param>
public sealed record CaptureSummary(IReadOnlyList<CapturedFile> Files, CaptureStats Stats, CaptureStopReason StopReason, string? Error,
    IReadOnlyList<string> Warnings)
{
    /// <summary>True unless the capture ended on a fault.</summary>
    public bool Ok => Error is null;
}

/// <summary>
/// Runs a live capture to its end: packets go to pcapng files and, when a database is given, into <c>packets</c>/<c>flows</c>
/// while capturing, through the same ingest pipeline files use.
/// <para>
/// With rotation, each file becomes its own <c>captures</c> row (frame numbers restart at 1 and <c>file_offset</c> points
/// into that file, exactly as if the files were loaded one by one); flows still open at a file boundary end there.
/// A stop (limit, <see cref="LiveCapture.Stop"/>, the token) is a normal end: the rows are stored with status <c>ok</c>.
/// </para>
/// </summary>
public static class CaptureSession
{
    /// <summary>Captures until a limit, a stop or the token; blocks the calling thread meanwhile.</summary>
    /// <param name="options">What to capture; <see cref="LiveCaptureOptions.Progress"/> receives live statistics.</param>
    /// <param name="db">Where rows go while capturing, or null to only write the pcapng files.</param>
    /// <param name="ct">Stops the capture cleanly: files closed validly, rows flushed.</param>
    /// <exception cref="ArgumentException">A bad option value.</exception>
    /// <exception cref="CaptureException">The capture could not start (privileges, interface, filter, output file).</exception>
    public static CaptureSummary Run(LiveCaptureOptions options, DuckDbConnection? db = null, CancellationToken ct = default)
    {
        using var live = LiveCapture.Start(options, ct);
        return Run(live, db);
    }

    /// <summary>Reads an already started capture to its end (see <see cref="Run(LiveCaptureOptions, DuckDbConnection?, CancellationToken)"/>).</summary>
    public static CaptureSummary Run(LiveCapture live, DuckDbConnection? db = null)
    {
        ArgumentNullException.ThrowIfNull(live);
        var files = new List<CapturedFile>();
        string? error = null;
        // The capture's own stop is the only cancellation: Ingestor would mark a cancelled load as an error.
        var ingest = new IngestOptions();
        while (true)
        {
            var path = live.CurrentFile;
            long before = live.Packets;
            CaptureLoad? load = null;
            if (db != null) load = Ingestor.LoadSource(db, live, path, "pcapng", ingest, CancellationToken.None);
            else while (live.TryRead(out _)) { }
            if (load is { Status: "error" } && live.Fault is null)
            {
                error ??= load.Error; // storing failed: stop capturing, keep the file
                live.Close();
            }
            // Closes the current file if still open; opens the next one after a rotation.
            bool more = live.NextFile();
            long length = File.Exists(path) ? new FileInfo(path).Length : 0;
            string? sha = Ingestor.TryHashFile(path);
            if (db != null && load != null) LabStore.SetCaptureHash(db, load.CaptureId, sha, length);
            files.Add(new CapturedFile(path, live.Packets - before, length, sha, load is null ? null : load with { Sha256 = sha, FileBytes = length }));
            if (!more) break;
        }
        error ??= live.Fault?.Message;
        return new CaptureSummary(files, live.Stats, live.StopReason, error, live.Warnings.Select(w => w.Message).ToArray());
    }
}

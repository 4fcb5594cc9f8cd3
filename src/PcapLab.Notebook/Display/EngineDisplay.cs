using PcapLab.Ingest;

namespace PcapLab.Notebook.Display;

/// <summary>How engine results read in a notebook.</summary>
public static class EngineDisplay
{
    /// <summary>A load's summary: one row per capture file.</summary>
    public static MimeBundle Summary(IngestSummary s)
    {
        var rows = s.Captures.Select(c => (IReadOnlyList<object?>)
        [
            c.CaptureId, Path.GetFileName(c.Path), c.Format, c.Packets, c.Bytes, c.AlreadyLoaded ? "already loaded" : c.Status,
            c.Error, Math.Round(c.Elapsed.TotalSeconds, 2),
        ]).ToList();
        return TableFormatter.Format(["capture_id", "file", "format", "packets", "bytes", "status", "error", "seconds"], rows);
    }

    /// <summary>One line of live load progress.</summary>
    public static string Progress(IngestProgress p) =>
        $"file {p.FileIndex + 1}/{p.FileCount} {Path.GetFileName(p.File)}: {p.Packets:N0} packets, {p.PacketsPerSecond:N0} packets/s, " +
        $"{p.MegabytesPerSecond:N1} MB/s, {(p.BytesTotal > 0 ? 100.0 * p.BytesRead / p.BytesTotal : 0):F0}%" +
        (p.Remaining is { } r ? $", {r.TotalSeconds:F0} s left" : "");
}

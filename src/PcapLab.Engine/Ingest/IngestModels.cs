namespace PcapLab.Ingest;

/// <summary>Options for loading captures into the store.</summary>
public sealed record IngestOptions
{
    /// <summary>Load a capture again even when a capture with the same SHA-256 is already stored.</summary>
    public bool Reload { get; init; }

    /// <summary>Files loaded at once, each on its own connection (with the database overload of <c>Ingestor.Load</c>). 1 = one after another.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Build the <c>flows</c> table (and fill <c>packets.flow_id</c>). Off only to measure the packet path alone.</summary>
    public bool Flows { get; init; } = true;

    /// <summary>Flow timeouts and statistics settings; Zeek's defaults when null.</summary>
    public PcapLab.Flows.FlowOptions? FlowOptions { get; init; }

    /// <summary>Receives progress a few times a second (on the ingesting thread). Null for none.</summary>
    public IProgress<IngestProgress>? Progress { get; init; }

    /// <summary>How often progress is reported.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>Where a load stands: for progress bars and live displays.</summary>
/// <param name="FileIndex">0-based index of the file being read.</param>
/// <param name="FileCount">Number of files in this load.</param>
/// <param name="File">Path of the file being read.</param>
/// <param name="Packets">Packets stored so far in this load.</param>
/// <param name="BytesRead">Bytes of input consumed so far (compressed bytes for gzip files), all files.</param>
/// <param name="BytesTotal">Total input size of all files.</param>
/// <param name="Elapsed">Time since the load started.</param>
public sealed record IngestProgress(int FileIndex, int FileCount, string File, long Packets, long BytesRead, long BytesTotal, TimeSpan Elapsed)
{
    /// <summary>Packets per second so far.</summary>
    public double PacketsPerSecond => Elapsed.TotalSeconds > 0 ? Packets / Elapsed.TotalSeconds : 0;
    /// <summary>Input megabytes per second so far.</summary>
    public double MegabytesPerSecond => Elapsed.TotalSeconds > 0 ? BytesRead / 1e6 / Elapsed.TotalSeconds : 0;
    /// <summary>Estimated time left, from the input bytes still to read.</summary>
    public TimeSpan? Remaining => BytesRead > 0 && BytesTotal > BytesRead
        ? TimeSpan.FromSeconds(Elapsed.TotalSeconds * (BytesTotal - BytesRead) / BytesRead) : null;
}

/// <summary>What happened to one input file; mirrors its row in the <c>captures</c> table.</summary>
public sealed record CaptureLoad
{
    /// <summary>Row id in <c>captures</c> (the existing one when <see cref="AlreadyLoaded"/>).</summary>
    public int CaptureId { get; init; }
    /// <summary>Full path of the input.</summary>
    public required string Path { get; init; }
    /// <summary>SHA-256 of the file's bytes, lower-case hex; null when the file could not be read.</summary>
    public string? Sha256 { get; init; }
    /// <summary>pcap, pcap-ns, pcap-modified or pcapng; null when unrecognised.</summary>
    public string? Format { get; init; }
    /// <summary>ok, truncated or error.</summary>
    public required string Status { get; init; }
    /// <summary>The error, naming the file and byte offset; null when ok.</summary>
    public string? Error { get; init; }
    /// <summary>Packets stored from this file.</summary>
    public long Packets { get; init; }
    /// <summary>Sum of the packets' original lengths.</summary>
    public long Bytes { get; init; }
    /// <summary>Size of the file on disk.</summary>
    public long FileBytes { get; init; }
    /// <summary>Time taken.</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>True when the same bytes were already stored and this load skipped them.</summary>
    public bool AlreadyLoaded { get; init; }
    /// <summary>Non-fatal oddities in the file.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>The outcome of a load of one or more files.</summary>
public sealed record IngestSummary(IReadOnlyList<CaptureLoad> Captures, TimeSpan Elapsed)
{
    /// <summary>Packets stored by this load.</summary>
    public long Packets => Captures.Sum(c => c.Packets);
    /// <summary>True when every input was read whole.</summary>
    public bool AllOk => !Interrupted && Captures.All(c => c.Status == "ok");
    /// <summary>True when the load was cancelled before it finished; what was read is stored.</summary>
    public bool Interrupted { get; init; }
}

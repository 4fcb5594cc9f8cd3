namespace PcapLab.Live;

/// <summary>What to capture, where to keep it, and when to stop.</summary>
public sealed record LiveCaptureOptions
{
    /// <summary>libpcap's largest snap length, and the default: whole packets.</summary>
    public const int MaxSnapLength = 262144;

    /// <summary>The default kernel buffer: 16 MB.</summary>
    public const int DefaultBufferSize = 16 << 20;

    /// <summary>The interface to capture on (<c>eth0</c>, <c>lo</c>, <c>any</c>); see <see cref="CaptureDevice.List"/>.</summary>
    public required string Interface { get; init; }

    /// <summary>Bytes kept per packet (1 to 262144).</summary>
    public int SnapLength { get; init; } = MaxSnapLength;

    /// <summary>Put the interface in promiscuous mode, as tcpdump does by default.</summary>
    public bool Promiscuous { get; init; } = true;

    /// <summary>
    /// Deliver each packet as it arrives instead of in kernel blocks handed over when full or after <see cref="ReadTimeout"/>.
    /// Off by default: on Linux (TPACKET_V3) immediate mode spends a whole ring block per packet burst, so the ring fills and drops
    /// sooner, while the read timeout already keeps a live display within a tenth of a second.
    /// </summary>
    public bool ImmediateMode { get; init; }

    /// <summary>Kernel ring buffer size in bytes; bigger rides out bursts without drops. 0 keeps libpcap's default (2 MB).</summary>
    public int BufferSize { get; init; } = DefaultBufferSize;

    /// <summary>A BPF filter (tcpdump syntax), or null for every packet.</summary>
    public string? Filter { get; init; }

    /// <summary>Stop after this long, or null for no time limit.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Stop after this many packets, or null for no count limit.</summary>
    public long? MaxPackets { get; init; }

    /// <summary>
    /// The pcapng file to write. Null: <c>capture-&lt;UTC yyyyMMddTHHmmssZ&gt;-&lt;interface&gt;.pcapng</c> in the current directory.
    /// With <see cref="RotateBytes"/>, files are named <c>name-000.pcapng</c>, <c>name-001.pcapng</c>, ...
    /// </summary>
    public string? OutputPath { get; init; }

    /// <summary>Start a new file once the current one exceeds this many bytes; null writes a single file.</summary>
    public long? RotateBytes { get; init; }

    /// <summary>libpcap's read timeout, and how often the capture wakes up (even with no traffic) to check its limits and stop requests.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Receives <see cref="CaptureStats"/> every <see cref="ProgressInterval"/>, on the capturing thread: keep it quick.</summary>
    public IProgress<CaptureStats>? Progress { get; init; }

    /// <summary>How often <see cref="Progress"/> is called (and pcap_stats read).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Checks every value before any native call; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Interface) || Interface.Contains('\0'))
            throw new ArgumentException("an interface name is required (see `pcaplab capture --list`)", nameof(Interface));
        if (SnapLength is < 1 or > MaxSnapLength)
            throw new ArgumentOutOfRangeException(nameof(SnapLength), SnapLength, $"the snap length must be between 1 and {MaxSnapLength}");
        if (BufferSize < 0) throw new ArgumentOutOfRangeException(nameof(BufferSize), BufferSize, "the buffer size cannot be negative");
        if (Filter != null && Filter.Contains('\0')) throw new ArgumentException("the filter contains a NUL character", nameof(Filter));
        if (Duration is { } d && d <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Duration), d, "the duration must be positive");
        if (MaxPackets is { } n && n <= 0) throw new ArgumentOutOfRangeException(nameof(MaxPackets), n, "the packet count must be positive");
        if (RotateBytes is { } r && r <= 0) throw new ArgumentOutOfRangeException(nameof(RotateBytes), r, "the rotation size must be positive");
        if (ReadTimeout <= TimeSpan.Zero || ReadTimeout > TimeSpan.FromSeconds(10))
            throw new ArgumentOutOfRangeException(nameof(ReadTimeout), ReadTimeout, "the read timeout must be between 1 ms and 10 s");
        if (ProgressInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, "the progress interval must be positive");
        if (OutputPath != null && OutputPath.Trim().Length == 0) throw new ArgumentException("the output path is empty", nameof(OutputPath));
    }

    /// <summary>The default output file name for an interface at a time: <c>capture-20250101T120000Z-eth0.pcapng</c>.</summary>
    public static string DefaultFileName(string iface, DateTime utc)
    {
        var safe = string.Concat(iface.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return $"capture-{utc:yyyyMMdd'T'HHmmss'Z'}-{safe}.pcapng";
    }
}

/// <summary>Why a live capture ended.</summary>
public enum CaptureStopReason
{
    /// <summary>Still capturing.</summary>
    Running,
    /// <summary>The <see cref="LiveCaptureOptions.Duration"/> passed.</summary>
    Duration,
    /// <summary><see cref="LiveCaptureOptions.MaxPackets"/> packets were captured.</summary>
    PacketCount,
    /// <summary><see cref="LiveCapture.Stop"/> was called or the cancellation token fired (Ctrl-C, a kernel interrupt).</summary>
    Stopped,
    /// <summary>libpcap reported an error (see <see cref="LiveCapture.Fault"/>), or storing the rows failed.</summary>
    Fault,
}

/// <summary>Where a live capture stands; a snapshot, safe to keep and to read from any thread.</summary>
/// <param name="Interface">The interface captured on.</param>
/// <param name="Packets">Packets captured and written so far.</param>
/// <param name="Bytes">Their original (wire) lengths summed.</param>
/// <param name="Received">Packets the kernel handed to the capture (pcap_stats ps_recv; on Linux this counts the dropped ones too).</param>
/// <param name="KernelDropped">Packets the kernel dropped because the buffer was full (ps_drop).</param>
/// <param name="InterfaceDropped">Packets the interface or driver dropped (ps_ifdrop).</param>
/// <param name="Elapsed">Time since the capture started.</param>
/// <param name="PacketsPerSecond">The recent rate: packets per second over the last progress interval.</param>
/// <param name="File">The file being written.</param>
/// <param name="FileIndex">0-based index of that file (rotation).</param>
public sealed record CaptureStats(string Interface, long Packets, long Bytes, long Received, long KernelDropped, long InterfaceDropped,
    TimeSpan Elapsed, double PacketsPerSecond, string File, int FileIndex)
{
    /// <summary>Packets per second over the whole capture.</summary>
    public double AveragePacketsPerSecond => Elapsed.TotalSeconds > 0 ? Packets / Elapsed.TotalSeconds : 0;

    /// <summary>One line for a status display: <c>1,234 pkts  310 pkt/s  1.2 MB  0 dropped  00:00:04</c>.</summary>
    public string StatusLine =>
        $"{Interface}: {Packets:N0} pkts  {PacketsPerSecond:N0} pkt/s  {FormatBytes(Bytes)}  {KernelDropped:N0} kernel drops" +
        (InterfaceDropped > 0 ? $"  {InterfaceDropped:N0} if drops" : "") + $"  {Elapsed:hh\\:mm\\:ss}";

    /// <summary>A byte count the way the status line shows it: <c>512 B</c>, <c>1.2 kB</c>, <c>3.4 MB</c>, <c>1.05 GB</c>.</summary>
    public static string FormatBytes(long b) => b switch
    {
        < 1_000 => $"{b} B",
        < 1_000_000 => $"{b / 1e3:F1} kB",
        < 1_000_000_000 => $"{b / 1e6:F1} MB",
        _ => $"{b / 1e9:F2} GB",
    };
}

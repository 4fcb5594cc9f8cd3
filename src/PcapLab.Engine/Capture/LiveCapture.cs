using System.Diagnostics;
using PcapLab.Ingest;
using PcapLab.Read;

namespace PcapLab.Live;

/// <summary>
/// Packets from a live interface through libpcap. Every packet is written to a pcapng file as it is returned, so
/// <see cref="PacketRecord.Offset"/> (and <c>packets.file_offset</c>) points at its block in the evidence file.
/// <para>
/// <see cref="TryRead"/> returns false when a limit is reached, when <see cref="Stop"/> is called (from any thread) or
/// the cancellation token fires, on a libpcap error (<see cref="Fault"/>), and at each file rotation. In every case the
/// current file is closed validly first (with an Interface Statistics Block). After a rotation, <see cref="NextFile"/>
/// opens the next file and reading goes on; <see cref="CaptureSession.Run(LiveCapture, PcapLab.Store.DuckDb.DuckDbConnection?)"/> does that loop for you.
/// </para>
/// </summary>
public sealed unsafe class LiveCapture : IPacketSource
{
    private readonly LiveCaptureOptions _options;
    private readonly SafePcapHandle _pcap;
    private readonly LinkType _linkType;
    private readonly bool _nanosecond;
    private readonly int _snapLength;
    private readonly string? _description;
    private readonly string _basePath;
    private readonly List<string> _files = [];
    private readonly List<CaptureWarning> _warnings = [];
    private readonly CaptureInterface[] _interfaces;
    private readonly Stopwatch _clock;
    private readonly long _startNs;
    private readonly long _durationTicks, _progressTicks;
    private readonly CancellationTokenRegistration _cancel;
    private readonly Timer _wake;
    private PcapngWriter? _writer;
    private long _packets, _bytes, _filePackets, _lastProgressTicks, _lastProgressPackets;
    private PcapNative.PcapStat _pcapStats;
    private CaptureStats _stats;
    private bool _rotateDue, _fileEnded, _disposed;
    private volatile bool _stopRequested;
    private CaptureStopReason _reason = CaptureStopReason.Running;

    private LiveCapture(LiveCaptureOptions options, SafePcapHandle pcap, LinkType linkType, bool nanosecond, int snapLength, string? description,
        string basePath, CancellationToken ct)
    {
        _options = options;
        _pcap = pcap;
        _linkType = linkType;
        _nanosecond = nanosecond;
        _snapLength = snapLength;
        _description = description;
        _basePath = basePath;
        _interfaces = [new CaptureInterface(0, linkType, snapLength, options.Interface, description, 1_000_000_000, 0)];
        _durationTicks = options.Duration is { } d ? (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        _progressTicks = (long)(options.ProgressInterval.TotalSeconds * Stopwatch.Frequency);
        _startNs = UnixNowNs();
        _clock = Stopwatch.StartNew();
        _stats = new CaptureStats(options.Interface, 0, 0, 0, 0, 0, TimeSpan.Zero, 0, FilePath(0), 0);
        OpenFile();
        _cancel = ct.Register(Stop);
        // With TPACKET_V3, pcap_next_ex blocks until the kernel hands over a block, i.e. forever on a quiet interface;
        // waking it with pcap_breakloop lets the capturing thread check its time limit and publish statistics.
        _wake = new Timer(_ => Wake(), null, options.ReadTimeout, options.ReadTimeout);
    }

    /// <summary>
    /// Opens <see cref="LiveCaptureOptions.Interface"/>, applies the filter and creates the first output file.
    /// Capturing starts now; read packets with <see cref="TryRead"/> (or let <see cref="CaptureSession.Run(LiveCapture, PcapLab.Store.DuckDb.DuckDbConnection?)"/> do it).
    /// </summary>
    /// <param name="options">What to capture; checked before any native call.</param>
    /// <param name="ct">Stops the capture cleanly when cancelled (the file is closed validly, rows already read are kept).</param>
    /// <exception cref="ArgumentException">A bad option value.</exception>
    /// <exception cref="CaptureException">No privileges, no such interface, a bad filter (libpcap's message), or the file cannot be created.</exception>
    /// <exception cref="PcapLab.Native.NativeLibraryMissingException">libpcap is not installed.</exception>
    public static LiveCapture Start(LiveCaptureOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        PcapNative.EnsureLoaded();
        string device = options.Interface;
        var basePath = Path.GetFullPath(options.OutputPath ?? LiveCaptureOptions.DefaultFileName(device, DateTime.UtcNow));
        var warnings = new List<CaptureWarning>();
        SafePcapHandle pcap;
        byte* errbuf = stackalloc byte[PcapNative.ErrbufSize];
        errbuf[0] = 0;
        pcap = PcapNative.Create(device, errbuf);
        if (pcap.IsInvalid)
        {
            var message = PcapErrors.FromErrbuf(errbuf);
            pcap.Dispose();
            throw new CaptureException(CaptureErrorKind.Failed, $"cannot open '{device}': {message}");
        }
        try
        {
            PcapErrors.Check(PcapNative.SetSnaplen(pcap, options.SnapLength), pcap, "pcap_set_snaplen", device);
            PcapErrors.Check(PcapNative.SetPromisc(pcap, options.Promiscuous ? 1 : 0), pcap, "pcap_set_promisc", device);
            PcapErrors.Check(PcapNative.SetImmediateMode(pcap, options.ImmediateMode ? 1 : 0), pcap, "pcap_set_immediate_mode", device);
            if (options.BufferSize > 0) PcapErrors.Check(PcapNative.SetBufferSize(pcap, options.BufferSize), pcap, "pcap_set_buffer_size", device);
            PcapErrors.Check(PcapNative.SetTimeout(pcap, Math.Max(1, (int)options.ReadTimeout.TotalMilliseconds)), pcap, "pcap_set_timeout", device);
            // Nanosecond timestamps where the platform offers them; microseconds otherwise.
            _ = PcapNative.SetTstampPrecision(pcap, PcapNative.TstampPrecisionNano);
            int rc = PcapNative.Activate(pcap);
            if (rc < 0) throw PcapErrors.ForStatus(rc, pcap, "pcap_activate", device);
            if (rc > 0)
                warnings.Add(new CaptureWarning(0, $"{device}: " + (rc == (int)PcapNative.Status.WarningPromiscNotSup
                    ? "the interface does not support promiscuous mode" : PcapErrors.LastError(pcap))));
            bool nano = PcapNative.GetTstampPrecision(pcap) == PcapNative.TstampPrecisionNano;
            var linkType = FromDlt(PcapNative.Datalink(pcap));
            int snap = PcapNative.Snapshot(pcap);
            if (!string.IsNullOrWhiteSpace(options.Filter)) ApplyFilter(pcap, device, options.Filter);
            var live = new LiveCapture(options, pcap, linkType, nano, snap > 0 ? snap : options.SnapLength, Describe(device), basePath, ct);
            live._warnings.AddRange(warnings);
            return live;
        }
        catch
        {
            pcap.Dispose();
            throw;
        }
    }

    private static void ApplyFilter(SafePcapHandle pcap, string device, string filter)
    {
        using var program = new SafeBpfProgramHandle();
        if (PcapNative.Compile(pcap, program, filter, 1, PcapNative.NetmaskUnknown) < 0)
            throw new CaptureException(CaptureErrorKind.BadFilter, $"bad capture filter \"{filter}\": {PcapErrors.LastError(pcap)}");
        if (PcapNative.SetFilter(pcap, program) < 0)
            throw new CaptureException(CaptureErrorKind.BadFilter, $"cannot apply filter \"{filter}\" on '{device}': {PcapErrors.LastError(pcap)}");
    }

    // On Linux libpcap reports DLT values; they equal LINKTYPE values except DLT_RAW (12) and DLT_ATM_RFC1483 (11).
    private static LinkType FromDlt(int dlt) => dlt switch
    {
        12 => LinkType.Raw,
        11 => (LinkType)100,
        _ => (LinkType)(ushort)dlt,
    };

    // if_description: libpcap's description when it has one (rare on Linux), else the flags and addresses, which are evidence too.
    private static string? Describe(string device)
    {
        try
        {
            var dev = CaptureDevice.List().FirstOrDefault(d => d.Name == device);
            if (dev is null) return null;
            if (!string.IsNullOrEmpty(dev.Description)) return dev.Description;
            var addresses = string.Join(' ', dev.Addresses.Select(a => a.ToString()));
            return $"{dev.Name} ({dev.FlagText})" + (addresses.Length > 0 ? " " + addresses : "");
        }
        catch (CaptureException) { return null; }
    }

    /// <summary>The interface captured on.</summary>
    public string Interface => _options.Interface;

    /// <summary>The link type libpcap reports for the interface.</summary>
    public LinkType LinkType => _linkType;

    /// <summary>True when timestamps have nanosecond precision (else microseconds).</summary>
    public bool NanosecondTimestamps => _nanosecond;

    /// <summary>The file being written (or the last one, once stopped).</summary>
    public string CurrentFile => _files[^1];

    /// <summary>Every file written so far, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Packets captured so far (read it on the capturing thread; other threads use <see cref="Stats"/>).</summary>
    public long Packets => _packets;

    /// <summary>The latest statistics snapshot; safe to read from any thread.</summary>
    public CaptureStats Stats => Volatile.Read(ref _stats);

    /// <summary>Why the capture ended, or <see cref="CaptureStopReason.Running"/>.</summary>
    public CaptureStopReason StopReason => _reason;

    /// <summary>True once the capture has stopped for good (limit, stop request, or fault).</summary>
    public bool IsStopped => _reason != CaptureStopReason.Running;

    /// <inheritdoc/>
    public CaptureFault? Fault { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<CaptureWarning> Warnings => _warnings;

    /// <inheritdoc/>
    public IReadOnlyList<CaptureInterface> Interfaces => _interfaces;

    /// <summary>Offset in the current file where the next block will go.</summary>
    public long Position => _writer?.Length ?? 0;

    /// <inheritdoc/>
    public long SourcePosition => Position;

    /// <summary>0: a live capture has no known length.</summary>
    public long SourceLength => 0;

    /// <summary>Asks the capture to stop; safe from any thread (a Ctrl-C handler, a kernel interrupt). Reading ends at the next packet or read timeout.</summary>
    public void Stop()
    {
        _stopRequested = true;
        Wake();
    }

    private void Wake()
    {
        if (_disposed) return;
        try { PcapNative.BreakLoop(_pcap); }
        catch (ObjectDisposedException) { /* closed meanwhile: nothing left to wake */ }
    }

    /// <inheritdoc/>
    public bool TryRead(out PacketRecord packet)
    {
        packet = default;
        if (_fileEnded || _disposed) return false;
        if (_rotateDue)
        {
            EndFile();
            return false;
        }
        while (true)
        {
            long now = _clock.ElapsedTicks;
            if (_stopRequested) return Finish(CaptureStopReason.Stopped);
            if (now >= _durationTicks) return Finish(CaptureStopReason.Duration);
            if (_options.MaxPackets is { } max && _packets >= max) return Finish(CaptureStopReason.PacketCount);
            if (now - _lastProgressTicks >= _progressTicks) Publish(now);

            int rc = PcapNative.NextEx(_pcap, out var header, out var data);
            if (rc == 1)
            {
                long ts = header->Seconds * 1_000_000_000 + (_nanosecond ? header->Fraction : header->Fraction * 1000);
                var bytes = new ReadOnlySpan<byte>(data, (int)header->CapLen);
                int wire = (int)Math.Min(header->Len, int.MaxValue);
                long offset = _writer!.WritePacket(0, ts, bytes, wire);
                _packets++; _filePackets++; _bytes += wire;
                if (_options.RotateBytes is { } limit && _writer.Length >= limit) _rotateDue = true;
                packet = new PacketRecord(ts, wire, 0, _linkType, bytes, offset);
                return true;
            }
            // 0: read timeout; -2: pcap_breakloop from a stop request or the wake timer. Either way: flush if due, check limits again.
            if (rc == 0 || rc == (int)PcapNative.Status.Break) { _writer!.FlushIfDue(); continue; }
            Fault = new CaptureFault(CaptureFaultKind.IoError, Position, $"{Interface}: capture failed: {PcapErrors.LastError(_pcap)}");
            return Finish(CaptureStopReason.Fault);
        }
    }

    /// <summary>
    /// After <see cref="TryRead"/> returned false at a rotation, opens the next file and returns true; returns false
    /// (and closes the current file if still open) once the capture has stopped.
    /// </summary>
    public bool NextFile()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsStopped || !_fileEnded)
        {
            // The caller stopped reading before a boundary (storing failed, say): end here.
            if (!IsStopped) Finish(CaptureStopReason.Stopped);
            return false;
        }
        OpenFile();
        return true;
    }

    /// <summary>Stops capturing (if still running) and closes the current file validly, with its statistics block. Idempotent.</summary>
    public void Close()
    {
        if (_disposed) return;
        if (!IsStopped) Finish(CaptureStopReason.Stopped);
    }

    /// <summary>Closes the file validly and releases the interface.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        Close();
        _disposed = true;
        _cancel.Dispose();
        _wake.Dispose();
        _pcap.Dispose();
    }

    private bool Finish(CaptureStopReason reason)
    {
        if (_reason == CaptureStopReason.Running) _reason = reason;
        EndFile();
        return false;
    }

    private void OpenFile()
    {
        var path = FilePath(_files.Count);
        var dir = Path.GetDirectoryName(path);
        try { if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaptureException(CaptureErrorKind.OutputFailed, $"cannot create folder '{dir}': {e.Message}", e);
        }
        _writer = PcapngWriter.Create(path, _options.Filter is { Length: > 0 } f ? $"live capture on {Interface}, filter: {f}" : $"live capture on {Interface}");
        _writer.AddInterface(new PcapngInterface(_linkType, _snapLength, Interface, _description, _options.Filter, NanosecondTimestamps: true));
        _files.Add(path);
        _filePackets = 0;
        _fileEnded = _rotateDue = false;
        Publish(_clock.ElapsedTicks);
    }

    private void EndFile()
    {
        if (_fileEnded || _writer is null) return;
        _fileEnded = true;
        Publish(_clock.ElapsedTicks);
        var s = _pcapStats;
        try
        {
            _writer.WriteStatistics(0, new InterfaceStatistics(_startNs, UnixNowNs(), s.Received, s.InterfaceDropped, s.Dropped, _filePackets));
        }
        finally
        {
            _writer.Dispose();
        }
    }

    private string FilePath(int index)
    {
        if (_options.RotateBytes is null) return _basePath;
        var ext = Path.GetExtension(_basePath);
        return Path.Combine(Path.GetDirectoryName(_basePath) ?? "",
            $"{Path.GetFileNameWithoutExtension(_basePath)}-{index:D3}{(ext.Length > 0 ? ext : ".pcapng")}");
    }

    // Reads pcap_stats on the capturing thread (libpcap handles are not thread-safe) and publishes a snapshot.
    private void Publish(long nowTicks)
    {
        if (!_disposed && PcapNative.Stats(_pcap, out var s) == 0) _pcapStats = s;
        double seconds = (nowTicks - _lastProgressTicks) / (double)Stopwatch.Frequency;
        // A rate over a sliver of time (a publish at a file boundary) says nothing: keep the previous one.
        double pps = _stats.PacketsPerSecond;
        if (seconds >= 0.05)
        {
            pps = (_packets - _lastProgressPackets) / seconds;
            _lastProgressTicks = nowTicks; _lastProgressPackets = _packets;
        }
        var snapshot = new CaptureStats(Interface, _packets, _bytes, _pcapStats.Received, _pcapStats.Dropped, _pcapStats.InterfaceDropped,
            _clock.Elapsed, pps,
            _files.Count > 0 ? _files[^1] : FilePath(0), Math.Max(0, _files.Count - 1));
        Volatile.Write(ref _stats, snapshot);
        _options.Progress?.Report(snapshot);
    }

    private static long UnixNowNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
}

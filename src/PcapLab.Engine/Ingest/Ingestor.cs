using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using PcapLab.Dissect;
using PcapLab.Dissect.Fragments;
using PcapLab.Flows;
using PcapLab.Read;
using PcapLab.Records;
using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Ingest;

/// <summary>
/// Loads capture files into the store in one pass: read, dissect and track on the calling thread; format and append
/// on a second thread, so both cores work. Rows of a file that faults part-way stay stored and its <c>captures</c>
/// row says what happened and where.
/// </summary>
public static class Ingestor
{
    private const int QueueDepth = 8;

    /// <summary>Loads the given files (paths or globs) into the database behind <paramref name="db"/>.</summary>
    /// <remarks>Cancelling stops at the next batch boundary: what was read is stored and the capture is marked interrupted.</remarks>
    public static IngestSummary Load(DuckDbConnection db, IEnumerable<string> pathsOrGlobs, IngestOptions? options = null, CancellationToken ct = default)
    {
        options ??= new IngestOptions();
        LabStore.EnsureSchema(db);
        var files = CaptureFiles.Expand(pathsOrGlobs);
        var clock = Stopwatch.StartNew();
        var progress = new ProgressAggregate(options, files, clock, 1).Worker(0);
        var results = new List<CaptureLoad>(files.Count);
        bool interrupted = false;
        for (int i = 0; i < files.Count && !interrupted; i++)
        {
            progress.StartFile(i);
            var slot = Register(db, files[i], options, []);   // earlier files are stored already, so the database knows them
            results.Add(slot.Done ?? Fill(db, slot, options, progress, ct));
            interrupted = ct.IsCancellationRequested;
        }
        return new IngestSummary(results, clock.Elapsed) { Interrupted = interrupted };
    }

    /// <summary>
    /// Loads files into <paramref name="database"/>, <see cref="IngestOptions.Parallelism"/> files at a time, each on its own
    /// connection (one file per core is the sweet spot for many small captures). Capture ids and results follow the
    /// input order, whichever worker finishes first, so a rerun gives every capture and flow the same id.
    /// </summary>
    public static IngestSummary Load(DuckDbDatabase database, DuckDbConnection db, IEnumerable<string> pathsOrGlobs, IngestOptions? options = null,
        CancellationToken ct = default)
    {
        options ??= new IngestOptions();
        var files = CaptureFiles.Expand(pathsOrGlobs);
        int workers = Math.Clamp(options.Parallelism, 1, Math.Max(1, files.Count));
        if (workers == 1) return Load(db, files, options, ct);
        LabStore.EnsureSchema(db);
        var clock = Stopwatch.StartNew();
        var slots = new List<Slot>(files.Count);
        foreach (var file in files) slots.Add(Register(db, file, options, slots));
        var aggregate = new ProgressAggregate(options, files, clock, workers);
        var results = new CaptureLoad?[files.Count];
        int next = -1;
        var connections = new List<DuckDbConnection> { db };
        try
        {
            for (int w = 1; w < workers; w++) connections.Add(database.Connect());
            var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
            {
                var progress = aggregate.Worker(w);
                int i;
                while (!ct.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < files.Count)
                {
                    progress.StartFile(i);
                    results[i] = slots[i].Done ?? Fill(connections[w], slots[i], options, progress, ct);
                }
            }) { Name = $"pcaplab-ingest-{w}", IsBackground = true }).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
        }
        finally
        {
            foreach (var c in connections.Skip(1)) c.Dispose();
            // Files registered but never started (the load was cancelled) leave no row behind.
            for (int i = 0; i < slots.Count; i++)
                if (results[i] is null && slots[i].Done is null) LabStore.RemoveCapture(db, slots[i].CaptureId);
        }
        return new IngestSummary(results.Where(r => r != null).Select(r => r!).ToList(), clock.Elapsed) { Interrupted = ct.IsCancellationRequested };
    }

    /// <summary>A file given its capture id before loading starts; <see cref="Done"/> is set when there is nothing to load.</summary>
    private sealed class Slot(string path, long fileBytes)
    {
        public string Path { get; } = path;
        public long FileBytes { get; } = fileBytes;
        public string? Sha256 { get; set; }
        public int CaptureId { get; set; }
        public CaptureLoad? Done { get; set; }
    }

    /// <summary>
    /// Gives a file its capture id, or finds its bytes already stored (in the database, or earlier in this batch).
    /// The hash is only worth taking up front when a capture of the same size exists; otherwise <see cref="Fill"/> hashes while reading.
    /// </summary>
    private static Slot Register(DuckDbConnection db, string path, IngestOptions options, IReadOnlyList<Slot> earlier)
    {
        var started = Stopwatch.StartNew();
        var slot = new Slot(path, File.Exists(path) ? new FileInfo(path).Length : 0);
        var sameSize = earlier.Where(e => e.Done is null && e.FileBytes == slot.FileBytes).ToList();
        if (!options.Reload && (sameSize.Count > 0 || LabStore.HasCaptureOfSize(db, slot.FileBytes)))
        {
            slot.Sha256 = TryHashFile(path);
            Trace.Phase(path, "hash", started);
            foreach (var e in sameSize.Where(e => e.Sha256 is null))
            {
                e.Sha256 = TryHashFile(e.Path);
                LabStore.SetCaptureHash(db, e.CaptureId, e.Sha256, e.FileBytes);
            }
            int? existing = slot.Sha256 is null ? null
                : sameSize.FirstOrDefault(e => e.Sha256 == slot.Sha256)?.CaptureId ?? LabStore.FindCapture(db, slot.Sha256);
            if (existing is int id)
            {
                slot.CaptureId = id;
                slot.Done = new CaptureLoad { CaptureId = id, Path = path, Sha256 = slot.Sha256, Status = "ok", AlreadyLoaded = true, FileBytes = slot.FileBytes };
                return slot;
            }
        }
        slot.CaptureId = LabStore.AddCapture(db, path, slot.Sha256, slot.FileBytes);
        return slot;
    }

    /// <summary>Reads a registered file into its capture.</summary>
    private static CaptureLoad Fill(DuckDbConnection db, Slot slot, IngestOptions options, ProgressClock progress, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        string path = slot.Path;
        int captureId = slot.CaptureId;
        var hashing = slot.Sha256 is null ? Task.Run(() => TryHashFile(path)) : null;
        string? sha256 = slot.Sha256;

        CaptureReader reader;
        try { reader = CaptureReader.Open(path); }
        catch (CaptureOpenException e)
        {
            sha256 ??= hashing?.Result;
            LabStore.SetCaptureHash(db, captureId, sha256, slot.FileBytes);
            LabStore.FinishCapture(db, captureId, new CaptureTotals(), "error", e.Message, 0, null, null, false, []);
            return new CaptureLoad { CaptureId = captureId, Path = path, Sha256 = sha256, Status = "error", Error = e.Message, FileBytes = slot.FileBytes, Elapsed = started.Elapsed };
        }

        using (reader)
        {
            var load = Store(db, captureId, reader, path, FormatName(reader), reader.IsGzip, options, progress, ct);
            if (hashing != null)
            {
                sha256 = hashing.Result;
                LabStore.SetCaptureHash(db, captureId, sha256, slot.FileBytes);
            }
            return load with { Sha256 = sha256, FileBytes = slot.FileBytes, Elapsed = started.Elapsed };
        }
    }

    /// <summary>
    /// Stores packets from any source (a live interface, say) as one capture named <paramref name="path"/>.
    /// The caller computes the file's SHA-256 once the file is closed and records it with <see cref="LabStore.SetCaptureHash"/>.
    /// </summary>
    public static CaptureLoad LoadSource(DuckDbConnection db, IPacketSource source, string path, string format, IngestOptions? options = null,
        CancellationToken ct = default)
    {
        options ??= new IngestOptions();
        LabStore.EnsureSchema(db);
        var started = Stopwatch.StartNew();
        var progress = new ProgressAggregate(options, [path], started, 1).Worker(0);
        progress.StartFile(0);
        int captureId = LabStore.AddCapture(db, path, null, 0);
        var load = Store(db, captureId, source, path, format, false, options, progress, ct);
        return load with { Elapsed = started.Elapsed, FileBytes = File.Exists(path) ? new FileInfo(path).Length : 0 };
    }

    private static CaptureLoad Store(DuckDbConnection db, int captureId, IPacketSource source, string path, string format, bool compressed,
        IngestOptions options, ProgressClock progress, CancellationToken ct)
    {
        var totals = new CaptureTotals();
        string? error = null; long? errorOffset = null; string status = "ok";
        var pipeline = new AppendPipeline(db, captureId, withFlows: options.Flows);
        var flows = options.Flows ? new FlowTable(options.FlowOptions ?? new FlowOptions(), pipeline) : null;
        var phase = Stopwatch.StartNew();
        try
        {
            ReadAll(source, pipeline, flows, ref totals, progress, ct);
            Trace.Phase(path, "read+dissect+flows", phase);
        }
        finally
        {
            pipeline.Complete();
            Trace.Phase(path, "append drained", phase);
        }
        if (pipeline.Error is { } writeError)
        {
            status = "error"; error = $"{path}: storing failed after {totals.Packets} packets: {writeError.Message}";
        }
        else if (source.Fault is { } fault)
        {
            status = fault.Kind == CaptureFaultKind.Truncated ? "truncated" : "error";
            error = fault.Message; errorOffset = fault.Offset;
        }
        else if (ct.IsCancellationRequested)
        {
            status = "error"; error = $"{path}: interrupted after {totals.Packets} packets, at offset {source.Position}";
            errorOffset = source.Position;
        }
        var warnings = source.Warnings.Select(w => w.Message).ToArray();
        var linkTypes = source.Interfaces.Select(i => LinkTypeName(i.LinkType)).Distinct().ToArray();
        try
        {
            if (options.Flows && pipeline.Error is null) pipeline.FillFragmentFlowIds();
            Trace.Phase(path, "fragment flow ids", phase);
            pipeline.WriteWeirds(totals.Weirds);
            LabStore.FinishCapture(db, captureId, totals, status, error, errorOffset, format, linkTypes, compressed, warnings);
        }
        catch (DuckDbException e)
        {
            // The database itself failed (out of memory, disk full): say so for this capture instead of ending the process.
            status = "error";
            error = $"{path}: storing failed after {totals.Packets} packets: {e.Message.Split('\n')[0]}";
        }
        progress.FileDone(source.SourceLength, totals.Packets);
        return new CaptureLoad
        {
            CaptureId = captureId, Path = path, Format = format, Status = status, Error = error,
            Packets = totals.Packets, Bytes = totals.Bytes, Warnings = warnings,
        };
    }

    // The packet path: no allocation per packet; batches are recycled through the pipeline.
    private static void ReadAll(IPacketSource reader, AppendPipeline pipeline, FlowTable? flows, ref CaptureTotals totals, ProgressClock progress, CancellationToken ct)
    {
        var info = new PacketInfo();
        var whole = new PacketInfo();
        var batch = pipeline.Rent();
        long frameNo = 0, flowBase = pipeline.FlowIdBase;
        var weirds = totals.Weirds;
        var defrag = flows != null ? new IpDefragmenter(new DefragOptions(), weirds) : null;
        var app = flows != null ? pipeline.StartAppLayer(weirds) : null;
        while (reader.TryRead(out var rec))
        {
            frameNo++;
            weirds.Frame = frameNo;
            PacketDissector.Dissect(rec.LinkType, rec.Data, rec.OriginalLength, ref info);
            long flowId = 0;
            if (flows != null)
            {
                // Flows and analyzers see whole datagrams, as Zeek does: fragments wait for reassembly.
                if ((info.Frag & (FragmentFlags.MoreFragments | FragmentFlags.NonFirst)) == 0)
                    flowId = Track(flows, app!, in info, rec.Data, rec.TimestampNs, rec.OriginalLength, frameNo);
                else if (defrag!.TryAdd(in info, rec.Data, rec.TimestampNs, out var datagram))
                {
                    PacketDissector.Dissect(LinkType.Raw, datagram, ref whole);
                    flowId = Track(flows, app!, in whole, datagram, rec.TimestampNs, datagram.Length, frameNo);
                }
            }
            batch.Add(frameNo, rec.TimestampNs, rec.CapturedLength, rec.OriginalLength, rec.InterfaceId, (ushort)rec.LinkType, rec.Offset, in info,
                flowId == 0 ? 0 : flowId + flowBase);
            totals.Observe(rec.TimestampNs, rec.OriginalLength);
            if (info.Weird is { } weird) weirds.Count(weird, frameNo);
            if (batch.IsFull)
            {
                pipeline.Submit(batch);
                if (ct.IsCancellationRequested || pipeline.Error != null) break;
                progress.Tick(totals.Packets, reader.SourcePosition);
                batch = pipeline.Rent();
            }
        }
        pipeline.Submit(batch);
        // Flows still open at the end of input (or at an interrupt) are ended and stored too, with their records.
        flows?.Flush();
        app?.EndAll();
        pipeline.SubmitFlows();
        pipeline.SubmitRecords();
    }

    private static long Track(FlowTable flows, AppLayer app, in PacketInfo p, ReadOnlySpan<byte> frame, long ts, int wireLength, long frameNo)
    {
        long flowId = flows.Observe(in p, ts, wireLength, out bool fromOriginator);
        if (flowId == 0 || p.L4Offset < 0) return flowId;
        int start = Math.Min(p.PayloadOffset, frame.Length);
        var payload = frame.Slice(start, Math.Min(Math.Max(p.PayloadLength, 0), frame.Length - start));
        if (app.OnPacket(flowId, fromOriginator, in p, payload, ts, frameNo) is { } service) flows.SetService(flowId, service);
        return flowId;
    }

    /// <summary>SHA-256 of a file's bytes as lower-case hex, or null when it cannot be read.</summary>
    public static string? TryHashFile(string path)
    {
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20, FileOptions.SequentialScan);
            return Convert.ToHexStringLower(SHA256.HashData(f));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>The name a <c>captures.format</c> value uses for a reader's format.</summary>
    internal static string FormatName(CaptureReader r) => r.Format switch
    {
        CaptureFormat.Pcap => "pcap", CaptureFormat.PcapNanosecond => "pcap-ns", CaptureFormat.PcapModified => "pcap-modified",
        CaptureFormat.Pcapng => "pcapng", _ => r.Format.ToString().ToLowerInvariant(),
    };

    /// <summary>The name <c>captures.link_types</c> uses: the LINKTYPE_ name in lower case, or linktype_N when unnamed.</summary>
    public static string LinkTypeName(LinkType t) => Enum.IsDefined(t) ? t switch
    {
        LinkType.Null => "null", LinkType.LinuxSll => "linux_sll", LinkType.LinuxSll2 => "linux_sll2", LinkType.CiscoHdlc => "c_hdlc",
        LinkType.RawBsd12 or LinkType.RawBsd14 or LinkType.Raw => "raw", _ => t.ToString().ToLowerInvariant(),
    } : "linktype_" + (ushort)t;

    /// <summary>The append thread and the recycled batches it drains. It is also the flow table's sink.</summary>
    private sealed class AppendPipeline : IFlowSink
    {
        private readonly BlockingCollection<object> _full = new(QueueDepth);
        private readonly ConcurrentBag<PacketBatch> _freePackets = [];
        private readonly ConcurrentBag<FlowBatch> _freeFlows = [];
        private readonly PacketWriter _packets;
        private readonly FlowWriter? _flows;
        private readonly Thread _thread;
        private readonly DuckDbConnection _db;
        private readonly int _captureId;
        private readonly SemaphoreSlim _packetSlots, _flowSlots;
        private FlowBatch? _flowBatch;
        private readonly RecordWriter? _records;
        private RecordBatch _recordBatch;
        private AppLayer? _app;
        public volatile Exception? Error;

        /// <summary>Flow ids are capture_id × 2^32 + the flow's number in the capture: unique across the database even when
        /// several files load at once, and a flow id tells its capture.</summary>
        public long FlowIdBase { get; }

        public AppendPipeline(DuckDbConnection db, int captureId, bool withFlows)
        {
            _db = db; _captureId = captureId;
            FlowIdBase = (long)captureId << 32;
            _packets = new PacketWriter(db);
            if (withFlows) { _flows = new FlowWriter(db); _records = new RecordWriter(db); }
            _recordBatch = NewRecordBatch();
            for (int i = 0; i < QueueDepth + 2; i++) _freePackets.Add(new PacketBatch(_packets.VectorSize));
            for (int i = 0; i < 3; i++) _freeFlows.Add(new FlowBatch(_packets.VectorSize));
            _packetSlots = new SemaphoreSlim(QueueDepth + 2);
            _flowSlots = new SemaphoreSlim(3);
            _thread = new Thread(Drain) { Name = "pcaplab-append", IsBackground = true };
            _thread.Start();
        }

        public PacketBatch Rent()
        {
            _packetSlots.Wait();
            _freePackets.TryTake(out var b);
            b!.Count = 0; b.CaptureId = _captureId;
            return b;
        }

        public void Submit(PacketBatch b) => _full.Add(b);

        private RecordBatch NewRecordBatch() => new() { CaptureId = _captureId, FlowIdBase = FlowIdBase };

        /// <summary>The application layer of this capture; its records land in this pipeline's record batches.</summary>
        public AppLayer StartAppLayer(IWeirdSink weirds) => _app = new AppLayer(AppLayerOptions.Default, new RecordSink(this), weirds);

        /// <summary>Hands collected records to the append thread.</summary>
        public void SubmitRecords()
        {
            if (_recordBatch.Count == 0) return;
            _full.Add(_recordBatch);
            _recordBatch = NewRecordBatch();
        }

        private sealed class RecordSink(AppendPipeline pipeline) : IRecordSink
        {
            public void OnDns(DnsRecord r) { pipeline._recordBatch.OnDns(r); Check(); }
            public void OnHttp(HttpRecord r) { pipeline._recordBatch.OnHttp(r); Check(); }
            public void OnTls(TlsRecord r) { pipeline._recordBatch.OnTls(r); Check(); }
            public void OnSsh(SshRecord r) { pipeline._recordBatch.OnSsh(r); Check(); }
            private void Check() { if (pipeline._recordBatch.Count >= 2048) pipeline.SubmitRecords(); }
        }

        void IFlowSink.OnFlowEnded(in FlowRecord flow)
        {
            _app?.OnFlowEnded(flow.FlowId);

            if (_flowBatch is null)
            {
                _flowSlots.Wait();
                _freeFlows.TryTake(out _flowBatch);
                _flowBatch!.Count = 0; _flowBatch.CaptureId = _captureId; _flowBatch.FlowIdBase = FlowIdBase;
            }
            _flowBatch.Add(in flow);
            if (_flowBatch.IsFull) SubmitFlows();
        }

        /// <summary>Hands the partly filled flow batch to the append thread.</summary>
        public void SubmitFlows()
        {
            if (_flowBatch is null) return;
            _full.Add(_flowBatch);
            _flowBatch = null;
        }

        private void Drain()
        {
            foreach (var work in _full.GetConsumingEnumerable())
            {
                try
                {
                    if (Error != null) { }
                    else if (work is PacketBatch p) { if (p.Count > 0) _packets.Write(p); }
                    else if (work is FlowBatch f && f.Count > 0) _flows!.Write(f);
                    else if (work is RecordBatch r) _records!.Write(r);
                }
                catch (Exception e) { Error = e; }
                if (work is PacketBatch pb) { _freePackets.Add(pb); _packetSlots.Release(); }
                else if (work is FlowBatch fb) { Array.Clear(fb.Rows, 0, fb.Count); _freeFlows.Add(fb); _flowSlots.Release(); }
            }
        }

        /// <summary>Waits for every submitted batch to be stored, then commits the appenders.</summary>
        public void Complete()
        {
            SubmitFlows();
            SubmitRecords();
            _full.CompleteAdding();
            _thread.Join();
            try { _packets.Dispose(); _flows?.Dispose(); _records?.Dispose(); }
            catch (Exception e) { Error ??= e; }
        }

        public void WriteWeirds(WeirdCounts weirds)
        {
            foreach (var (name, count, firstFrame) in weirds.Entries)
                _db.Execute("INSERT INTO weirds (capture_id, name, count, first_frame) VALUES ($1, $2, $3, $4)", _captureId, name, count, firstFrame);
        }

        /// <summary>
        /// A datagram's flow is known once its last fragment arrives; the fragments stored before it get the same
        /// flow id, matched on addresses and IP identification within this capture.
        /// </summary>
        public void FillFragmentFlowIds() => _db.Execute("""
            UPDATE packets p SET flow_id = q.flow_id
            FROM (SELECT src_ip, dst_ip, ip_id, max(flow_id) AS flow_id FROM packets
                  WHERE capture_id = $1 AND ip_frag_offset IS NOT NULL AND flow_id IS NOT NULL GROUP BY ALL) q
            WHERE p.capture_id = $1 AND p.flow_id IS NULL AND p.ip_frag_offset IS NOT NULL
              AND p.src_ip = q.src_ip AND p.dst_ip = q.dst_ip AND p.ip_id = q.ip_id
            """, _captureId);

    }

    /// <summary>Progress of a whole load, summed over the workers; reports at most every <see cref="IngestOptions.ProgressInterval"/>.</summary>
    private sealed class ProgressAggregate(IngestOptions options, IReadOnlyList<string> files, Stopwatch clock, int workers)
    {
        private readonly long _total = files.Sum(f => File.Exists(f) ? new FileInfo(f).Length : 0);
        private readonly long[] _livePackets = new long[workers], _liveBytes = new long[workers];
        private readonly object _gate = new();
        private long _donePackets, _doneBytes, _lastTicks;
        private int _file;

        public ProgressClock Worker(int index) => new(this, index);

        public void Update(int worker, int? file, long packets, long bytes, bool done, bool force)
        {
            if (options.Progress is null) return;
            lock (_gate)
            {
                if (file is int f) _file = Math.Max(_file, f);
                if (done) { _donePackets += packets; _doneBytes += bytes; _livePackets[worker] = 0; _liveBytes[worker] = 0; }
                else { _livePackets[worker] = packets; _liveBytes[worker] = bytes; }
                long now = clock.ElapsedTicks;
                if (!force && now - _lastTicks < options.ProgressInterval.TotalSeconds * Stopwatch.Frequency) return;
                _lastTicks = now;
                // Reported under the lock so lines arrive in order from any worker.
                options.Progress.Report(new IngestProgress(_file, files.Count, files[Math.Min(_file, files.Count - 1)],
                    _donePackets + _livePackets.Sum(), _doneBytes + _liveBytes.Sum(), _total, clock.Elapsed));
            }
        }
    }

    /// <summary>One worker's view of the load's progress.</summary>
    private sealed class ProgressClock(ProgressAggregate aggregate, int worker)
    {
        public void StartFile(int index) => aggregate.Update(worker, index, 0, 0, done: false, force: true);
        public void Tick(long filePackets, long fileBytes) => aggregate.Update(worker, null, filePackets, fileBytes, done: false, force: false);
        public void FileDone(long fileBytes, long filePackets) => aggregate.Update(worker, null, filePackets, fileBytes, done: true, force: true);
    }
}

/// <summary>Where ingest time goes, on stderr when PCAPLAB_TRACE=1 (for tuning; off by default).</summary>
internal static class Trace
{
    private static readonly bool On = Environment.GetEnvironmentVariable("PCAPLAB_TRACE") == "1";

    public static void Phase(string path, string phase, Stopwatch clock)
    {
        if (On) Console.Error.WriteLine($"[trace] {Path.GetFileName(path)}: {phase} at {clock.Elapsed.TotalSeconds:F3}s");
    }
}

/// <summary>Running totals of one capture.</summary>
internal struct CaptureTotals
{
    public long Packets, Bytes, FirstTs, LastTs;
    public WeirdCounts Weirds;

    public CaptureTotals() { FirstTs = long.MaxValue; LastTs = long.MinValue; Weirds = new WeirdCounts(); }

    public void Observe(long ts, int len)
    {
        Packets++; Bytes += len;
        if (ts < FirstTs) FirstTs = ts;
        if (ts > LastTs) LastTs = ts;
    }
}

/// <summary>Counts weirds by name for the <c>weirds</c> table; names are constant strings, so counting does not allocate after the first of each.</summary>
internal sealed class WeirdCounts : IWeirdSink
{
    /// <summary>The frame being processed, so weirds from analyzers point at it.</summary>
    public long Frame;

    void IWeirdSink.Report(string name, long flowId, string? detail) => Count(name, Frame);

    private readonly Dictionary<string, (long Count, long FirstFrame)> _counts = new(StringComparer.Ordinal);

    public void Count(string name, long frame)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts, name, out bool existed);
        if (!existed) slot.FirstFrame = frame;
        slot.Count++;
    }

    public IEnumerable<(string Name, long Count, long FirstFrame)> Entries => _counts.Select(kv => (kv.Key, kv.Value.Count, kv.Value.FirstFrame));
}

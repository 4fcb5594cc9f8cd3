using System.Diagnostics;
using System.Text;
using PcapLab.Live;
using PcapLab.Read;
using PcapLab.Store;
using PcapLab.Testing;
using Xunit.Abstractions;

namespace PcapLab.Engine.Tests.Live;

/// <summary>Serialises the tests that capture on lo, so they do not load the 2 cores at once.</summary>
[CollectionDefinition("loopback capture", DisableParallelization = true)]
public sealed class LoopbackCaptureCollection;

/// <summary>
/// Live capture on lo, root only (CI runs as root). Traffic goes to 127.0.0.1 listeners of our own, bounded in count;
/// every filter names our ports, so other processes' loopback traffic never counts. Oracles: tshark, capinfos, tcpdump.
/// </summary>
[Collection("loopback capture")]
public sealed class LiveCaptureTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pcaplab-live-").FullName;

    public void Dispose() { try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } }

    [Fact]
    public void Lists_lo_with_its_address_and_flags()
    {
        var lo = Assert.Single(CaptureDevice.List(), d => d.Name == "lo");
        Assert.True(lo.IsLoopback && lo.IsUp);
        Assert.Contains(lo.Addresses, a => a.Family == "ipv4" && a.Address == "127.0.0.1" && a.Netmask == "255.0.0.0");
    }

    [Fact]
    public async Task Udp_and_tcp_sent_on_lo_are_captured_exactly_and_stored()
    {
        Loopback.RequireRoot();
        using var udp = new Loopback.UdpSink();
        using var other = new Loopback.UdpSink();
        using var tcp = new Loopback.TcpPeer();
        var file = Path.Combine(_dir, "lo.pcapng");
        var (database, db) = LabStore.Open(null);
        using (database) using (db)
        {
            using var live = LiveCapture.Start(new LiveCaptureOptions
            {
                Interface = "lo", Filter = $"udp port {udp.Port} or tcp port {tcp.Port}", OutputPath = file,
            });
            var run = Task.Run(() => CaptureSession.Run(live, db));

            var payloads = Loopback.UdpPayloads(300, "udp");
            Loopback.SendUdp(udp.EndPoint, payloads, pace: true);
            Loopback.SendUdp(other.EndPoint, Loopback.UdpPayloads(50, "excluded"), pace: true);
            var messages = Enumerable.Range(0, 40).Select(i => Encoding.ASCII.GetBytes($"tcp-message-{i:D3}:" + new string('x', 10 + i * 37))).ToArray();
            var tcpSent = tcp.Exchange(messages);
            Assert.True(udp.WaitFor(300, TimeSpan.FromSeconds(10)) && other.WaitFor(50, TimeSpan.FromSeconds(10)), "the loopback listeners did not get the traffic");
            // Every packet has been delivered to the sockets; wait (bounded) until the capture has returned them too, then stop.
            WaitUntil(() => live.Stats.Packets >= 300 + 40 + 6, TimeSpan.FromSeconds(10));
            Thread.Sleep(300);
            live.Stop();
            var summary = await run;

            Assert.Equal(CaptureStopReason.Stopped, summary.StopReason);
            Assert.True(summary.Ok, summary.Error);
            var captured = Assert.Single(summary.Files);
            Assert.Equal(file, captured.Path);
            CaptureFileChecks.AssertTsharkReadsCleanly(file);

            // tshark: the UDP datagrams, byte for byte and in order; the TCP stream, byte for byte; nothing to the other port.
            var frames = Tshark.Fields(file, "frame.len", "frame.cap_len", "udp.dstport", "udp.payload", "tcp.dstport", "tcp.payload", "frame.time_epoch");
            var udpFrames = frames.Where(f => f[2] == udp.Port.ToString()).ToList();
            Assert.Equal(payloads.Length, udpFrames.Count);
            Assert.Equal(payloads.Select(Convert.ToHexStringLower), udpFrames.Select(f => f[3].Replace(":", "")));
            var tcpStream = Convert.FromHexString(string.Concat(frames.Where(f => f[4] == tcp.Port.ToString()).Select(f => f[5].Replace(":", ""))));
            Assert.Equal(tcpSent, tcpStream);
            Assert.DoesNotContain(frames, f => f[2] == other.Port.ToString());
            Assert.Equal(frames.Count, summary.Stats.Packets);
            Assert.Equal(frames.Count, captured.Packets);

            // Our reader sees the same frames: lengths, bytes and nanosecond timestamps.
            using (var reader = CaptureReader.Open(file))
            {
                int i = 0;
                while (reader.TryRead(out var rec))
                {
                    Assert.Equal(frames[i][0], rec.OriginalLength.ToString());
                    Assert.Equal(frames[i][1], rec.CapturedLength.ToString());
                    Assert.Equal(frames[i][6].Replace(".", "").TrimStart('0'), rec.TimestampNs.ToString());
                    if (frames[i][2] == udp.Port.ToString()) Assert.True(rec.Data.EndsWith(Convert.FromHexString(frames[i][3].Replace(":", ""))));
                    i++;
                }
                Assert.Null(reader.Fault);
                Assert.Equal(frames.Count, i);
                Assert.Equal("lo", reader.Interfaces[0].Name);
                Assert.Equal(LinkType.Ethernet, reader.Interfaces[0].LinkType);
            }

            // The store: one capture row for the file with its hash; the packets; the UDP and TCP flows.
            var load = captured.Load!;
            Assert.Equal("ok", load.Status);
            Assert.Equal(global::PcapLab.Ingest.Ingestor.TryHashFile(file), db.Scalar<string>("SELECT sha256 FROM captures WHERE capture_id = $1", load.CaptureId));
            Assert.Equal(file, db.Scalar<string>("SELECT path FROM captures WHERE capture_id = $1", load.CaptureId));
            Assert.Equal(frames.Count, db.Scalar<long>("SELECT count(*) FROM packets WHERE capture_id = $1", load.CaptureId));
            Assert.Equal(300, db.Scalar<long>("SELECT count(*) FROM packets WHERE dst_port = $1 AND ip_proto = 17", udp.Port));
            Assert.Equal(300, db.Scalar<long>("SELECT orig_pkts FROM flows WHERE proto = 'udp' AND resp_p = $1", udp.Port));
            Assert.Equal(tcpSent.Length, db.Scalar<long>("SELECT orig_bytes FROM flows WHERE proto = 'tcp' AND resp_p = $1", tcp.Port));
            Assert.Equal("SF", db.Scalar<string>("SELECT conn_state FROM flows WHERE proto = 'tcp' AND resp_p = $1", tcp.Port));
            // packets.file_offset points at each frame's Enhanced Packet Block in the evidence file.
            var bytes = File.ReadAllBytes(file);
            using (var offsets = db.Query("SELECT file_offset FROM packets WHERE capture_id = $1 ORDER BY frame_no", load.CaptureId))
                while (offsets.Read()) Assert.Equal(6, BitConverter.ToInt32(bytes, (int)offsets.GetInt64(0)));

            // The statistics block closes the file, with what pcap_stats reported.
            var iface = Tool.Run("capinfos", "-M", "-I", file).Stdout;
            Assert.Contains("Number of stat entries = 1", iface);
            Assert.Contains($"udp port {udp.Port} or tcp port {tcp.Port}", iface);
            output.WriteLine($"captured {summary.Stats.Packets} packets; pcap_stats received {summary.Stats.Received}, kernel drops {summary.Stats.KernelDropped}");
        }
    }

    [Fact]
    public async Task A_count_limit_stops_the_capture_there()
    {
        Loopback.RequireRoot();
        using var udp = new Loopback.UdpSink();
        var file = Path.Combine(_dir, "count.pcapng");
        var run = Task.Run(() => CaptureSession.Run(new LiveCaptureOptions { Interface = "lo", Filter = $"udp dst port {udp.Port}", OutputPath = file, MaxPackets = 25 }));
        WaitUntil(() => File.Exists(file), TimeSpan.FromSeconds(10)); // the file is created once the filter is in place
        Loopback.SendUdp(udp.EndPoint, Loopback.UdpPayloads(100, "count"));
        var summary = await run;
        Assert.Equal(CaptureStopReason.PacketCount, summary.StopReason);
        Assert.Equal(25, Tshark.Fields(file, "frame.number").Count);
        CaptureFileChecks.AssertTsharkReadsCleanly(file);
    }

    [Fact]
    public async Task Cancellation_stops_cleanly_with_a_valid_file_and_the_rows_stored()
    {
        Loopback.RequireRoot();
        using var udp = new Loopback.UdpSink();
        var file = Path.Combine(_dir, "cancel.pcapng");
        using var cts = new CancellationTokenSource();
        var (database, db) = LabStore.Open(Path.Combine(_dir, "cancel.duckdb"));
        using (database) using (db)
        {
            var stats = new List<CaptureStats>();
            var run = Task.Run(() => CaptureSession.Run(new LiveCaptureOptions
            {
                Interface = "lo", Filter = $"udp port {udp.Port}", OutputPath = file,
                Progress = new Inline<CaptureStats>(s => { lock (stats) stats.Add(s); }), ProgressInterval = TimeSpan.FromMilliseconds(50),
            }, db, cts.Token));
            WaitUntil(() => File.Exists(file), TimeSpan.FromSeconds(10));
            // Keep sending (bounded) until the capture has seen some, then interrupt mid-stream.
            var sender = Task.Run(() => { for (int i = 0; i < 50 && !cts.IsCancellationRequested; i++) { Loopback.SendUdp(udp.EndPoint, Loopback.UdpPayloads(100, "c" + i)); Thread.Sleep(20); } });
            WaitUntil(() => { lock (stats) return stats.Count > 0 && stats[^1].Packets >= 500; }, TimeSpan.FromSeconds(20));
            cts.Cancel();
            var summary = await run;
            await sender;

            Assert.Equal(CaptureStopReason.Stopped, summary.StopReason);
            Assert.True(summary.Ok, summary.Error);
            CaptureFileChecks.AssertTsharkReadsCleanly(file);
            int frames = Tshark.Fields(file, "frame.number").Count;
            Assert.True(frames >= 500, $"{frames} frames");
            Assert.Equal(frames, summary.Stats.Packets);
            Assert.Equal(frames, db.Scalar<long>("SELECT count(*) FROM packets"));
            Assert.Equal("ok", db.Scalar<string>("SELECT status FROM captures"));
            Assert.Equal(frames, db.Scalar<long>("SELECT packets FROM captures"));
            Assert.True(stats.Count >= 2, "live statistics were reported while capturing");
            Assert.True(stats.Zip(stats.Skip(1)).All(p => p.First.Packets <= p.Second.Packets), "packet counts never go down");
        }
    }

    [Fact]
    public async Task Rotation_writes_one_valid_file_and_one_capture_row_per_size_limit()
    {
        Loopback.RequireRoot();
        using var udp = new Loopback.UdpSink();
        var basePath = Path.Combine(_dir, "rot.pcapng");
        var (database, db) = LabStore.Open(null);
        using (database) using (db)
        {
            var payloads = Enumerable.Range(0, 200).Select(i => Encoding.ASCII.GetBytes($"rot-{i:D4}-" + new string('r', 900))).ToArray();
            using var live = LiveCapture.Start(new LiveCaptureOptions { Interface = "lo", Filter = $"udp dst port {udp.Port}", OutputPath = basePath, RotateBytes = 50_000 });
            var run = Task.Run(() => CaptureSession.Run(live, db));
            Loopback.SendUdp(udp.EndPoint, payloads);
            WaitUntil(() => live.Stats.Packets >= payloads.Length, TimeSpan.FromSeconds(10));
            live.Stop();
            var summary = await run;

            Assert.True(summary.Files.Count >= 4, $"{summary.Files.Count} files");
            Assert.Equal(Enumerable.Range(0, summary.Files.Count).Select(i => Path.Combine(_dir, $"rot-{i:D3}.pcapng")), summary.Files.Select(f => f.Path));
            var all = new List<string>();
            foreach (var f in summary.Files)
            {
                CaptureFileChecks.AssertTsharkReadsCleanly(f.Path);
                var rows = Tshark.Fields(f.Path, "udp.payload");
                Assert.Equal(rows.Count, f.Packets);
                Assert.Equal(rows.Count, db.Scalar<long>("SELECT packets FROM captures WHERE capture_id = $1", f.Load!.CaptureId));
                Assert.Equal(f.Sha256, db.Scalar<string>("SELECT sha256 FROM captures WHERE capture_id = $1", f.Load.CaptureId));
                // Every file but the last stopped once it passed the limit: one packet over at most.
                if (f != summary.Files[^1]) Assert.InRange(f.FileBytes, 50_000, 50_000 + 1100);
                all.AddRange(rows.Select(r => r[0].Replace(":", "")));
            }
            Assert.Equal(payloads.Select(Convert.ToHexStringLower), all);
            Assert.Equal(summary.Files.Count, db.Scalar<long>("SELECT count(*) FROM captures WHERE status = 'ok'"));
            Assert.Equal(payloads.Length, db.Scalar<long>("SELECT count(*) FROM packets"));
        }
    }

    [Fact]
    public void Reading_and_writing_a_packet_allocates_nothing()
    {
        Loopback.RequireRoot();
        using var udp = new Loopback.UdpSink();
        using var live = LiveCapture.Start(new LiveCaptureOptions
        {
            Interface = "lo", Filter = $"udp dst port {udp.Port}", OutputPath = Path.Combine(_dir, "alloc.pcapng"),
            ProgressInterval = TimeSpan.FromHours(1), // statistics snapshots are the one (timed, not per-packet) allocation
        });
        Loopback.SendUdp(udp.EndPoint, Loopback.UdpPayloads(1100, "alloc"), pace: true);
        long sum = 0;
        for (int i = 0; i < 100; i++) { Assert.True(live.TryRead(out var warm)); sum += warm.CapturedLength; }
        long allocated = Allocations.SteadyState(() =>
        {
            for (int i = 0; i < 200; i++) { Assert.True(live.TryRead(out var rec)); sum += rec.CapturedLength; }
        });
        Assert.True(sum > 0);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_bad_filter_gives_libpcaps_own_message()
    {
        Loopback.RequireRoot();
        const string filter = "udp port and (";
        var e = Assert.Throws<CaptureException>(() => LiveCapture.Start(new LiveCaptureOptions { Interface = "lo", Filter = filter, OutputPath = Path.Combine(_dir, "x.pcapng") }));
        Assert.Equal(CaptureErrorKind.BadFilter, e.Kind);
        // tcpdump links the same libpcap: its complaint is the oracle.
        var tcpdump = Tool.Run("tcpdump", "-i", "lo", "-d", filter);
        Assert.NotEqual(0, tcpdump.ExitCode);
        var libpcapText = tcpdump.Stderr.Trim().Replace("tcpdump: ", "");
        Assert.Contains(libpcapText, e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "x.pcapng")), "no file is left behind when the capture cannot start");
    }

    [Fact]
    public void An_unknown_interface_is_named_in_the_error()
    {
        Loopback.RequireRoot();
        var e = Assert.Throws<CaptureException>(() => LiveCapture.Start(new LiveCaptureOptions { Interface = "nosuch0", OutputPath = Path.Combine(_dir, "x.pcapng") }));
        Assert.Equal(CaptureErrorKind.NoSuchInterface, e.Kind);
        Assert.Contains("nosuch0", e.Message);
    }

    [Fact]
    public void Bad_options_are_rejected_before_any_native_call()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LiveCapture.Start(new LiveCaptureOptions { Interface = "lo", SnapLength = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LiveCapture.Start(new LiveCaptureOptions { Interface = "lo", MaxPackets = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LiveCapture.Start(new LiveCaptureOptions { Interface = "lo", Duration = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => LiveCapture.Start(new LiveCaptureOptions { Interface = " " }));
    }

    [Fact]
    public async Task Load_of_300k_datagrams_reports_drops_and_keeps_the_counts_consistent()
    {
        Loopback.RequireRoot();
        using var udp = new Loopback.UdpSink(drain: false); // the socket buffer overflows; the capture still sees every packet on lo
        var file = Path.Combine(_dir, "load.pcapng");
        var (database, db) = LabStore.Open(null);
        using (database) using (db)
        {
            // A deliberately small kernel buffer so that drops are likely; the point is that they are read and reported.
            using var live = LiveCapture.Start(new LiveCaptureOptions { Interface = "lo", Filter = $"udp dst port {udp.Port}", OutputPath = file, SnapLength = 128, BufferSize = 1 << 20 });
            var run = Task.Run(() => CaptureSession.Run(live, db));
            const int count = 300_000;
            var clock = Stopwatch.StartNew();
            // Two senders (bounded: 150k datagrams each) to push the rate past what one send loop does.
            Parallel.For(0, 2, _ =>
            {
                var payload = new byte[18];
                using var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
                s.Connect(udp.EndPoint);
                for (int i = 0; i < count / 2; i++) s.Send(payload);
            });
            var sendTime = clock.Elapsed;
            // Wait (bounded) until the capture has accounted for every datagram: captured or dropped.
            WaitUntil(() => live.Stats.Received >= count, TimeSpan.FromSeconds(20));
            Thread.Sleep(500);
            live.Stop();
            var summary = await run;
            var st = summary.Stats;
            output.WriteLine($"sent {count:N0} datagrams in {sendTime.TotalSeconds:F2}s ({count / sendTime.TotalSeconds:N0}/s); captured {st.Packets:N0}, " +
                $"received {st.Received:N0}, kernel drops {st.KernelDropped:N0}, interface drops {st.InterfaceDropped:N0}");

            Assert.True(summary.Ok, summary.Error);
            Assert.True(st.Received >= count, $"pcap_stats received {st.Received} of {count}");
            Assert.True(st.Received + st.KernelDropped >= st.Packets);
            // Every datagram was captured or counted as dropped. Not equality: on lo the kernel also counts (and may drop)
            // the outgoing copy of each packet, which libpcap discards, so ps_recv is twice the datagrams.
            Assert.InRange(st.Packets, 1, count);
            Assert.True(st.Packets + st.KernelDropped >= count, $"captured {st.Packets} + dropped {st.KernelDropped} < sent {count}");
            CaptureFileChecks.AssertTsharkReadsCleanly(file);
            Assert.Equal(st.Packets, db.Scalar<long>("SELECT count(*) FROM packets"));
            var iface = Tool.Run("capinfos", "-M", "-I", file).Stdout;
            Assert.Contains("Number of stat entries = 1", iface);
        }
    }

    private static void WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout) Assert.Fail($"condition not met within {timeout.TotalSeconds}s");
            Thread.Sleep(20);
        }
    }

    private sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

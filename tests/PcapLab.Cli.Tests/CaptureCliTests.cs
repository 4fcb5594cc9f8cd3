using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using PcapLab.Testing;

namespace PcapLab.Cli.Tests;

/// <summary>
/// `pcaplab capture` through the published binary, on lo (root only; CI runs as root). Traffic goes to a 127.0.0.1 socket
/// of ours, bounded in count. Oracles: tshark, and the privilege tools (setpriv, capsh, setcap) of the OS.
/// </summary>
[Collection("pcaplab capture")]
public sealed class CaptureCliTests : IDisposable
{
    private readonly Tool.TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
            Assert.Fail("capture CLI tests need root (CI runs them as root) to capture on lo and to drop privileges; run the tests with sudo");
    }

    [Fact]
    public void List_shows_lo_with_its_address()
    {
        var r = CliRunner.Run("capture", "--list", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout);
        var lo = json.RootElement.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "lo");
        Assert.True(lo.GetProperty("loopback").GetBoolean());
        Assert.Contains(lo.GetProperty("addresses").EnumerateArray(), a => a.GetProperty("address").GetString() == "127.0.0.1");
        var table = CliRunner.Run("capture", "--list");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("127.0.0.1/8", table.Stdout);
    }

    [Fact]
    public void Capture_lo_for_3_seconds_into_a_file_and_a_database()
    {
        RequireRoot();
        var pcap = _tmp.File("x.pcapng");
        var db = _tmp.File("x.duckdb");
        using var sink = new UdpSink();
        using var p = Start("capture", "--interface", "lo", "--seconds", "3", "--out", pcap, "--db", db, "--json");
        WaitForFile(p, pcap);
        var sent = sink.Send(100, "cli");
        var (exit, stdout, stderr) = Finish(p);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("time limit", root.GetProperty("stopped").GetString());
        var frames = Tshark.Fields(pcap, "udp.dstport", "udp.payload");
        // Other processes may talk on lo too; ours are the datagrams to our port, every one of them, in order.
        Assert.Equal(sent.Select(Convert.ToHexStringLower), frames.Where(f => f[0] == sink.Port.ToString()).Select(f => f[1].Replace(":", "")));
        Assert.Equal(frames.Count, root.GetProperty("packets").GetInt64());
        Assert.Equal(frames.Count.ToString(), Sql(db, "select count(*) from packets"));
        Assert.Equal("100", Sql(db, $"select orig_pkts from flows where proto = 'udp' and resp_p = {sink.Port}"));
        var file = root.GetProperty("files")[0];
        Assert.Equal(HashOf(pcap), file.GetProperty("sha256").GetString());
        Assert.Equal($"{HashOf(pcap)},ok,pcapng", Sql(db, "select sha256, status, format from captures"));
        // Live status lines went to stderr while capturing (stderr is not a terminal here: one line a second).
        Assert.Contains("[capture] lo:", stderr);
    }

    [Fact]
    public void Ctrl_c_stops_cleanly_with_the_file_valid_and_rows_stored()
    {
        RequireRoot();
        var pcap = _tmp.File("int.pcapng");
        var db = _tmp.File("int.duckdb");
        using var sink = new UdpSink();
        using var p = Start("capture", "-i", "lo", "--filter", $"udp port {sink.Port}", "--out", pcap, "--db", db, "--json");
        WaitForFile(p, pcap);
        sink.Send(200, "int");
        Thread.Sleep(500); // let the capture drain what was sent before interrupting (nothing is asserted on time)
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString()])) kill.WaitForExit();
        var (exit, stdout, stderr) = Finish(p);

        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain("   at ", stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("interrupted", json.RootElement.GetProperty("stopped").GetString());
        var tshark = Tool.Run("tshark", "-n", "-r", pcap);
        Assert.Equal(0, tshark.ExitCode);
        Assert.Equal(200, tshark.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("200", Sql(db, "select count(*) from packets"));
        Assert.Equal("ok", Sql(db, "select status from captures"));
    }

    [Fact]
    public void Without_privileges_the_error_names_the_capability_and_the_fix()
    {
        RequireRoot();
        var outFile = _tmp.File("denied.pcapng");
        // As an unprivileged user, and as root with the two capabilities dropped from the bounding set.
        var asNobody = Tool.Run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Repo.Cli, "capture", "-i", "lo", "--seconds", "1", "--out", outFile);
        var capsDropped = Tool.Run("capsh", "--drop=cap_net_raw,cap_net_admin", "--", "-c", $"'{Repo.Cli}' capture -i lo --seconds 1 --out '{outFile}'");
        foreach (var r in new[] { asNobody, capsDropped })
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("CAP_NET_RAW", r.Stderr);
            Assert.Contains($"sudo setcap cap_net_raw,cap_net_admin=eip {Path.GetFullPath(Repo.Cli)}", r.Stderr);
            Assert.Contains("root", r.Stderr);
            Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
            Assert.Single(r.Stderr.Trim().Split('\n'));
        }
        Assert.False(File.Exists(outFile));
    }

    [Fact]
    public void The_setcap_fix_the_error_suggests_does_work()
    {
        RequireRoot();
        // A copy of the published CLI, so the shared binary keeps no capabilities; nobody can read it and write the output folder.
        var copy = _tmp.File("pcaplab-setcap");
        CopyDirectory(Path.GetDirectoryName(Path.GetFullPath(Repo.Cli))!, copy);
        var exe = Path.Combine(copy, Path.GetFileName(Repo.Cli));
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(_tmp.Path, (UnixFileMode)0b111_111_111);
        var setcap = Tool.Run("setcap", "cap_net_raw,cap_net_admin=eip", exe);
        Assert.True(setcap.ExitCode == 0, setcap.Stderr);
        var outFile = _tmp.File("nobody.pcapng");
        var r = Tool.Run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", exe, "capture", "-i", "lo", "--seconds", "1",
            "--filter", "udp port 9", "--out", outFile, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(0, Tool.Run("tshark", "-r", outFile).ExitCode);
    }

    [Fact]
    public void A_bad_filter_exits_1_with_libpcaps_message_and_bad_arguments_exit_2()
    {
        RequireRoot();
        var bad = CliRunner.RunIn(_tmp.Path, "capture", "-i", "lo", "--filter", "udp port (", "--seconds", "1");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("can't parse filter expression: syntax error", bad.Stderr);
        Assert.Empty(Directory.GetFiles(_tmp.Path, "capture-*.pcapng"));

        Assert.Equal(1, CliRunner.RunIn(_tmp.Path, "capture", "-i", "nosuch0", "--seconds", "1").ExitCode);
        Assert.Equal(2, CliRunner.Run("capture").ExitCode);
        Assert.Equal(2, CliRunner.Run("capture", "-i", "lo", "--snaplen", "0").ExitCode);
        Assert.Equal(2, CliRunner.Run("capture", "-i", "lo", "--seconds", "-1").ExitCode);
    }

    [Fact]
    public void The_default_file_name_is_timestamped_in_the_current_folder()
    {
        RequireRoot();
        var r = CliRunner.RunIn(_tmp.Path, "capture", "-i", "lo", "--count", "1", "--seconds", "1", "--filter", "udp port 9", "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var f = Assert.Single(Directory.GetFiles(_tmp.Path, "capture-*-lo.pcapng"));
        Assert.Matches(@"capture-\d{8}T\d{6}Z-lo\.pcapng$", f);
    }

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Repo.Cli) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("pcaplab did not start");
        p.StandardInput.Close();
        return p;
    }

    // The output file is created right after the interface is open and the filter set: from then on packets are captured.
    private static void WaitForFile(Process p, string file)
    {
        var sw = Stopwatch.StartNew();
        while (!File.Exists(file))
        {
            if (p.HasExited) Assert.Fail($"pcaplab exited early ({p.ExitCode}): {p.StandardError.ReadToEnd()}");
            if (sw.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail("the capture file did not appear within 30s");
            Thread.Sleep(20);
        }
    }

    private static (int Exit, string Stdout, string Stderr) Finish(Process p)
    {
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("pcaplab capture did not finish within 2 minutes");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Sql(string db, string query)
    {
        var r = CliRunner.Run("sql", "--db", db, "--format", "csv", query);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Trim();
    }

    private static string HashOf(string file) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.EnumerateFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.EnumerateDirectories(from)) CopyDirectory(d, Path.Combine(to, Path.GetFileName(d)));
    }

    /// <summary>A UDP socket of ours on a free 127.0.0.1 port (no ICMP unreachable), and a paced, bounded sender to it.</summary>
    private sealed class UdpSink : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        public UdpSink()
        {
            _socket.ReceiveBufferSize = 4 << 20;
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        }

        public int Port { get; }

        public List<byte[]> Send(int count, string tag)
        {
            var sent = new List<byte[]>();
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            for (int i = 0; i < count; i++)
            {
                var payload = Encoding.ASCII.GetBytes($"pcaplab-{tag}-{i:D4}-" + new string('z', i % 50));
                s.SendTo(payload, new IPEndPoint(IPAddress.Loopback, Port));
                sent.Add(payload);
                if (i % 20 == 19) Thread.Sleep(5);
            }
            return sent;
        }

        public void Dispose() => _socket.Dispose();
    }
}

/// <summary>Serialises the capture CLI tests (they share lo and the 2 cores).</summary>
[CollectionDefinition("pcaplab capture", DisableParallelization = true)]
public sealed class CaptureCliCollection;

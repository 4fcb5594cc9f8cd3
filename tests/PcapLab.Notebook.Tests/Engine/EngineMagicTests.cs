using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Tests.Cells;
using PcapLab.Store;
using PcapLab.Testing;

namespace PcapLab.Notebook.Tests.Engine;

/// <summary>The engine magics in a real session, on real captures.</summary>
public class EngineMagicTests
{
    private static string Http => Path.Combine(Repo.TestData, "records", "http.pcap");
    private static string Dns => Path.Combine(Repo.TestData, "records", "dns.pcap");

    private static Task<(CellContext Cell, RecordingOutput Out, CellFailure? Failure)> Run(NotebookSession s, string code, CancellationToken ct = default) =>
        CellRunner.Run(s, code, ct);

    [Fact]
    public async Task Pcap_load_then_sql_with_a_name_then_csharp_reads_it()
    {
        var s = new NotebookSession();
        var (_, load, f1) = await Run(s, $"#!pcap load {Http} {Dns}");
        Assert.Null(f1);
        Assert.Contains(load.Items, i => i.Text.Contains("http.pcap") && i.Text.Contains("ok"));
        int tsharkPackets = Tshark.Fields(Http, "frame.number").Count + Tshark.Fields(Dns, "frame.number").Count;

        var (_, _, f2) = await Run(s, "#!sql --name total\nselect count(*) from packets");
        Assert.Null(f2);
        Assert.True(s.TryGetVariable("total", out var total));
        Assert.Equal((long)tsharkPackets, Convert.ToInt64(total));

        var (_, _, f3) = await Run(s, "#!sql --name states\nselect conn_state, count(*) as n from flows group by 1");
        Assert.Null(f3);
        var (cell, _, f4) = await Run(s, "states.Rows.Count > 0 && Lab.Scalar<long>(\"select count(*) from dns\") > 0");
        Assert.Null(f4);
        Assert.Equal(true, cell.Result);
    }

    [Fact]
    public async Task At_variables_flow_into_magics()
    {
        var s = new NotebookSession();
        await Run(s, $"var pcap = \"{Http}\";");
        var (_, _, failure) = await Run(s, "#!pcap load @pcap");
        Assert.Null(failure);
        Assert.Equal(1L, s.Lab.Scalar<long>("select count(*) from captures where path = $1", Http));
    }

    [Fact]
    public async Task A_sql_error_names_the_cell_line_and_column_and_the_session_goes_on()
    {
        var s = new NotebookSession();
        var (_, _, failure) = await Run(s, "#!sql\nselect 1;\nselect nope\n  from packets");
        Assert.NotNull(failure);
        Assert.Equal("SqlError", failure!.Name);
        Assert.Contains("nope", failure.Value);
        Assert.Contains("cell line 3", failure.Value);
        var (cell, _, ok) = await Run(s, "6*7");
        Assert.Null(ok);
        Assert.Equal(42, cell.Result);
    }

    [Fact]
    public async Task Interrupting_a_long_query_ends_the_cell_and_keeps_the_session()
    {
        var s = new NotebookSession();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var (_, _, failure) = await Run(s, "#!sql\nselect count(*) from range(100000000000) a, range(1000) b", cts.Token);
        Assert.NotNull(failure);
        Assert.Equal("KeyboardInterrupt", failure!.Name);
        var (cell, _, ok) = await Run(s, "Lab.Scalar<long>(\"select 41 + 1\")");
        Assert.Null(ok);
        Assert.Equal(42L, cell.Result);
    }

    [Fact]
    public async Task Unknown_options_and_missing_values_are_named()
    {
        var s = new NotebookSession();
        var (_, _, bogus) = await Run(s, "#!pcap load x.pcap --bogus");
        Assert.Equal("MagicUsageError", bogus!.Name);
        Assert.Contains("--bogus", bogus.Value);
        var (_, _, missing) = await Run(s, "#!extract --where");
        Assert.Equal("MagicUsageError", missing!.Name);
        var (_, help, none) = await Run(s, "#!sql -h");
        Assert.Null(none);
        Assert.Contains(help.Items, i => i.Text.Contains("--name"));
    }

    [Fact]
    public async Task Extract_and_export_write_files_from_the_session()
    {
        var s = new NotebookSession();
        await Run(s, $"#!pcap load {Http}");
        var dir = Directory.CreateTempSubdirectory("pcaplab-magic-").FullName;
        try
        {
            var carved = Path.Combine(dir, "http.pcap");
            var (_, _, f1) = await Run(s, $"#!extract --where \"service = 'http'\" --out {carved}");
            Assert.Null(f1);
            Assert.Equal(s.Lab.Scalar<long>("select count(*) from packets where flow_id in (select flow_id from flows where service = 'http')"),
                Tshark.Fields(carved, "frame.number").Count);
            var (_, _, f2) = await Run(s, $"#!export --table flows --out {dir}/parquet --partition-by capture");
            Assert.Null(f2);
            Assert.Equal(s.Lab.Scalar<long>("select count(*) from flows"),
                s.Lab.Scalar<long>("select count(*) from read_parquet($1, hive_partitioning = true)", dir + "/parquet/**/*.parquet"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Live_capture_is_refused_when_the_runner_has_not_allowed_it()
    {
        var s = new NotebookSession { AllowLiveCapture = false };
        var (_, _, failure) = await Run(s, "#!capture lo --seconds 1");
        Assert.Equal("CaptureRefused", failure!.Name);
        Assert.Contains("--allow-capture", failure.Value);
    }

    [Fact]
    public async Task Live_capture_on_loopback_fills_the_tables()
    {
        Assert.True(Environment.UserName == "root", "live capture tests run as root (CI does)");
        var s = new NotebookSession();
        var dir = Directory.CreateTempSubdirectory("pcaplab-capture-").FullName;
        try
        {
            var file = Path.Combine(dir, "lo.pcapng");
            using var udp = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            int port = ((System.Net.IPEndPoint)udp.Client.LocalEndPoint!).Port;
            var capture = Run(s, $"#!capture lo --seconds 3 --filter \"udp port {port}\" --out {file}");
            await Task.Delay(1000);
            using (var sender = new System.Net.Sockets.UdpClient())
                for (int i = 0; i < 20; i++) await sender.SendAsync(new byte[] { (byte)i, 1, 2, 3 }, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
            var (_, _, failure) = await capture;
            Assert.Null(failure);
            Assert.Equal(20, Tshark.Fields(file, "frame.number").Count);
            Assert.Equal(20L, s.Lab.Scalar<long>("select count(*) from packets where dst_port = $1", port));
        }
        finally { Directory.Delete(dir, true); }
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using PcapLab.Live;
using PcapLab.Native;
using PcapLab.Store;
using PcapLab.Store.DuckDb;
using Spectre.Console;

namespace PcapLab.Cli.Commands.Capture;

/// <summary>
/// Runs `pcaplab capture`: a status line on stderr (rewritten in place on a terminal, one line a second otherwise),
/// the summary on stdout. Ctrl-C or SIGTERM stops the capture cleanly: the file is closed validly and the rows are stored.
/// </summary>
internal static class CaptureAction
{
    public static int Run(CaptureCommand cmd, ParseResult pr, CancellationToken ct)
    {
        bool json = pr.GetValue(cmd.Json);
        try
        {
            if (pr.GetValue(cmd.List)) return ListInterfaces(json);
            return Capture(cmd, pr, json, ct);
        }
        catch (CaptureException e)
        {
            Console.Error.WriteLine($"pcaplab capture: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (NativeLibraryMissingException e)
        {
            Console.Error.WriteLine($"pcaplab capture: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"pcaplab capture: {e.Message}");
            return ExitCodes.BadArguments;
        }
    }

    private static int ListInterfaces(bool json)
    {
        var devices = CaptureDevice.List();
        if (json)
        {
            using var w = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true });
            w.WriteStartArray();
            foreach (var d in devices)
            {
                w.WriteStartObject();
                w.WriteString("name", d.Name);
                w.WriteString("description", d.Description);
                w.WriteStartArray("addresses");
                foreach (var a in d.Addresses)
                {
                    w.WriteStartObject();
                    w.WriteString("family", a.Family); w.WriteString("address", a.Address); w.WriteString("netmask", a.Netmask);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteBoolean("up", d.IsUp); w.WriteBoolean("running", d.IsRunning);
                w.WriteBoolean("loopback", d.IsLoopback); w.WriteBoolean("wireless", d.IsWireless);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.Flush();
            Console.Out.WriteLine();
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("interface", "description", "addresses", "flags");
        foreach (var d in devices)
            table.AddRow(Markup.Escape(d.Name), Markup.Escape(d.Description ?? ""), Markup.Escape(string.Join("\n", d.Addresses.Select(a => a.ToString()))),
                d.FlagText);
        Out().Write(table);
        return ExitCodes.Ok;
    }

    private static int Capture(CaptureCommand cmd, ParseResult pr, bool json, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // SIGTERM (kill, timeout, a service manager) stops as cleanly as Ctrl-C does.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        var status = pr.GetValue(cmd.Quiet) ? null : new StatusLine(!Console.IsErrorRedirected);
        var options = new LiveCaptureOptions
        {
            Interface = pr.GetValue(cmd.Interface)!,
            Filter = pr.GetValue(cmd.Filter),
            SnapLength = pr.GetValue(cmd.SnapLength),
            OutputPath = pr.GetValue(cmd.Out),
            Duration = pr.GetValue(cmd.Seconds) is { } s ? TimeSpan.FromSeconds(s) : null,
            MaxPackets = pr.GetValue(cmd.Count),
            RotateBytes = pr.GetValue(cmd.RotateMb) is { } mb ? (long)(mb * 1_000_000) : null,
            BufferSize = pr.GetValue(cmd.BufferMb) is { } b ? b << 20 : LiveCaptureOptions.DefaultBufferSize,
            Promiscuous = !pr.GetValue(cmd.NoPromisc),
            ImmediateMode = pr.GetValue(cmd.Immediate),
            Progress = status,
        };
        options.Validate();

        var dbPath = pr.GetValue(cmd.Db);
        DuckDbDatabase? database = null; DuckDbConnection? db = null;
        if (dbPath != null)
        {
            try { (database, db) = LabStore.Open(dbPath); }
            catch (DuckDbException e)
            {
                Console.Error.WriteLine($"pcaplab capture: cannot open database '{dbPath}': {e.Message}");
                return ExitCodes.Failed;
            }
        }
        using (database)
        using (db)
        {
            CaptureSummary summary;
            try { summary = CaptureSession.Run(options, db, stop.Token); }
            finally { status?.End(); }
            if (json) WriteJson(summary, dbPath);
            else WriteTable(summary);
            foreach (var w in summary.Warnings) Console.Error.WriteLine($"pcaplab capture: warning: {w}");
            if (summary.Error != null) Console.Error.WriteLine($"pcaplab capture: {summary.Error}");
            return summary.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        }
    }

    /// <summary>The live status line: rewritten in place on a terminal, otherwise one line a second (logs stay readable).</summary>
    private sealed class StatusLine(bool terminal) : IProgress<CaptureStats>
    {
        private long _lastLine = Stopwatch.GetTimestamp() - Stopwatch.Frequency;
        private bool _written;

        public void Report(CaptureStats s)
        {
            if (terminal)
            {
                Console.Error.Write("\r" + s.StatusLine + "\u001b[K");
                _written = true;
                return;
            }
            long now = Stopwatch.GetTimestamp();
            if (now - _lastLine < Stopwatch.Frequency) return;
            _lastLine = now;
            Console.Error.WriteLine("[capture] " + s.StatusLine);
        }

        public void End()
        {
            if (terminal && _written) Console.Error.WriteLine();
        }
    }

    private static void WriteTable(CaptureSummary s)
    {
        var console = Out();
        var table = new Table().AddColumns("capture", "file", "packets", "bytes", "sha256");
        foreach (var f in s.Files)
            table.AddRow(f.Load?.CaptureId.ToString() ?? "-", Markup.Escape(f.Path), f.Packets.ToString("N0"), f.FileBytes.ToString("N0"),
                f.Sha256?[..16] ?? "-");
        console.Write(table);
        var st = s.Stats;
        console.WriteLine($"{st.Packets:N0} packets ({CaptureStats.FormatBytes(st.Bytes)}) on {st.Interface} in {st.Elapsed.TotalSeconds:F1}s, " +
            $"{st.AveragePacketsPerSecond:N0} packets/s; kernel drops {st.KernelDropped:N0}, interface drops {st.InterfaceDropped:N0}; " +
            $"stopped: {StopText(s.StopReason)}");
    }

    private static string StopText(CaptureStopReason r) => r switch
    {
        CaptureStopReason.Duration => "time limit",
        CaptureStopReason.PacketCount => "packet count",
        CaptureStopReason.Stopped => "interrupted",
        CaptureStopReason.Fault => "error",
        _ => r.ToString().ToLowerInvariant(),
    };

    private static void WriteJson(CaptureSummary s, string? db)
    {
        using var w = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true });
        var st = s.Stats;
        w.WriteStartObject();
        w.WriteString("interface", st.Interface);
        w.WriteString("db", db is null ? null : Path.GetFullPath(db));
        w.WriteBoolean("ok", s.Ok);
        w.WriteString("error", s.Error);
        w.WriteString("stopped", StopText(s.StopReason));
        w.WriteNumber("packets", st.Packets);
        w.WriteNumber("bytes", st.Bytes);
        w.WriteNumber("received", st.Received);
        w.WriteNumber("kernel_drops", st.KernelDropped);
        w.WriteNumber("interface_drops", st.InterfaceDropped);
        w.WriteNumber("seconds", st.Elapsed.TotalSeconds);
        w.WriteStartArray("files");
        foreach (var f in s.Files)
        {
            w.WriteStartObject();
            w.WriteString("path", f.Path);
            w.WriteNumber("packets", f.Packets);
            w.WriteNumber("file_bytes", f.FileBytes);
            w.WriteString("sha256", f.Sha256);
            if (f.Load is { } l) { w.WriteNumber("capture_id", l.CaptureId); w.WriteString("status", l.Status); }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("warnings");
        foreach (var x in s.Warnings) w.WriteStringValue(x);
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        Console.Out.WriteLine();
    }

    private static IAnsiConsole Out() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
}

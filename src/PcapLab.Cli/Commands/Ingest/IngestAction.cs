using System.CommandLine;
using System.Text.Json;
using PcapLab.Export;
using PcapLab.Ingest;
using PcapLab.Store;
using PcapLab.Store.DuckDb;
using Spectre.Console;

namespace PcapLab.Cli.Commands.Ingest;

/// <summary>Runs `pcaplab ingest`: progress on stderr (a live bar on a terminal, plain lines otherwise), summary on stdout.</summary>
internal static class IngestAction
{
    public static int Run(IngestCommand cmd, ParseResult pr, CancellationToken ct)
    {
        var paths = pr.GetValue(cmd.Paths)!;
        var parquet = pr.GetValue(cmd.Parquet);
        // Parquet alone still needs a database to build the tables in: a scratch file next to the output, removed after.
        var dbPath = pr.GetValue(cmd.Db) ?? Path.Combine(Directory.CreateDirectory(parquet!).FullName, $".pcaplab-ingest-{Environment.ProcessId}.duckdb");
        bool scratch = pr.GetValue(cmd.Db) is null;
        bool json = pr.GetValue(cmd.Json), quiet = pr.GetValue(cmd.Quiet);
        IReadOnlyList<string> files;
        try { files = CaptureFiles.Expand(paths); }
        catch (FileNotFoundException e)
        {
            Console.Error.WriteLine($"pcaplab ingest: {e.Message}");
            return ExitCodes.BadArguments;
        }

        DuckDbDatabase database; DuckDbConnection db;
        // Appending needs little of DuckDB's cache; a small limit keeps a long ingest's memory flat (PCAPLAB_DUCKDB_MEMORY overrides).
        var config = new DuckDbConfig();
        if (Environment.GetEnvironmentVariable("PCAPLAB_DUCKDB_MEMORY") is not { Length: > 0 }) config.MemoryLimit = "192MB";
        try { (database, db) = LabStore.Open(dbPath, config); }
        catch (DuckDbException e)
        {
            Console.Error.WriteLine($"pcaplab ingest: cannot open database '{dbPath}': {e.Message}");
            return ExitCodes.Failed;
        }
        try
        {
            using (database)
            using (db)
            {
                var options = new IngestOptions
                {
                    Reload = pr.GetValue(cmd.Reload),
                    Flows = !pr.GetValue(cmd.NoFlows),
                    Parallelism = pr.GetValue(cmd.Parallel) ?? (files.Count > 1 ? Environment.ProcessorCount : 1),
                };
                IngestSummary summary;
                try
                {
                    if (quiet) summary = Ingestor.Load(database, db, files, options, ct);
                    else if (!Console.IsErrorRedirected) summary = WithLiveBar(database, db, files, options, ct);
                    else summary = Ingestor.Load(database, db, files, options with
                    {
                        ProgressInterval = TimeSpan.FromSeconds(2),
                        Progress = new SyncProgress<IngestProgress>(p => Console.Error.WriteLine(PlainLine(p))),
                    }, ct);
                }
                catch (DuckDbException e)
                {
                    Console.Error.WriteLine($"pcaplab ingest: the database failed: {e.Message.Split('\n')[0]} (rows committed before the failure stay stored)");
                    return ExitCodes.Failed;
                }

                int exit = summary.AllOk ? ExitCodes.Ok : ExitCodes.Failed;
                if (parquet != null)
                {
                    try
                    {
                        foreach (var table in new[] { "captures", "packets", "flows", "dns", "http", "tls", "ssh", "weirds" })
                            TableExport.Export(db, table, "parquet", Path.Combine(parquet, table), ExportPartition.Capture, overwrite: true);
                        if (!quiet) Console.Error.WriteLine($"[ingest] Parquet written to {Path.GetFullPath(parquet)}/<table>/capture_id=N/");
                    }
                    catch (Exception e) when (e is DuckDbException or IOException or ArgumentException)
                    {
                        Console.Error.WriteLine($"pcaplab ingest: writing Parquet to {parquet} failed: {e.Message}");
                        exit = ExitCodes.Failed;
                    }
                }
                if (json) WriteJson(summary, scratch ? null : dbPath);
                else WriteTable(summary);
                foreach (var c in summary.Captures.Where(c => c.Error != null))
                    Console.Error.WriteLine($"pcaplab ingest: {c.Error}");
                return exit;
            }
        }
        finally
        {
            if (scratch) { File.Delete(dbPath); File.Delete(dbPath + ".wal"); }
        }
    }

    private static IngestSummary WithLiveBar(DuckDbDatabase database, DuckDbConnection db, IReadOnlyList<string> files, IngestOptions options, CancellationToken ct)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        IngestSummary? summary = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("reading", maxValue: 1);
                summary = Ingestor.Load(database, db, files, options with
                {
                    Progress = new SyncProgress<IngestProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.BytesTotal);
                        task.Value = p.BytesRead;
                        task.Description = Markup.Escape(
                            $"file {p.FileIndex + 1}/{p.FileCount}  {p.Packets:N0} pkts  {p.PacketsPerSecond:N0} pkt/s  {p.MegabytesPerSecond:N1} MB/s");
                    }),
                }, ct);
                task.Value = task.MaxValue;
            });
        return summary!;
    }

    internal static string PlainLine(IngestProgress p) =>
        $"[ingest] file {p.FileIndex + 1}/{p.FileCount} {Path.GetFileName(p.File)}: {p.Packets} packets, " +
        $"{p.PacketsPerSecond:F0} pkt/s, {p.MegabytesPerSecond:F1} MB/s, {p.BytesRead * 100.0 / Math.Max(1, p.BytesTotal):F0}%" +
        (p.Remaining is { } r ? $", ETA {r:hh\\:mm\\:ss}" : "");

    private static void WriteTable(IngestSummary s)
    {
        var table = new Table().AddColumns("capture", "file", "format", "packets", "bytes", "status", "time");
        foreach (var c in s.Captures)
            table.AddRow(c.CaptureId.ToString(), Markup.Escape(Path.GetFileName(c.Path)), c.Format ?? "-", c.Packets.ToString("N0"),
                c.Bytes.ToString("N0"), c.AlreadyLoaded ? "already loaded" : c.Status, $"{c.Elapsed.TotalSeconds:F2}s");
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.Write(table);
        console.WriteLine($"{s.Captures.Count} file(s), {s.Packets:N0} packets in {s.Elapsed.TotalSeconds:F2}s" +
            (s.Elapsed.TotalSeconds > 0 ? $" ({s.Packets / s.Elapsed.TotalSeconds:N0} packets/s)" : "") + (s.Interrupted ? ", interrupted" : ""));
    }

    private static void WriteJson(IngestSummary s, string? db)
    {
        using var w = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("db", db is null ? null : Path.GetFullPath(db));
        w.WriteNumber("packets", s.Packets);
        w.WriteNumber("seconds", s.Elapsed.TotalSeconds);
        w.WriteBoolean("ok", s.AllOk);
        w.WriteBoolean("interrupted", s.Interrupted);
        w.WriteStartArray("captures");
        foreach (var c in s.Captures)
        {
            w.WriteStartObject();
            w.WriteNumber("capture_id", c.CaptureId);
            w.WriteString("path", c.Path);
            w.WriteString("sha256", c.Sha256);
            w.WriteString("format", c.Format);
            w.WriteString("status", c.Status);
            w.WriteString("error", c.Error);
            w.WriteNumber("packets", c.Packets);
            w.WriteNumber("bytes", c.Bytes);
            w.WriteNumber("file_bytes", c.FileBytes);
            w.WriteBoolean("already_loaded", c.AlreadyLoaded);
            w.WriteNumber("seconds", c.Elapsed.TotalSeconds);
            w.WriteStartArray("warnings");
            foreach (var warning in c.Warnings) w.WriteStringValue(warning);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        Console.Out.WriteLine();
    }
}

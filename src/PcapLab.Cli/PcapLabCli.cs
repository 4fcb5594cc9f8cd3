using System.CommandLine;
using PcapLab.Cli.Commands.Detect;
using PcapLab.Cli.Commands.Export;
using PcapLab.Cli.Commands.Extract;
using PcapLab.Cli.Commands.Capture;
using PcapLab.Cli.Commands.Ingest;
using PcapLab.Cli.Commands.Kernel;
using PcapLab.Cli.Commands.Run;
using PcapLab.Cli.Commands.Sql;
using PcapLab.Cli.Commands.Train;
using PcapLab.Cli.Commands.Score;

namespace PcapLab.Cli;

/// <summary>Exit codes shared by every verb.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The work ran but something failed: an input was truncated or unreadable, a query failed.</summary>
    public const int Failed = 1;
    /// <summary>Bad arguments.</summary>
    public const int BadArguments = 2;
}

/// <summary>The `pcaplab` command line: one verb per analyst task.</summary>
internal static class PcapLabCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("PcapLab: network forensics in notebooks. Load captures into DuckDB tables, query, detect, chart.");
        root.Subcommands.Add(new IngestCommand());
        root.Subcommands.Add(new SqlCommand());
        root.Subcommands.Add(new DetectCommand());
        root.Subcommands.Add(new TrainCommand());
        root.Subcommands.Add(new ScoreCommand());
        root.Subcommands.Add(new ExtractCommand());
        root.Subcommands.Add(new ExportCommand());
        root.Subcommands.Add(new RunCommand());
        root.Subcommands.Add(new CaptureCommand());
        root.Subcommands.Add(new KernelCommand());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parsed = root.Parse(args);
        // Bad arguments get exit code 2 and a one-line diagnostic per error, before anything runs.
        if (parsed.Errors.Count > 0 && !IsHelpRequest(args))
        {
            foreach (var e in parsed.Errors) Console.Error.WriteLine($"pcaplab: {e.Message}");
            Console.Error.WriteLine("Run 'pcaplab --help' (or 'pcaplab <verb> --help') for usage.");
            return ExitCodes.BadArguments;
        }
        using var cts = new CancellationTokenSource();
        // Ctrl-C cancels the running work; what was read is still stored.
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cts.Token);
        }
        catch (PcapLab.Native.NativeLibraryMissingException e)
        {
            Console.Error.WriteLine($"pcaplab: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    private static bool IsHelpRequest(string[] args) => args.Any(a => a is "-h" or "--help" or "-?");
}

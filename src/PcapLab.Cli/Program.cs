using PcapLab.Cli;
using PcapLab.Native;

// Long ingests and captures run with glibc's arenas capped, so their memory stays flat (see ProcessMemory).
if (args.Length > 0 && args[0] is "ingest" or "capture" && !args.Contains("--help") && !args.Contains("-h")
    && ProcessMemory.RunWithCappedArenas(args) is int exitCode)
    return exitCode;
return await PcapLabCli.RunAsync(args);

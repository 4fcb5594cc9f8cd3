using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PcapLab.Native;

/// <summary>Process-wide memory settings that keep a long ingest's resident size flat.</summary>
public static class ProcessMemory
{
    private const string ArenaVariable = "MALLOC_ARENA_MAX";

    /// <summary>
    /// Runs this same command again in a child process with glibc's malloc arenas capped at two, and returns its exit code;
    /// or returns null when that is not needed (already capped, not Linux, or the executable is unknown).
    /// </summary>
    /// <remarks>
    /// Each native thread (DuckDB's workers, the appender) otherwise gets an arena that keeps freed memory, and a long
    /// ingest's resident size then grows with the file. glibc reads the cap only at start-up, hence the child. SIGINT and
    /// SIGTERM are passed on to the child.
    /// </remarks>
    public static int? RunWithCappedArenas(IReadOnlyList<string> args)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(ArenaVariable) is { Length: > 0 }) return null;
        if (Environment.ProcessPath is not { } self || Path.GetFileNameWithoutExtension(self) == "dotnet") return null;
        var psi = new ProcessStartInfo(self) { UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment[ArenaVariable] = "2";
        using var child = Process.Start(psi);
        if (child is null) return null;
        // The child does the work, so it gets the signals; a second Ctrl-C from the terminal's process group is harmless.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; Kill(child.Id, 2); });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; Kill(child.Id, 15); });
        child.WaitForExit();
        return child.ExitCode;
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}

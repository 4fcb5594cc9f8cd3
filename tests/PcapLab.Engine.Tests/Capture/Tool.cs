using System.Diagnostics;

namespace PcapLab.Engine.Tests.Live;

/// <summary>Runs a real tool (tshark, capinfos, tcpdump) and returns its exit code and outputs.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException(program + " did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException(program + " did not finish in 2 minutes");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>tshark reads the whole file without complaint (a cut or malformed block makes it exit non-zero or warn).</summary>
    public static void AssertTsharkReadsCleanly(string file)
    {
        var r = Run("tshark", "-n", "-r", file, "-T", "fields", "-e", "frame.number");
        // tshark's "running as root" note is not about the file.
        var complaints = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Running as user", StringComparison.Ordinal)).ToList();
        Assert.True(r.ExitCode == 0 && complaints.Count == 0, $"tshark on {file}: exit {r.ExitCode}: {string.Join('\n', complaints)}");
    }
}

using System.Diagnostics;
using PcapLab.Testing;

namespace PcapLab.Cli.Tests;

/// <summary>Runs the published `pcaplab` binary, as a user or a CI script would.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunIn(null, args);

    public static Result RunIn(string? workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(Repo.Cli) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("pcaplab did not start");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("pcaplab " + string.Join(' ', args) + " did not finish in 5 minutes");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Real captures committed under tests/data (recorded on loopback).</summary>
    public static IEnumerable<string> TestCaptures(string pattern = "*.pcap") =>
        Directory.EnumerateFiles(Repo.TestData, pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bad/")).Order(StringComparer.Ordinal);
}

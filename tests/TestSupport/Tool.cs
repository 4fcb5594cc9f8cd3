using System.Diagnostics;

namespace PcapLab.Testing;

/// <summary>Runs a real tool (tshark, capinfos, tcpdump, setpriv, ...) and returns its exit code and outputs.</summary>
public static class Tool
{
    /// <summary>What a tool printed. Stderr leaves out tshark's "Running as user root" note, which is about the user, not the input.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="program"/> and waits at most <paramref name="timeout"/> (default 2 minutes).</summary>
    public static Result Run(string program, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException(program + " did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in {limit}");
        }
        var err = string.Join('\n', stderr.Result.Split('\n').Where(l => !l.StartsWith("Running as user", StringComparison.Ordinal)));
        return new Result(p.ExitCode, stdout.Result, err.Trim());
    }

    /// <summary>Runs <paramref name="program"/> with these arguments.</summary>
    public static Result Run(string program, params string[] args) => Run(program, (IEnumerable<string>)args);

    /// <summary>Runs <paramref name="program"/> and fails the test, with its stderr, when it exits non-zero; returns stdout.</summary>
    public static string Check(string program, params string[] args)
    {
        var r = Run(program, args);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"{program} {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        return r.Stdout;
    }

    /// <summary>A fresh temporary folder, removed when disposed.</summary>
    public sealed class TempDir : IDisposable
    {
        /// <summary>The folder.</summary>
        public string Path { get; } = Directory.CreateTempSubdirectory("pcaplab-test-").FullName;
        /// <summary>A path inside the folder.</summary>
        public string File(string name) => System.IO.Path.Combine(Path, name);
        /// <inheritdoc/>
        public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
    }
}

using System.Diagnostics;
using PcapLab.Notebook.Jupyter;
using PcapLab.Testing;

namespace PcapLab.Notebook.Tests.Jupyter;

/// <summary>Runs tests/kernel/test_kernel.py (jupyter_kernel_test, jupyter_client, nbconvert, jupyter console, raw pyzmq)
/// against the real kernel process, installed as a kernelspec in a temp prefix.</summary>
public class KernelE2ETests
{
    private const string Python = "/usr/bin/python3"; // Debian's, where python3-jupyter-kernel-test lives

    [Fact]
    public void RealJupyterClientsPassAgainstTheKernel()
    {
        var exe = KernelExecutable();
        var prefix = Directory.CreateTempSubdirectory("pcaplab-kernel-e2e").FullName;
        try
        {
            var name = "pcaplab-e2e";
            var (installed, installOutput) = Run(exe, ["kernel", "install", "--prefix", prefix, "--name", name], Repo.Root, [], TimeSpan.FromMinutes(1));
            Assert.True(installed == 0, "pcaplab kernel install failed:\n" + installOutput);
            var (code, output) = Run(Python, ["-m", "unittest", "-v", "test_kernel"], Path.Combine(Repo.Root, "tests", "kernel"),
                new() { ["JUPYTER_PATH"] = Path.Combine(prefix, "share", "jupyter"), ["PCAPLAB_KERNEL_NAME"] = name },
                TimeSpan.FromMinutes(10));
            Assert.True(code == 0, "python kernel tests failed:\n" + output);
            Assert.Contains("OK", output);
        }
        finally { Directory.Delete(prefix, true); }
    }

    // The published pcaplab (build.sh publishes it before the tests): the kernel exactly as users install it.
    private static string KernelExecutable()
    {
        Assert.True(File.Exists(Repo.Cli), $"{Repo.Cli} is missing: run ./build.sh (it publishes the CLI) before the tests");
        return Repo.Cli;
    }

    private static (int Code, string Output) Run(string file, string[] args, string cwd, Dictionary<string, string> env, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout}\n{stdout.Result}\n{stderr.Result}");
        }
        return (p.ExitCode, stdout.Result + "\n" + stderr.Result);
    }
}

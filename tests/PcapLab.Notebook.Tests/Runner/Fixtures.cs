using System.Diagnostics;
using PcapLab.Testing;

namespace PcapLab.Notebook.Tests.Runner;

/// <summary>The fixture notebooks and the outside oracles the runner's outputs are checked with (python3-nbformat, xml.etree).</summary>
internal static class Fixtures
{
    public static string Dir => Path.Combine(Repo.Root, "tests", "notebooks-fixtures");

    public static string Path_(string name) => Path.Combine(Dir, name);

    /// <summary>Runs Debian's python3 with a script; returns its stdout, failing the test with stderr on a non-zero exit.</summary>
    public static string Python(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)), "python3 did not finish");
        Assert.True(p.ExitCode == 0, $"python3 failed: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Validates an .ipynb against the nbformat 4 JSON schema with the nbformat package; returns "major.minor cells".</summary>
    public static string ValidateNotebook(string path) => Python(
        "import sys, nbformat\n" +
        "nb = nbformat.read(sys.argv[1], as_version=4)\n" +
        "nbformat.validate(nb)\n" +
        "print(f'{nb.nbformat}.{nb.nbformat_minor} {len(nb.cells)}')", path).Trim();

    /// <summary>Parses JUnit XML with python's xml.etree; returns "tests failures errors skipped cases" of the first testsuite.</summary>
    public static string JUnitCounts(string path) => Python(
        "import sys, xml.etree.ElementTree as ET\n" +
        "s = ET.parse(sys.argv[1]).getroot().find('testsuite')\n" +
        "print(s.get('tests'), s.get('failures'), s.get('errors'), s.get('skipped'), len(s.findall('testcase')))", path).Trim();

    /// <summary>A fresh temporary folder, removed when disposed.</summary>
    public sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pcaplab-runner-").FullName;
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
    }
}

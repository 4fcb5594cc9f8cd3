using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Live;

/// <summary>Checks on capture files written by live capture.</summary>
internal static class CaptureFileChecks
{
    /// <summary>tshark reads the whole file without complaint (a cut or malformed block makes it exit non-zero or warn).</summary>
    public static void AssertTsharkReadsCleanly(string file)
    {
        var r = Tool.Run("tshark", "-n", "-r", file, "-T", "fields", "-e", "frame.number");
        Assert.True(r.ExitCode == 0 && r.Stderr.Length == 0, $"tshark on {file}: exit {r.ExitCode}: {r.Stderr}");
    }
}

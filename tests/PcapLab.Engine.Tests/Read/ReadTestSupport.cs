using System.Diagnostics;
using System.Globalization;
using PcapLab.Read;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Read;

/// <summary>Paths of the read-stage captures and the external tools used as oracles.</summary>
internal static class ReadTestSupport
{
    internal static string DataDir => Path.Combine(Repo.TestData, "read");

    internal static string Capture(string name) => Path.Combine(DataDir, name);

    /// <summary>Runs a tool, returning stdout; fails the test with stderr when the tool exits non-zero and <paramref name="check"/>.</summary>
    internal static (int Exit, string Out, string Err) Run(string tool, bool check, params string[] args)
    {
        if (check) return (0, PcapLab.Testing.Tool.Check(tool, args), "");
        var r = PcapLab.Testing.Tool.Run(tool, args);
        return (r.ExitCode, r.Stdout, r.Stderr);
    }

    /// <summary>tshark's per-frame line: number, epoch with 9 decimals, caplen, len, interface id (empty for pcap, read as 0).</summary>
    internal readonly record struct Frame(long Number, string Epoch, int CapLen, int Len, int InterfaceId);

    internal static List<Frame> TsharkFrames(string path, int interfaceOffset = 0, bool keepNoInterface = true)
    {
        var (_, output, _) = Run("tshark", true, "-r", path, "-T", "fields", "-e", "frame.number", "-e", "frame.time_epoch",
            "-e", "frame.cap_len", "-e", "frame.len", "-e", "frame.interface_id");
        var frames = new List<Frame>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t');
            if (!keepNoInterface && f[4].Length == 0) continue;
            int id = f[4].Length == 0 ? 0 : int.Parse(f[4], CultureInfo.InvariantCulture);
            // An SPB carries no time: tshark prints nothing, PcapLab reports the epoch itself.
            var epoch = f[1].Length == 0 ? "0.000000000" : f[1];
            frames.Add(new Frame(long.Parse(f[0], CultureInfo.InvariantCulture), epoch, int.Parse(f[2], CultureInfo.InvariantCulture),
                int.Parse(f[3], CultureInfo.InvariantCulture), id + interfaceOffset));
        }
        return frames;
    }

    /// <summary>The same facts from PcapLab, with the epoch printed as tshark prints it.</summary>
    internal static List<Frame> OurFrames(CaptureReader reader)
    {
        var frames = new List<Frame>();
        while (reader.TryRead(out var p))
        {
            long s = Math.DivRem(p.TimestampNs, 1_000_000_000, out long ns);
            frames.Add(new Frame(reader.PacketsRead, $"{s}.{ns:D9}", p.CapturedLength, p.OriginalLength, p.InterfaceId));
        }
        return frames;
    }

    /// <summary>Number of interfaces capinfos counts in a file.</summary>
    internal static int CapinfosInterfaces(string path)
    {
        var (_, output, _) = Run("capinfos", true, "-I", path);
        var line = output.Split('\n').First(l => l.StartsWith("Number of interfaces in file:", StringComparison.Ordinal));
        return int.Parse(line.Split(':')[1].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Reads everything, returning the count; never more than <paramref name="maxSteps"/> calls.</summary>
    internal static long Drain(CaptureReader reader, long maxSteps = 10_000_000)
    {
        long n = 0;
        while (reader.TryRead(out _))
            if (++n > maxSteps) Assert.Fail($"{reader.Path}: more than {maxSteps} packets, reader looping?");
        return n;
    }
}

using System.Collections.Concurrent;
using PcapLab.Dissect;
using PcapLab.Testing;
using Xunit.Abstractions;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>Every frame of every test capture and of the nDPI corpus, dissected and compared with tshark.</summary>
public sealed class DissectOracleTests(ITestOutputHelper output)
{
    /// <summary>tshark arguments needed for a capture where its heuristics would guess differently than the wire says.</summary>
    private static readonly Dictionary<string, string[]> DecodeAs = new()
    {
        // craft.py sends label 4000 with an RFC 4385 control word; tshark's pseudowire heuristic guesses "no control word".
        ["l2.pcap"] = ["-d", "mpls.label==4000,pwethcw"],
    };

    /// <summary>Frames where the dissector deliberately differs from tshark, with the reason.</summary>
    private static readonly Dictionary<(string File, int Frame), string> Exclusions = new()
    {
        // tshark decodes any datagram to port 3544 as Teredo; Zeek (and we) require a valid IPv6 header inside.
        [("tunnels.pcap", 27)] = "not Teredo: text payload on port 3544",
    };

    [Fact]
    public void RecordedCapturesAgreeWithTshark()
    {
        var files = Directory.GetFiles(Path.Combine(Repo.TestData, "dissect"), "*.pcap");
        Assert.True(files.Length >= 10, "expected the recorded captures in tests/data/dissect");
        var (frames, problems) = CompareAll(files);
        foreach (var p in problems) output.WriteLine(p);
        Assert.Empty(problems);
        Assert.True(frames > 150, $"only {frames} frames compared");
    }

    [Fact]
    public void NdpiCorpusAgreesWithTshark()
    {
        string? corpus = Repo.NdpiCorpus;
        Assert.NotNull(corpus);
        var files = Directory.GetFiles(Path.Combine(corpus, "pcap")).Where(f => !f.EndsWith(".txt")).ToArray(); // README.txt is no capture
        var (frames, problems) = CompareAll(files);
        output.WriteLine($"{files.Length} files, {frames} frames compared");
        foreach (var p in problems.Take(200)) output.WriteLine(p);
        Assert.Empty(problems);
    }

    private static (int Frames, List<string> Problems) CompareAll(string[] files)
    {
        var problems = new ConcurrentBag<string>();
        int compared = 0;
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = 2 * Environment.ProcessorCount }, file =>
        {
            var ours = TestFrames.Read(file);
            if (ours.Count == 0) return; // not a capture (the corpus has a README-like .txt)
            string name = Path.GetFileName(file);
            var theirs = TsharkOracle.Run(file, DecodeAs.GetValueOrDefault(name) ?? []);
            if (theirs.Count != ours.Count)
            {
                problems.Add($"{name}: {ours.Count} frames read, tshark has {theirs.Count}");
                return;
            }
            var info = new PacketInfo();
            int bad = 0;
            for (int i = 0; i < ours.Count; i++)
            {
                var frame = ours[i];
                PacketDissector.Dissect(frame.LinkType, frame.Data, ref info);
                // Link types PcapLab does not decode are stored and counted, not guessed: the corpus has one PPI (192) file.
                if (info.Status == DissectStatus.UnknownLinkType) continue;
                if (Exclusions.ContainsKey((name, frame.Number))) continue;
                Interlocked.Increment(ref compared);
                if (OracleComparison.Compare(info, theirs[i]) is { } diff && bad++ < 5)
                    problems.Add($"{name} #{frame.Number} [{frame.LinkType}]: {diff}");
            }
        });
        return (compared, problems.OrderBy(p => p, StringComparer.Ordinal).ToList());
    }
}

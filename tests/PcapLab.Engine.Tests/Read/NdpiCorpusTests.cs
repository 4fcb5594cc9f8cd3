using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using PcapLab.Read;
using PcapLab.Testing;
using static PcapLab.Engine.Tests.Read.ReadTestSupport;

namespace PcapLab.Engine.Tests.Read;

/// <summary>Every capture of the nDPI corpus: same packet count and total wire bytes as capinfos, same fault where it has one.</summary>
public partial class NdpiCorpusTests
{
    private sealed record Expected(long Packets, long Bytes, bool Error);

    /// <summary>
    /// Files whose original length exceeds int.MaxValue: PacketRecord.OriginalLength is an int and clamps it,
    /// as tshark's frame.len does (it prints 2147483647 for this packet), while capinfos sums the raw 32-bit value.
    /// </summary>
    private static readonly HashSet<string> ClampedOriginalLength = ["fuzz-2021-06-07-c6c72a0a56.pcap"];

    [Fact]
    public void Every_file_reads_like_capinfos()
    {
        var corpus = Repo.NdpiCorpus;
        if (corpus is null) return;   // the corpus lives beside the clone; CI has it
        var files = Directory.GetFiles(Path.Combine(corpus, "pcap")).Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length > 500);

        var expected = new ConcurrentDictionary<string, Expected>();
        var notCaptures = new ConcurrentBag<string>();
        // capinfos takes many files per run; two runs in parallel keep both cores busy.
        Parallel.ForEach(files.Chunk((files.Length + 1) / 2), new ParallelOptions { MaxDegreeOfParallelism = 2 },
            chunk => Capinfos(chunk, expected, notCaptures));

        var failures = new ConcurrentBag<string>();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = 2 }, path =>
        {
            var name = Path.GetFileName(path);
            try
            {
                using var reader = CaptureReader.Open(path);
                long packets = 0, bytes = 0;
                while (reader.TryRead(out var p))
                {
                    packets++;
                    bytes += p.OriginalLength;
                }
                if (!expected.TryGetValue(name, out var e)) failures.Add($"{name}: opened, but capinfos could not read it");
                else if (e.Packets != packets || (e.Bytes != bytes && !ClampedOriginalLength.Contains(name)) || e.Error != reader.Fault is not null)
                    failures.Add($"{name}: ours {packets} packets / {bytes} bytes / fault '{reader.Fault?.Message}', capinfos {e}");
            }
            catch (CaptureOpenException x)
            {
                if (!notCaptures.Contains(name)) failures.Add($"{name}: {x.Message}");
            }
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Order()));
        Assert.Equal(["README.txt"], notCaptures);
    }

    private static void Capinfos(string[] files, ConcurrentDictionary<string, Expected> expected, ConcurrentBag<string> notCaptures)
    {
        var (_, output, err) = Run("capinfos", false, ["-c", "-d", "-M", .. files]);
        var errors = new HashSet<string>();
        foreach (Match m in ErrorAfter().Matches(err)) errors.Add(m.Groups[1].Value);
        foreach (Match m in NotCapture().Matches(err)) notCaptures.Add(m.Groups[1].Value);
        foreach (var block in output.Split("File name:", StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Path.GetFileName(block.Split('\n')[0].Trim());
            long packets = long.Parse(Count().Match(block).Groups[1].Value, CultureInfo.InvariantCulture);
            long bytes = long.Parse(DataSize().Match(block).Groups[1].Value, CultureInfo.InvariantCulture);
            expected[name] = new Expected(packets, bytes, errors.Contains(name));
        }
    }

    [GeneratedRegex(@"An error occurred after reading \d+ packets from ""(?:.*/)?([^/""]+)""")]
    private static partial Regex ErrorAfter();

    [GeneratedRegex(@"The file ""(?:.*/)?([^/""]+)"" isn't a capture file")]
    private static partial Regex NotCapture();

    [GeneratedRegex(@"Number of packets:\s+(\d+)")]
    private static partial Regex Count();

    [GeneratedRegex(@"Data size:\s+(\d+) bytes")]
    private static partial Regex DataSize();
}

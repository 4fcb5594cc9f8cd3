using PcapLab.Read;
using static PcapLab.Engine.Tests.Read.ReadTestSupport;

namespace PcapLab.Engine.Tests.Read;

/// <summary>
/// Mutated real captures (flipped bytes, cuts, splices of two files; fixed seed): opening may refuse them,
/// but reading never throws, always ends, and never returns a packet it could not have read.
/// </summary>
public class FuzzTests
{
    private static readonly string[] Sources =
        ["lo-usec.pcap", "lo-nsec-be.pcap", "lo-usec-modified.pcap", "lo-usec-suse63.pcap", "lo-usec-nokia.pcap", "lo-snap200.pcap", "three-if.pcapng", "two-sections-be.pcapng",
         "veth.pcapng", "veth-oldblocks.pcapng", "veth-tsresol2.pcapng", "three-if-extrablocks.pcapng", "lo-usec-gzip.pcap", "three-if.pcapng.gz"];

    [Fact]
    public async Task Mutated_captures_never_throw_and_always_end()
    {
        var originals = Sources.Select(s => File.ReadAllBytes(Capture(s))).ToArray();
        var random = new Random(20251122);
        var cases = new List<(string Name, byte[] Bytes)>();
        for (int i = 0; i < 3000; i++)
        {
            int pick = random.Next(originals.Length);
            var a = originals[pick];
            var (how, bytes) = (i % 3) switch
            {
                0 => ("flip", Flip(a, random)),
                1 => ("cut", a[..random.Next(a.Length)]),
                _ when i % 2 == 0 => ("splice", Splice(a, originals[random.Next(originals.Length)], random)),
                _ => ("blocks", SpliceRecords(pick, random.Next(originals.Length), originals, random)),
            };
            if (random.Next(4) == 0 && how != "flip") bytes = Flip(bytes, random);
            cases.Add(($"case{i}-{how}-{Sources[pick]}", bytes));
        }

        // The guard is for hangs only (a reader that loops forever), far beyond any honest run time.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var run = Task.Run(() => Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = guard.Token }, c => ReadOne(c.Name, c.Bytes)));
        var finished = await Task.WhenAny(run, Task.Delay(Timeout.Infinite, guard.Token).ContinueWith(_ => { }));
        Assert.True(finished == run, "a mutated capture did not finish: reader loop suspected");
        await run;
        // Not vacuous: the mutations reached every outcome but I/O errors (memory does not fail).
        Assert.All(_outcomes[..4], n => Assert.True(n > 0, string.Join(",", _outcomes)));
    }

    private readonly int[] _outcomes = new int[5];   // open error, clean end, truncated, corrupt, io error

    private void Count(int outcome) => Interlocked.Increment(ref _outcomes[outcome]);

    private void ReadOne(string name, byte[] bytes)
    {
        CaptureReader reader;
        try
        {
            reader = CaptureReader.Open(new MemoryStream(bytes), name);
        }
        catch (CaptureOpenException e)
        {
            Count(0);
            Assert.StartsWith(name + ": ", e.Message);
            return;
        }
        using (reader)
        {
            // Each packet costs at least 16 bytes of the (uncompressed) file, and gzip inflates at most ~1032x.
            long limit = bytes.Length * 1100L / 16 + 16;
            long last = -1, steps = 0;
            while (reader.TryRead(out var p))
            {
                Assert.True(++steps <= limit, $"{name}: too many packets");
                Assert.True(p.Offset > last, $"{name}: offsets must increase");
                Assert.InRange(p.CapturedLength, 0, 256 * 1024);
                Assert.True(p.InterfaceId >= 0 && p.InterfaceId < reader.Interfaces.Count, $"{name}: interface {p.InterfaceId}");
                Assert.True(reader.Position > p.Offset);
                last = p.Offset;
            }
            Assert.False(reader.TryRead(out _));
            Count(reader.Fault is null ? 1 : 2 + (int)reader.Fault.Kind);
            if (reader.Fault is { } f)
            {
                Assert.StartsWith(name + ": ", f.Message);
                Assert.Contains($"offset {f.Offset}", f.Message);
            }
            Assert.True(reader.Warnings.Count <= 100);
        }
    }

    private static byte[] Flip(byte[] a, Random random)
    {
        var b = (byte[])a.Clone();
        int flips = 1 + random.Next(8);
        for (int k = 0; k < flips && b.Length > 0; k++)
        {
            int at = random.Next(b.Length);
            // Favour the first bytes and length fields, where a flip changes structure rather than payload.
            if (random.Next(3) == 0) at = random.Next(Math.Min(b.Length, 64));
            b[at] ^= (byte)(1 << random.Next(8));
        }
        return b;
    }

    /// <summary>Records (or blocks) of one file followed by records of another, cut at record boundaries.</summary>
    private static byte[] SpliceRecords(int a, int b, byte[][] originals, Random random)
    {
        if (originals[a][0] == 0x1f || originals[b][0] == 0x1f) return Splice(originals[a], originals[b], random);   // gzip
        var offsetsA = RecordOffsets(Sources[a]);
        var offsetsB = RecordOffsets(Sources[b]);
        int cutA = (int)offsetsA[random.Next(offsetsA.Count)], fromB = (int)offsetsB[random.Next(offsetsB.Count)];
        return [.. originals[a].AsSpan(0, cutA), .. originals[b].AsSpan(fromB)];
    }

    private static List<long> RecordOffsets(string name)
    {
        using var reader = CaptureReader.Open(Capture(name));
        var offsets = new List<long>();
        while (reader.TryRead(out var p)) offsets.Add(p.Offset);
        return offsets;
    }

    private static byte[] Splice(byte[] a, byte[] b, Random random)
    {
        int cutA = random.Next(a.Length + 1), fromB = random.Next(b.Length + 1);
        return [.. a.AsSpan(0, cutA), .. b.AsSpan(fromB)];
    }
}

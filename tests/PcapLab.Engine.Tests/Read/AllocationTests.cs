using PcapLab.Testing;
using PcapLab.Read;
using static PcapLab.Engine.Tests.Read.ReadTestSupport;

namespace PcapLab.Engine.Tests.Read;

/// <summary>The per-packet path allocates nothing once reading is under way.</summary>
public class AllocationTests
{
    [Theory]
    [InlineData("lo-usec.pcap", 24)]
    [InlineData("veth.pcapng", -1)]
    public void Steady_state_reading_does_not_allocate(string name, int headerLength)
    {
        // 3000 copies of the capture's packets (pcap: records after the file header; pcapng: blocks after SHB+IDB).
        var bytes = File.ReadAllBytes(Capture(name));
        int head = headerLength >= 0 ? headerLength : (int)FirstPacketOffset(name);
        var body = bytes[head..];
        if (headerLength < 0) body = body[..(int)(LastPacketEnd(name) - head)];   // drop trailing statistics blocks
        var big = bytes[..head].Concat(Enumerable.Repeat(body, 3000).SelectMany(b => b)).ToArray();

        using var reader = CaptureReader.Open(new MemoryStream(big), name);
        long packets = 0;
        void ReadSome()
        {
            for (int i = 0; i < 2000; i++)
            {
                Assert.True(reader.TryRead(out var p));
                packets += p.CapturedLength > 0 ? 1 : 0;
            }
        }
        long allocated = Allocations.SteadyState(ReadSome);
        Assert.Null(reader.Fault);
        Assert.Equal(8000, packets);
        Assert.True(allocated == 0, $"{allocated} bytes allocated for 2000 packets");
    }

    private static long FirstPacketOffset(string name)
    {
        using var reader = CaptureReader.Open(Capture(name));
        Assert.True(reader.TryRead(out var p));
        return p.Offset;
    }

    private static long LastPacketEnd(string name)
    {
        using var reader = CaptureReader.Open(Capture(name));
        long end = 0;
        while (reader.TryRead(out _)) end = reader.Position;
        return end;
    }
}

using PcapLab.Dissect;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>The per-packet path allocates nothing, for good frames, cut frames and tunnels alike.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void DissectAllocatesNothing()
    {
        var frames = Captures.All().SelectMany(Captures.Frames).ToList();
        var info = new PacketInfo();
        foreach (var f in frames) PacketDissector.Dissect(f.LinkType, f.Data, ref info); // JIT and tiering first

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 3; round++)
            foreach (var f in frames)
            {
                PacketDissector.Dissect(f.LinkType, f.Data, ref info);
                PacketDissector.Dissect(f.LinkType, f.Data.AsSpan(0, f.Data.Length / 2), ref info);
            }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

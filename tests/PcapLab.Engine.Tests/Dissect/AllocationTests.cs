using PcapLab.Testing;
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
        Assert.Equal(0, Allocations.SteadyState(() =>
        {
            foreach (var f in frames)
            {
                PacketDissector.Dissect(f.LinkType, f.Data, ref info);
                PacketDissector.Dissect(f.LinkType, f.Data.AsSpan(0, f.Data.Length / 2), ref info);
            }
        }));
    }
}

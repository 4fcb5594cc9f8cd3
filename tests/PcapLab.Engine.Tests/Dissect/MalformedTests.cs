using PcapLab.Dissect;
using PcapLab.Read;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>Cut, corrupted and hostile frames: the dissector never throws and names what went wrong.</summary>
public sealed class MalformedTests
{
    public static TheoryData<string> CaptureNames() => new(Captures.All());

    /// <summary>
    /// Every prefix of every recorded frame: no exception, and a prefix that cuts into a header (before the payload of
    /// the full frame) is Malformed with a weird. Teredo is the exception: a cut Teredo packet is indistinguishable from
    /// an ordinary datagram on port 3544, which Zeek and we leave undecapsulated.
    /// </summary>
    [Theory]
    [MemberData(nameof(CaptureNames))]
    public void EveryPrefixOfEveryFrameIsSafe(string capture)
    {
        var info = new PacketInfo();
        foreach (var frame in Captures.Frames(capture))
        {
            PacketDissector.Dissect(frame.LinkType, frame.Data, ref info);
            if (info.Status == DissectStatus.Malformed) continue;
            int headersEnd = info.IpVersion != 0 && info.Tunnel != TunnelKind.Teredo ? info.PayloadOffset : 0;
            for (int n = 0; n < frame.Data.Length; n++)
            {
                var status = PacketDissector.Dissect(frame.LinkType, frame.Data.AsSpan(0, n), ref info);
                if (n < headersEnd)
                {
                    Assert.True(status == DissectStatus.Malformed, $"{capture} #{frame.Number} cut at {n}/{headersEnd}: {status}");
                    Assert.NotNull(info.Weird);
                }
            }
        }
    }

    [Fact]
    public void RandomAndMutatedBytesNeverThrow()
    {
        var rng = new Random(20261122);
        var frames = Captures.All().SelectMany(Captures.Frames).ToList();
        LinkType[] linkTypes = [.. Enum.GetValues<LinkType>(), (LinkType)192, (LinkType)65535];
        var info = new PacketInfo();
        var buffer = new byte[1600];
        for (int i = 0; i < 20000; i++)
        {
            var frame = frames[rng.Next(frames.Count)];
            int length = Math.Min(frame.Data.Length, buffer.Length);
            frame.Data.AsSpan(0, length).CopyTo(buffer);
            for (int k = rng.Next(1, 6); k > 0; k--) buffer[rng.Next(length)] = (byte)rng.Next(256);
            PacketDissector.Dissect(frame.LinkType, buffer.AsSpan(0, length), ref info);
            rng.NextBytes(buffer);
            PacketDissector.Dissect(linkTypes[rng.Next(linkTypes.Length)], buffer.AsSpan(0, rng.Next(buffer.Length)), ref info);
        }
    }

    [Fact]
    public void UnknownLinkTypeIsReportedNotGuessed()
    {
        var info = new PacketInfo();
        Assert.Equal(DissectStatus.UnknownLinkType, PacketDissector.Dissect((LinkType)192, new byte[64], ref info));
        Assert.Equal(0, info.IpVersion);
    }

    [Fact]
    public void EndlessVlanTagsStopAtTheLayerBound()
    {
        var frame = new List<byte>(new byte[12]);
        for (int i = 0; i < 100; i++) frame.AddRange([0x81, 0x00, 0x00, 0x05]);
        frame.AddRange([0x08, 0x00]);
        var info = new PacketInfo();
        Assert.Equal(DissectStatus.Malformed, PacketDissector.Dissect(LinkType.Ethernet, frame.ToArray(), ref info));
        Assert.Equal(DissectWeirds.ExceededTunnelMaxDepth, info.Weird);
        Assert.Equal(5, info.Vlan);
    }

    [Fact]
    public void NestedIpInIpStopsAtTheTunnelBound()
    {
        // 20 IPv4 headers each saying "IPv4 inside" (protocol 4), then a UDP header: deeper than any real tunnel stack.
        var bytes = new List<byte>();
        for (int i = 0; i < 20; i++)
        {
            int total = (20 - i) * 20 + 8;
            bytes.AddRange([0x45, 0, (byte)(total >> 8), (byte)total, 0, 0, 0, 0, 64, i == 19 ? (byte)17 : (byte)4, 0, 0,
                10, 0, 0, (byte)i, 10, 0, 1, (byte)i]);
        }
        bytes.AddRange([0, 1, 0, 2, 0, 8, 0, 0]);
        var info = new PacketInfo();
        Assert.Equal(DissectStatus.Malformed, PacketDissector.Dissect(LinkType.Raw, bytes.ToArray(), ref info));
        Assert.Equal(DissectWeirds.ExceededTunnelMaxDepth, info.Weird);
        Assert.Equal(TunnelKind.IpInIp, info.Tunnel);
        Assert.Equal("10.0.0.0", info.OuterSrcIp.ToString());
    }

    [Theory]
    [InlineData(new byte[] { 0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 80, 1, 187, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x02, 0, 0, 0, 0, 0, 0 }, "bad_TCP_header_len")]
    [InlineData(new byte[] { 0x41, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 }, "invalid_IP_header_size")]
    [InlineData(new byte[] { 0x46, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0 }, "invalid_IP_header_size")]
    [InlineData(new byte[] { 0x75, 0, 0, 20 }, "unknown_ip_version")]
    public void NamedWeirds(byte[] rawIp, string weird)
    {
        var info = new PacketInfo();
        Assert.Equal(DissectStatus.Malformed, PacketDissector.Dissect(LinkType.Raw, rawIp, ref info));
        Assert.Equal(weird, info.Weird);
    }
}

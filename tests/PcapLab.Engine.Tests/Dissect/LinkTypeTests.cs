using PcapLab.Dissect;
using PcapLab.Read;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>
/// Link types Linux cannot record here (BSD loopback, PPP, Cisco HDLC, the raw-IP aliases): a recorded raw IP packet
/// from rawip-tun.pcap behind each header must dissect exactly as the raw packet does. tshark covers the same link types
/// over the nDPI corpus.
/// </summary>
public sealed class LinkTypeTests
{
    public static TheoryData<LinkType, byte[]> Headers() => new()
    {
        { LinkType.Null, [2, 0, 0, 0] },           // AF_INET written by a little-endian host
        { LinkType.Null, [0, 0, 0, 2] },           // ... and by a big-endian one
        { LinkType.Loop, [0, 0, 0, 2] },
        { LinkType.Ppp, [0xFF, 0x03, 0x00, 0x21] },
        { LinkType.Ppp, [0x00, 0x21] },
        { LinkType.Ppp, [0x21] },                  // protocol field compression
        { LinkType.CiscoHdlc, [0x0F, 0x00, 0x08, 0x00] },
        { LinkType.Ppp, [0x0F, 0x00, 0x08, 0x00] }, // Cisco HDLC labelled as PPP
        { LinkType.RawBsd12, [] },
        { LinkType.RawBsd14, [] },
        { LinkType.Ipv4, [] },
    };

    public static TheoryData<LinkType, byte[]> Ipv6Headers() => new()
    {
        { LinkType.Null, [24, 0, 0, 0] }, { LinkType.Null, [0, 0, 0, 28] }, { LinkType.Null, [30, 0, 0, 0] },
        { LinkType.Loop, [0, 0, 0, 24] }, { LinkType.Ppp, [0xFF, 0x03, 0x00, 0x57] }, { LinkType.Ipv6, [] },
        { LinkType.CiscoHdlc, [0x8F, 0x00, 0x86, 0xDD] },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void Ipv4BehindEveryLinkHeader(LinkType linkType, byte[] header) => SameAsRaw(linkType, header, frameNumber: 1);

    [Theory]
    [MemberData(nameof(Ipv6Headers))]
    public void Ipv6BehindEveryLinkHeader(LinkType linkType, byte[] header) => SameAsRaw(linkType, header, frameNumber: 2);

    private static void SameAsRaw(LinkType linkType, byte[] header, int frameNumber)
    {
        var raw = Captures.Frame("rawip-tun.pcap", frameNumber);
        Assert.Equal(LinkType.Raw, raw.LinkType);
        var expected = new PacketInfo();
        Assert.Equal(DissectStatus.Ok, PacketDissector.Dissect(LinkType.Raw, raw.Data, ref expected));

        var info = new PacketInfo();
        Assert.Equal(DissectStatus.Ok, PacketDissector.Dissect(linkType, [.. header, .. raw.Data], ref info));
        Assert.Equal(expected.SrcIp, info.SrcIp);
        Assert.Equal(expected.DstIp, info.DstIp);
        Assert.Equal((expected.SrcPort, expected.DstPort, expected.IpProto), (info.SrcPort, info.DstPort, info.IpProto));
        Assert.Equal(expected.L3Offset + header.Length, info.L3Offset);
        Assert.Equal(expected.PayloadOffset + header.Length, info.PayloadOffset);
        Assert.Equal(expected.PayloadLength, info.PayloadLength);
    }

    [Fact]
    public void UnknownLoopbackFamilyIsAWeird()
    {
        var info = new PacketInfo();
        Assert.Equal(DissectStatus.Malformed, PacketDissector.Dissect(LinkType.Null, [7, 0, 0, 0, 0x45], ref info));
        Assert.Equal(DissectWeirds.UnknownLoopbackFamily, info.Weird);
    }
}

using PcapLab.Dissect;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>
/// Fields tshark's address/port comparison does not cover, on recorded frames. Expected values are what the kernel or
/// craft.py put on the wire (see tests/data/dissect/README.md), cross-checked against tshark's packet details.
/// </summary>
public sealed class LayerTests
{
    private static PacketInfo Dissect(string capture, int frame)
    {
        var f = Captures.Frame(capture, frame);
        var info = new PacketInfo();
        PacketDissector.Dissect(f.LinkType, f.Data, ref info);
        return info;
    }

    [Fact]
    public void TcpSynOptionsOnLoopback()
    {
        var syn = Dissect("tcp-http-lo.pcap", 1);
        Assert.Equal(DissectStatus.Ok, syn.Status);
        Assert.Equal(TcpFlags.Syn, syn.TcpFlags);
        Assert.Equal(65495, syn.TcpMss);
        Assert.Equal(10, syn.TcpWScale);
        Assert.True(syn.TcpSackOk);
        Assert.True(syn.HasTcpTimestamps);
        Assert.NotEqual(0u, syn.TcpTsVal);
        Assert.Equal(0u, syn.TcpTsEcr);
        Assert.Equal(14 + 20 + 40, syn.PayloadOffset);
        Assert.Equal(0, syn.PayloadLength);

        var get = Where("tcp-http-lo.pcap", i => i.DstPort == 8080 && i.PayloadLength > 0)[0];
        Assert.Equal(TcpFlags.Psh | TcpFlags.Ack, get.TcpFlags);
        Assert.Equal(78, get.PayloadLength); // "GET / HTTP/1.1" with curl's three headers
        Assert.Equal(-1, get.TcpWScale);
        Assert.Equal(1u, get.TcpSeq - syn.TcpSeq);
    }

    /// <summary>Dissected frames of a capture matching a predicate, in capture order (kernel timing moves frame numbers).</summary>
    private static List<PacketInfo> Where(string capture, Func<PacketInfo, bool> predicate)
    {
        var list = new List<PacketInfo>();
        foreach (var f in Captures.Frames(capture))
        {
            var info = new PacketInfo();
            PacketDissector.Dissect(f.LinkType, f.Data, ref info);
            if (predicate(info)) list.Add(info);
        }
        return list;
    }

    [Fact]
    public void Ipv4FragmentsAreMarked()
    {
        var echo = Where("frag.pcap", i => i.SrcIp.ToString() == "10.77.0.1" && i.IpProto == 1);
        Assert.Equal(3, echo.Count);
        Assert.Equal(FragmentFlags.MoreFragments, echo[0].Frag & ~FragmentFlags.DontFragment);
        Assert.Equal(8, echo[0].IcmpType);
        Assert.Equal(FragmentFlags.MoreFragments | FragmentFlags.NonFirst, echo[1].Frag);
        Assert.Equal(1480, echo[1].FragOffset);
        Assert.Equal(echo[0].IpId, echo[1].IpId);
        Assert.Equal(-1, echo[1].L4Offset);
        Assert.Equal(1500, echo[1].IpTotalLength);
        Assert.Equal(FragmentFlags.NonFirst, echo[2].Frag);
        Assert.Equal(2960, echo[2].FragOffset);
        Assert.Equal(3000 + 8 - 2960, echo[2].PayloadLength);
    }

    [Fact]
    public void Ipv6FragmentHeadersAreWalked()
    {
        var echo = Where("frag.pcap", i => i.SrcIp.ToString() == "fd77::1" && i.DstIp.ToString() == "fd77::2" && i.IpProto == 58);
        Assert.Equal(3, echo.Count);
        Assert.Equal(FragmentFlags.MoreFragments, echo[0].Frag);
        Assert.Equal(128, echo[0].IcmpType);
        Assert.Equal(FragmentFlags.MoreFragments | FragmentFlags.NonFirst, echo[1].Frag);
        Assert.Equal(1448, echo[1].FragOffset);
        Assert.Equal(echo[0].IpId, echo[1].IpId);
        Assert.Equal(-1, echo[1].IcmpType);
        Assert.Equal(FragmentFlags.NonFirst, echo[2].Frag);
        Assert.Equal(2896, echo[2].FragOffset);
        var udp = Where("frag.pcap", i => i.SrcIp.ToString() == "fd77::1" && i.IpProto == 17);
        Assert.Equal(3, udp.Count);
        Assert.Equal(3008, udp[0].PayloadLength + 8); // first fragment: the UDP length field covers the whole datagram
    }

    [Fact]
    public void Ipv6OptionHeadersLeadToUdp()
    {
        foreach (int n in new[] { 1, 2 })
        {
            var info = Dissect("ext6.pcap", n);
            Assert.Equal(DissectStatus.Ok, info.Status);
            Assert.Equal(17, info.IpProto);
            Assert.Equal(5353, info.DstPort);
            Assert.Equal(14 + 40 + 8 + 8, info.PayloadOffset);
        }
        var mld = Dissect("veth-basic.pcap", 1); // MLDv2 report: hop-by-hop router alert, then ICMPv6 143
        Assert.Equal(58, mld.IpProto);
        Assert.Equal(143, mld.IcmpType);
    }

    [Fact]
    public void VlanStacksMplsPppoeAndBridgingTags()
    {
        var dot1q = Dissect("l2.pcap", 1);
        Assert.Equal((100, -1), (dot1q.Vlan, dot1q.InnerVlan));
        var qinq = Dissect("l2.pcap", 2);
        Assert.Equal((200, 300), (qinq.Vlan, qinq.InnerVlan));
        Assert.Equal(6, qinq.IpVersion);
        var stacked = Dissect("l2.pcap", 3);
        Assert.Equal((10, 20), (stacked.Vlan, stacked.InnerVlan));
        Assert.Equal(2, Dissect("l2.pcap", 4).MplsLabels);
        var pseudowire = Dissect("l2.pcap", 6);
        Assert.Equal(("192.168.50.6", 0x020000007702UL), (pseudowire.SrcIp.ToString(), pseudowire.EthDst));
        var pppoe = Dissect("l2.pcap", 7);
        Assert.Equal((0x8864, "192.168.50.7"), (pppoe.EtherType, pppoe.SrcIp.ToString()));
        Assert.Equal("192.168.50.9", Dissect("l2.pcap", 9).SrcIp.ToString());
        Assert.Equal("192.168.50.10", Dissect("l2.pcap", 10).SrcIp.ToString());
        var arp = Dissect("l2.pcap", 11);
        Assert.Equal(DissectStatus.NoIp, arp.Status);
        Assert.Equal(0x0806, arp.EtherType);
    }

    [Fact]
    public void KernelVxlanIsDecapsulated()
    {
        var echo = Assert.Single(Where("vxlan.pcap", i => i.IcmpType == 8));
        Assert.Equal(TunnelKind.Vxlan, echo.Tunnel);
        Assert.Equal(42u, echo.TunnelId);
        Assert.Equal(("10.78.0.1", "10.78.0.2"), (echo.SrcIp.ToString(), echo.DstIp.ToString()));
        Assert.Equal(("10.77.0.1", "10.77.0.2"), (echo.OuterSrcIp.ToString(), echo.OuterDstIp.ToString()));
        Assert.Equal(0x020000007702UL, echo.EthDst); // the frame's own (outer) Ethernet header
        var udp = Assert.Single(Where("vxlan.pcap", i => i.DstPort == 7777));
        Assert.Equal((TunnelKind.Vxlan, 30), (udp.Tunnel, udp.PayloadLength));
        // ARP inside VXLAN has no inner connection: the packet stays described by its outer UDP datagram.
        var arps = Where("vxlan.pcap", i => i.Tunnel == TunnelKind.None);
        Assert.Equal(2, arps.Count);
        Assert.All(arps, a => Assert.Equal((4, 4789), (a.IpVersion, (int)a.DstPort)));
    }

    [Theory]
    [InlineData(TunnelKind.Gre, 0u, "192.168.50.11")]
    [InlineData(TunnelKind.Gre, 777u, "192.168.50.12")]
    [InlineData(TunnelKind.Gre, 778u, "fd50::d")]
    [InlineData(TunnelKind.Gre, 0u, "192.168.50.20")]
    [InlineData(TunnelKind.Erspan, 0u, "192.168.50.20")]
    [InlineData(TunnelKind.Erspan, 55u, "192.168.50.20")]
    [InlineData(TunnelKind.Erspan, 56u, "192.168.50.20")]
    [InlineData(TunnelKind.IpInIp, 0u, "192.168.50.14")]
    [InlineData(TunnelKind.IpInIp, 0u, "fd50::f")]
    [InlineData(TunnelKind.IpInIp, 0u, "192.168.50.16")]
    [InlineData(TunnelKind.IpInIp, 0u, "fd50::11")]
    [InlineData(TunnelKind.Geneve, 99u, "192.168.50.20")]
    [InlineData(TunnelKind.Geneve, 98u, "192.168.50.21")]
    [InlineData(TunnelKind.GtpU, 0xABCDu, "192.168.50.22")]
    [InlineData(TunnelKind.GtpU, 0xABCEu, "fd50::17")]
    [InlineData(TunnelKind.Teredo, 0u, "fe80::8000:f227:bec4:2f6c")]
    [InlineData(TunnelKind.Ayiya, 0u, "fd50::18")]
    public void CraftedTunnels(TunnelKind kind, uint id, string innerSrc)
    {
        var info = Assert.Single(Where("tunnels.pcap", i => i.Tunnel == kind && i.TunnelId == id && i.SrcIp.ToString() == innerSrc));
        Assert.Equal(DissectStatus.Ok, info.Status);
        if (kind != TunnelKind.Teredo) Assert.Equal(info.IpVersion == 4 ? 17 : 6, info.IpProto);
        Assert.True(info.OuterSrcIp.ToString() is "10.77.0.1" or "fd77::1");
    }

    [Fact]
    public void TeredoNeedsAValidIpv6Header()
    {
        Assert.Equal(2, Where("tunnels.pcap", i => i.Tunnel == TunnelKind.Teredo && i.SrcIp.ToString() == "2001:0:4136:e378:8000:63bf:3fff:fdd2").Count);
        var text = Assert.Single(Where("tunnels.pcap", i => i.DstPort == 3544));
        Assert.Equal((TunnelKind.None, 4), (text.Tunnel, (int)text.IpVersion));
    }

    [Fact]
    public void CookedCapturesKeepTheSenderMac()
    {
        foreach (var capture in new[] { "sll.pcap", "sll2.pcap" })
        {
            var frames = Captures.Frames(capture);
            var info = new PacketInfo();
            int withIp = 0;
            foreach (var f in frames)
            {
                PacketDissector.Dissect(f.LinkType, f.Data, ref info);
                if (info.IpVersion != 0) withIp++;
                if (info.SrcIp.ToString() == "10.77.0.1") Assert.Equal(0x020000007701UL, info.EthSrc);
            }
            Assert.Equal(frames.Count, withIp);
        }
    }
}

using System.Buffers.Binary;
using PcapLab.Dissect;
using PcapLab.Read;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>
/// IPv6 extension chains the kernel here will not send (routing, AH, mobility): built byte by byte, written to a raw-IP
/// pcap and checked against tshark like the recorded captures, plus the offsets tshark does not print.
/// </summary>
public sealed class Ipv6ExtensionTests
{
    private static byte[] Ipv6(byte next, byte[] payload)
    {
        var b = new byte[40 + payload.Length];
        b[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), (ushort)payload.Length);
        b[6] = next; b[7] = 64;
        b[8] = 0x20; b[9] = 0x01; b[10] = 0x0d; b[11] = 0xb8; b[23] = 1;   // 2001:db8::1
        b[24] = 0x20; b[25] = 0x01; b[26] = 0x0d; b[27] = 0xb8; b[39] = 2; // 2001:db8::2
        payload.CopyTo(b, 40);
        return b;
    }

    private static readonly byte[] TcpSyn =
        [0x30, 0x39, 0x01, 0xBB, 0, 0, 0, 1, 0, 0, 0, 0, 0x60, 0x02, 0xFF, 0xFF, 0, 0, 0, 0, 2, 4, 0x05, 0xB4];

    // hop-by-hop (8) -> routing type 4 with one segment (24) -> AH (24) -> destination options (8) -> TCP
    private static readonly byte[] Chain = Ipv6(0,
    [
        43, 0, 1, 4, 0, 0, 0, 0,
        51, 2, 4, 0, 0, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
        60, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        6, 0, 1, 4, 0, 0, 0, 0,
        .. TcpSyn,
    ]);

    // a binding refresh request (mobility header, next header 59) and a first fragment followed by routing and UDP
    private static readonly byte[] Mobility = Ipv6(135, [59, 0, 0, 0, 0, 0, 0, 0]);
    private static readonly byte[] FragmentThenRouting = Ipv6(44,
        [43, 0, 0, 1, 0, 0, 0, 7, 17, 0, 4, 0, 0, 0, 0, 0, 0x13, 0x88, 0x00, 0x35, 0, 12, 0, 0, 1, 2, 3, 4]);

    [Fact]
    public void ChainsAgreeWithTshark()
    {
        byte[][] packets = [Chain, Mobility, FragmentThenRouting];
        string path = Path.Combine(Path.GetTempPath(), $"pcaplab-dissect-ext-{Environment.ProcessId}.pcap");
        try
        {
            using (var w = new BinaryWriter(File.Create(path)))
            {
                w.Write(0xA1B2C3D4u); w.Write((ushort)2); w.Write((ushort)4); w.Write(0); w.Write(0u); w.Write(65535u); w.Write(101u);
                foreach (var p in packets) { w.Write(0u); w.Write(0u); w.Write(p.Length); w.Write(p.Length); w.Write(p); }
            }
            var tshark = TsharkOracle.Run(path);
            Assert.Equal(packets.Length, tshark.Count);
            var info = new PacketInfo();
            for (int i = 0; i < packets.Length; i++)
            {
                PacketDissector.Dissect(LinkType.Raw, packets[i], ref info);
                Assert.Null(OracleComparison.Compare(info, tshark[i]));
            }
            Assert.Contains("ah", tshark[0].Protocols);
            Assert.Contains("ipv6.routing", tshark[0].Protocols);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void OffsetsAfterTheChain()
    {
        var info = new PacketInfo();
        Assert.Equal(DissectStatus.Ok, PacketDissector.Dissect(LinkType.Raw, Chain, ref info));
        Assert.Equal((6, 12345, 443, 1460), (info.IpProto, (int)info.SrcPort, (int)info.DstPort, (int)info.TcpMss));
        Assert.Equal(40 + 8 + 24 + 24 + 8, info.L4Offset);

        Assert.Equal(DissectStatus.Ok, PacketDissector.Dissect(LinkType.Raw, Mobility, ref info));
        Assert.Equal((59, 48), (info.IpProto, info.PayloadOffset));

        Assert.Equal(DissectStatus.Ok, PacketDissector.Dissect(LinkType.Raw, FragmentThenRouting, ref info));
        Assert.Equal((17, 5000, 53, 7u), (info.IpProto, (int)info.SrcPort, (int)info.DstPort, info.IpId));
        Assert.Equal(FragmentFlags.MoreFragments, info.Frag);
    }

    [Fact]
    public void EveryCutOfTheChainIsMalformed()
    {
        var info = new PacketInfo();
        for (int n = 0; n < 40 + 8 + 24 + 24 + 8 + 20; n++)
        {
            Assert.Equal(DissectStatus.Malformed, PacketDissector.Dissect(LinkType.Raw, Chain.AsSpan(0, n), ref info));
            Assert.Equal(n < 40 ? DissectWeirds.TruncatedIp : n < 104 ? DissectWeirds.TruncatedIpv6ExtHdr : DissectWeirds.TruncatedHeader, info.Weird);
        }
    }
}

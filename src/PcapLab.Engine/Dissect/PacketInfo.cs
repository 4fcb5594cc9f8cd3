using PcapLab.Read;

namespace PcapLab.Dissect;

/// <summary>TCP header flag bits, as on the wire (byte 13 of the TCP header).</summary>
[Flags]
public enum TcpFlags : byte
{
    None = 0, Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20, Ece = 0x40, Cwr = 0x80,
}

/// <summary>IP fragmentation state of a packet.</summary>
[Flags]
public enum FragmentFlags : byte
{
    /// <summary>Not a fragment.</summary>
    None = 0,
    /// <summary>More fragments follow (IPv4 MF, IPv6 M).</summary>
    MoreFragments = 1,
    /// <summary>Fragment offset is not zero: this fragment carries no upper-layer header.</summary>
    NonFirst = 2,
    /// <summary>IPv4 Don't Fragment bit.</summary>
    DontFragment = 4,
}

/// <summary>The kind of tunnel a packet was carried in (the outermost one that was decapsulated).</summary>
public enum TunnelKind : byte
{
    None = 0, Gre, Vxlan, IpInIp, Geneve, GtpU, Teredo, Ayiya, Erspan,
}

/// <summary>How far dissection got for one packet.</summary>
public enum DissectStatus : byte
{
    /// <summary>Layer 3 and (when present and not a non-first fragment) layer 4 were decoded.</summary>
    Ok = 0,
    /// <summary>A layer-2-only packet (ARP, LLDP, STP, ...): no IP layer.</summary>
    NoIp,
    /// <summary>The link type is not one PcapLab decodes; the packet is stored with its link type and counted.</summary>
    UnknownLinkType,
    /// <summary>A header was cut short or malformed; fields decoded so far are kept and a weird is counted.</summary>
    Malformed,
}

/// <summary>
/// Everything the packet path extracts from one frame, filled in place by the dissector so that no packet allocates.
/// For a tunnelled packet the main address/port fields describe the <em>inner</em> connection (as Zeek's conn.log does);
/// the outer addresses are kept in <see cref="OuterSrcIp"/>/<see cref="OuterDstIp"/>.
/// </summary>
public struct PacketInfo
{
    /// <summary>Result of dissection.</summary>
    public DissectStatus Status;
    /// <summary>The first weird seen while dissecting this packet (a constant string such as <c>truncated_ip_header</c>), or null.</summary>
    public string? Weird;
    /// <summary>Ethernet source MAC in the low 48 bits (0 when the link has no Ethernet header).</summary>
    public ulong EthSrc;
    /// <summary>Ethernet destination MAC in the low 48 bits.</summary>
    public ulong EthDst;
    /// <summary>True when the frame had an Ethernet (or cooked) header with MAC addresses.</summary>
    public bool HasEth;
    /// <summary>The Ethertype (or SLL protocol) that carried the IP packet, or the last one seen.</summary>
    public ushort EtherType;
    /// <summary>Outermost 802.1Q VLAN id, or -1.</summary>
    public short Vlan;
    /// <summary>Inner 802.1Q VLAN id in a Q-in-Q stack, or -1.</summary>
    public short InnerVlan;
    /// <summary>MPLS label stack depth seen (0 if none).</summary>
    public byte MplsLabels;

    /// <summary>4 or 6; 0 when there is no IP layer.</summary>
    public byte IpVersion;
    /// <summary>Source address (inner when tunnelled).</summary>
    public IpAddr SrcIp;
    /// <summary>Destination address (inner when tunnelled).</summary>
    public IpAddr DstIp;
    /// <summary>Upper-layer protocol number after IPv6 extension headers (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...).</summary>
    public byte IpProto;
    /// <summary>IPv4 TTL or IPv6 hop limit.</summary>
    public byte Ttl;
    /// <summary>IPv4 identification, or the IPv6 fragment header's identification.</summary>
    public uint IpId;
    /// <summary>Fragmentation state.</summary>
    public FragmentFlags Frag;
    /// <summary>Fragment offset in bytes.</summary>
    public ushort FragOffset;
    /// <summary>Offset of the (innermost) IP header in the frame.</summary>
    public int L3Offset;
    /// <summary>Length of the IP packet from its header on, per its length field and clipped to the captured bytes' claim.</summary>
    public int IpTotalLength;

    /// <summary>Offset of the layer-4 header in the frame, or -1.</summary>
    public int L4Offset;
    /// <summary>TCP/UDP source port (0 when none).</summary>
    public ushort SrcPort;
    /// <summary>TCP/UDP destination port.</summary>
    public ushort DstPort;
    /// <summary>TCP flags.</summary>
    public TcpFlags TcpFlags;
    /// <summary>TCP sequence number.</summary>
    public uint TcpSeq;
    /// <summary>TCP acknowledgement number.</summary>
    public uint TcpAck;
    /// <summary>TCP window (unscaled, as on the wire).</summary>
    public ushort TcpWin;
    /// <summary>TCP MSS option, or 0.</summary>
    public ushort TcpMss;
    /// <summary>TCP window scale option, or -1.</summary>
    public sbyte TcpWScale;
    /// <summary>TCP SACK-permitted option seen.</summary>
    public bool TcpSackOk;
    /// <summary>TCP timestamps option seen.</summary>
    public bool HasTcpTimestamps;
    /// <summary>TCP timestamp value.</summary>
    public uint TcpTsVal;
    /// <summary>TCP timestamp echo reply.</summary>
    public uint TcpTsEcr;
    /// <summary>ICMP/ICMPv6 type, or -1.</summary>
    public short IcmpType;
    /// <summary>ICMP/ICMPv6 code, or -1.</summary>
    public short IcmpCode;

    /// <summary>Offset of the layer-4 payload in the frame (or of the IP payload when layer 4 was not decoded).</summary>
    public int PayloadOffset;
    /// <summary>Layer-4 payload length per the headers' length fields (may exceed what was captured).</summary>
    public int PayloadLength;

    /// <summary>Outermost tunnel that was decapsulated.</summary>
    public TunnelKind Tunnel;
    /// <summary>Outer source address when tunnelled.</summary>
    public IpAddr OuterSrcIp;
    /// <summary>Outer destination address when tunnelled.</summary>
    public IpAddr OuterDstIp;
    /// <summary>Tunnel identifier (VXLAN VNI, Geneve VNI, GTP TEID, GRE key), or 0.</summary>
    public uint TunnelId;

    /// <summary>Resets every field for the next packet without allocating.</summary>
    public void Reset()
    {
        this = default;
        Vlan = -1; InnerVlan = -1; L4Offset = -1; TcpWScale = -1; IcmpType = -1; IcmpCode = -1;
    }
}

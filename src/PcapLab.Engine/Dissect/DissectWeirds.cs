namespace PcapLab.Dissect;

/// <summary>
/// Names of the weirds the dissector reports in <see cref="PacketInfo.Weird"/>: Zeek's weird.log names where Zeek has one,
/// otherwise snake_case in the same spirit. Constants, so that reporting one never allocates.
/// </summary>
public static class DissectWeirds
{
    /// <summary>A link-layer header (BSD loopback, Cisco HDLC, MPLS) is cut short.</summary>
    public const string TruncatedLinkHeader = "truncated_link_header";
    /// <summary>An Ethernet header is cut short.</summary>
    public const string TruncatedEthernetFrame = "truncated_ethernet_frame";
    /// <summary>A Linux cooked (SLL) header is cut short.</summary>
    public const string TruncatedLinuxSllHeader = "truncated_Linux_SLL_header";
    /// <summary>A Linux cooked v2 (SLL2) header is cut short.</summary>
    public const string TruncatedLinuxSll2Header = "truncated_Linux_SLL2_header";
    /// <summary>A PPP header on a serial link is cut short.</summary>
    public const string TruncatedPppSerialHeader = "truncated_ppp_serial_header";
    /// <summary>An 802.1Q/802.1ad tag is cut short.</summary>
    public const string TruncatedVlanHeader = "truncated_VLAN_header";
    /// <summary>A PPPoE session header is cut short.</summary>
    public const string TruncatedPppoeHeader = "truncated_pppoe_header";
    /// <summary>An 802.1ah (PBB) or VN-Tag header is cut short.</summary>
    public const string TruncatedBridgingTag = "truncated_bridging_tag";
    /// <summary>The BSD loopback address family is not IPv4 or IPv6.</summary>
    public const string UnknownLoopbackFamily = "unknown_loopback_family";
    /// <summary>The IP header is shorter than its fixed part.</summary>
    public const string TruncatedIp = "truncated_IP";
    /// <summary>A link type PcapLab does not decode (the packet is stored with it, undissected).</summary>
    public const string UnknownLinkType = "unknown_link_type";
    /// <summary>The IP header claims more bytes than the frame had on the wire; lengths were clipped to the frame.</summary>
    public const string IpLenBeyondFrame = "ip_len_beyond_frame";
    /// <summary>The IPv4 header length field is below 20 or above the total length.</summary>
    public const string InvalidIpHeaderSize = "invalid_IP_header_size";
    /// <summary>The IP version nibble is neither 4 nor 6 where IP was expected.</summary>
    public const string UnknownIpVersion = "unknown_ip_version";
    /// <summary>The IPv4 total length is zero (TCP segmentation offload); the captured length is used instead.</summary>
    public const string IpHdrLenZero = "ip_hdr_len_zero";
    /// <summary>An IPv6 extension header is cut short.</summary>
    public const string TruncatedIpv6ExtHdr = "truncated_ipv6_ext_hdr";
    /// <summary>A TCP, UDP or ICMP header is cut short.</summary>
    public const string TruncatedHeader = "truncated_header";
    /// <summary>The TCP data offset is below 20 bytes.</summary>
    public const string BadTcpHeaderLen = "bad_TCP_header_len";
    /// <summary>The UDP length field is below 8.</summary>
    public const string BadUdpLength = "bad_UDP_length";
    /// <summary>A GRE header is cut short.</summary>
    public const string TruncatedGre = "truncated_GRE";
    /// <summary>A GRE version other than 0 and 1.</summary>
    public const string UnknownGreVersion = "unknown_gre_version";
    /// <summary>An ERSPAN header inside GRE is cut short.</summary>
    public const string TruncatedErspan = "truncated_ERSPAN";
    /// <summary>A VXLAN header is cut short.</summary>
    public const string TruncatedVxlan = "truncated_VXLAN";
    /// <summary>A Geneve header (with its options) is cut short.</summary>
    public const string TruncatedGeneve = "truncated_Geneve";
    /// <summary>A GTPv1-U header or extension header is cut short.</summary>
    public const string TruncatedGtp = "truncated_GTPv1";
    /// <summary>An AYIYA header is cut short.</summary>
    public const string TruncatedAyiya = "truncated_AYIYA";
    /// <summary>Tunnels or layers nest deeper than the dissector follows.</summary>
    public const string ExceededTunnelMaxDepth = "exceeded_tunnel_max_depth";
}

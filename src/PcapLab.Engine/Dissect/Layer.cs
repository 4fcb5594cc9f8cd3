namespace PcapLab.Dissect;

/// <summary>The decoders the dissector can hand the rest of a frame to.</summary>
internal enum Layer : byte
{
    /// <summary>Nothing PcapLab decodes further (ARP, LLDP, STP, unknown ethertypes).</summary>
    None,
    Ethernet,
    Ipv4,
    Ipv6,
    /// <summary>IPv4 or IPv6, chosen by the version nibble (raw IP links, MPLS payloads).</summary>
    IpByVersion,
    Vlan,
    Mpls,
    PppoeSession,
    /// <summary>802.1ah provider backbone bridging: an I-TAG, then a customer Ethernet header.</summary>
    Pbb,
    VnTag,
    /// <summary>An 802.2 LLC header (802.3 length field instead of an ethertype).</summary>
    Llc,
}

/// <summary>Registration data: which number on the wire selects which decoder (as Zeek's packet-protocols scripts).</summary>
internal static class Dispatch
{
    /// <summary>The decoder for an ethertype (also used by SLL, Cisco HDLC, GRE and Geneve protocol fields).</summary>
    public static Layer FromEtherType(ushort etherType) => etherType switch
    {
        0x0800 => Layer.Ipv4,
        0x86DD => Layer.Ipv6,
        0x8100 or 0x88A8 or 0x9100 or 0x9200 => Layer.Vlan,
        0x8847 or 0x8848 => Layer.Mpls,
        0x8864 => Layer.PppoeSession,
        0x88E7 => Layer.Pbb,
        0x8926 => Layer.VnTag,
        0x6558 => Layer.Ethernet,
        <= 1500 => Layer.Llc,
        _ => Layer.None,
    };

    /// <summary>The decoder for a PPP protocol number (RFC 1661 assigned numbers).</summary>
    public static Layer FromPppProtocol(ushort protocol) => protocol switch
    {
        0x0021 => Layer.Ipv4,
        0x0057 => Layer.Ipv6,
        0x0281 or 0x0283 => Layer.Mpls,
        _ => Layer.None,
    };

    /// <summary>The UDP tunnel registered on a port, as Zeek's default tunnel ports.</summary>
    public static UdpTunnel FromUdpPort(ushort port) => port switch
    {
        4789 => UdpTunnel.Vxlan,
        6081 => UdpTunnel.Geneve,
        2152 => UdpTunnel.GtpU,
        3544 => UdpTunnel.Teredo,
        5072 => UdpTunnel.Ayiya,
        _ => UdpTunnel.None,
    };

    /// <summary>The address family of a BSD loopback header: IPv4 (2) or IPv6 (24, 28, 30 on the BSDs and macOS).</summary>
    public static Layer FromLoopbackFamily(uint family) => family switch
    {
        2 => Layer.Ipv4,
        24 or 28 or 30 => Layer.Ipv6,
        _ => Layer.None,
    };
}

/// <summary>Tunnels found by UDP port.</summary>
internal enum UdpTunnel : byte { None, Vxlan, Geneve, GtpU, Teredo, Ayiya }

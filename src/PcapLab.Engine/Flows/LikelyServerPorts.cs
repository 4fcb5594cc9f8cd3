using PcapLab.Dissect;

namespace PcapLab.Flows;

/// <summary>
/// Zeek's originator-flip heuristic (IPBasedAnalyzer/TCPAnalyzer::WantConnection and UDPAnalyzer::WantConnection)
/// with its likely_server_ports set. Zeek fills that set from the ports its analyzers register; this is the same idea
/// as a fixed list of the well-known ports of those analyzers (DNS, HTTP, TLS, SSH, FTP, SMTP, POP3, IMAP, IRC, LDAP,
/// Kerberos, SMB/DCE-RPC, RDP, MySQL, PostgreSQL, Redis, MQTT, Modbus, DNP3, SIP, SNMP, NTP, DHCP, syslog, RADIUS,
/// QUIC, tunnels, ...).
/// </summary>
public static class LikelyServerPorts
{
    private static readonly HashSet<ushort> Tcp =
    [
        21, 22, 23, 25, 53, 80, 81, 88, 110, 111, 135, 139, 143, 389, 443, 445, 465, 502, 563, 585, 587, 614, 631, 636,
        989, 990, 992, 993, 995, 1080, 1433, 1883, 2811, 3128, 3268, 3306, 3389, 5222, 5223, 5269, 5432, 5900, 6379,
        6666, 6667, 6668, 6669, 8000, 8080, 8443, 8883, 8888, 20000,
    ];

    private static readonly HashSet<ushort> Udp =
    [
        53, 67, 68, 69, 88, 123, 137, 138, 161, 162, 443, 500, 514, 1812, 1813, 2123, 2152, 3478, 3544, 4500, 4789,
        5060, 5072, 5353, 5355, 6081, 20000,
    ];

    /// <summary>True when <paramref name="port"/> is a likely server port for the protocol (6 TCP, 17 UDP).</summary>
    public static bool Contains(byte proto, ushort port) => proto switch
    {
        6 => Tcp.Contains(port),
        17 => Udp.Contains(port),
        _ => false,
    };

    /// <summary>
    /// Whether the first packet of a new flow was sent by the responder. TCP: only when the packet is not a bare SYN
    /// (no SYN, or SYN+ACK); then flip if the source port is a likely server port and the destination is not, or if
    /// both are, when the packet has no SYN and the source port is below the destination port.
    /// UDP: flip if the source port is a likely server port and the destination port is not. Other protocols: never.
    /// </summary>
    public static bool ShouldFlip(in PacketInfo p)
    {
        if (p.IpProto == 6)
        {
            var fl = p.TcpFlags;
            bool syn = (fl & TcpFlags.Syn) != 0;
            if (syn && (fl & TcpFlags.Ack) == 0) return false;
            if (!Tcp.Contains(p.SrcPort)) return false;
            return Tcp.Contains(p.DstPort) ? !syn && p.SrcPort < p.DstPort : true;
        }
        if (p.IpProto == 17) return Udp.Contains(p.SrcPort) && !Udp.Contains(p.DstPort);
        return false;
    }
}

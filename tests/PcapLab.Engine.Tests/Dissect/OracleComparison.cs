using PcapLab.Dissect;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>
/// Compares one dissected frame with tshark: IP version, addresses, upper protocol, ports, TCP flags, outer VLAN id.
/// For tunnels the dissector's main fields are the innermost IP layer, which is tshark's last ip/ipv6 layer before any
/// ICMP (what follows an ICMP header is the quoted offending packet, not a tunnel).
/// </summary>
internal static class OracleComparison
{
    private static readonly Dictionary<string, int> UpperProtocols = new()
    {
        ["tcp"] = 6, ["udp"] = 17, ["icmp"] = 1, ["icmpv6"] = 58, ["gre"] = 47, ["ip"] = 4, ["ipv6"] = 41, ["sctp"] = 132,
        ["esp"] = 50, ["igmp"] = 2, ["ospf"] = 89, ["pim"] = 103, ["vrrp"] = 112,
    };

    /// <summary>
    /// Where comparison stops: ICMP quotes the offending packet, and these encapsulations are not tunnels Zeek decapsulates
    /// (their packets stay described by the outer connection).
    /// </summary>
    private static readonly HashSet<string> StopLayers = ["icmp", "icmpv6", "capwap.data", "sflow"];

    /// <summary>Null when the dissector agrees with tshark, else a description of the first difference.</summary>
    public static string? Compare(in PacketInfo info, TsharkFrame t)
    {
        string[] layers = t.Protocols;
        int cut = Array.FindIndex(layers, l => StopLayers.Contains(l));
        if (cut < 0) cut = layers.Length;

        // The innermost IP layer for which tshark printed an address (a truncated inner header has none).
        int ipAt = -1, occurrence = -1;
        for (int i = cut - 1; i >= 0 && ipAt < 0; i--)
        {
            if (layers[i] is not ("ip" or "ipv6")) continue;
            int n = layers.Take(i).Count(l => l == layers[i]);
            if (t[layers[i] + ".src"].Length > n) { ipAt = i; occurrence = n; }
        }

        // tshark names an 802.1ad service tag ieee8021ad, not vlan; either is our outer VLAN.
        string vlan = layers.Take(cut).Contains("ieee8021ad") ? t["ieee8021ad.id"][0]
            : layers.Take(cut).Contains("vlan") ? t["vlan.id"][0] : "-1";
        if (vlan != info.Vlan.ToString()) return $"vlan {info.Vlan} vs tshark {vlan}";

        if (ipAt < 0)
            return info.IpVersion == 0 ? null : $"ip {info.SrcIp}->{info.DstIp} vs tshark none ({string.Join(':', layers)})";
        string family = layers[ipAt];
        int version = family == "ip" ? 4 : 6;
        string src = t[family + ".src"][occurrence], dst = t[family + ".dst"][occurrence];
        if (info.IpVersion != version) return $"ip version {info.IpVersion} vs tshark {version} {src}->{dst} ({string.Join(':', layers)})";
        if (info.SrcIp.ToString() != src || info.DstIp.ToString() != dst)
            return $"addresses {info.SrcIp}->{info.DstIp} vs tshark {src}->{dst} ({string.Join(':', layers)})";

        // The upper layer tshark found after the IP header and its extension headers.
        int upperAt = ipAt + 1;
        while (upperAt < layers.Length && layers[upperAt].StartsWith("ipv6.", StringComparison.Ordinal)) upperAt++;
        string? upper = upperAt < layers.Length ? layers[upperAt] : null;
        if (version == 4)
        {
            var protos = t["ip.proto"];
            if (protos.Length > occurrence && protos[occurrence] != info.IpProto.ToString())
                return $"ip.proto {info.IpProto} vs tshark {protos[occurrence]}";
        }
        else if (upper != null && UpperProtocols.TryGetValue(upper, out int proto) && proto != info.IpProto)
            return $"ipv6 upper protocol {info.IpProto} vs tshark {upper}";

        if (upper is "tcp" or "udp")
        {
            int n = layers.Take(upperAt).Count(l => l == upper);
            var sp = t[upper + ".srcport"];
            if (sp.Length <= n) return null;
            string dp = t[upper + ".dstport"][n];
            if (info.SrcPort.ToString() != sp[n] || info.DstPort.ToString() != dp)
                return $"ports {info.SrcPort}->{info.DstPort} vs tshark {sp[n]}->{dp}";
            // tshark reads flags out of a cut TCP header; the dissector fills them only from a complete one.
            if (upper == "tcp" && info.L4Offset >= 0 && t["tcp.flags"].Length > n && (Convert.ToInt32(t["tcp.flags"][n], 16) & 0xFF) != (int)info.TcpFlags)
                return $"tcp flags {(int)info.TcpFlags:x} vs tshark {t["tcp.flags"][n]}";
        }
        return null;
    }
}

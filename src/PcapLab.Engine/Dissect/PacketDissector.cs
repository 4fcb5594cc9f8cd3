using PcapLab.Read;

namespace PcapLab.Dissect;

/// <summary>
/// Decodes frames into <see cref="PacketInfo"/>: link layer, VLAN/MPLS/PPPoE, IPv4/IPv6, TCP/UDP/ICMP, and the tunnels
/// Zeek decapsulates (GRE, ERSPAN, VXLAN, Geneve, GTP-U, Teredo, AYIYA, IP-in-IP). Allocation-free and total: any bytes are fine.
/// </summary>
public static class PacketDissector
{
    /// <summary>
    /// Decodes one frame into <paramref name="info"/> (reset first). Never throws, never allocates, for any input bytes.
    /// A malformed frame keeps what was decoded before the problem, names it in <see cref="PacketInfo.Weird"/> and returns
    /// <see cref="DissectStatus.Malformed"/>.
    /// </summary>
    /// <param name="linkType">The capture's link type for this frame.</param>
    /// <param name="frame">The captured bytes, from the link-layer header on.</param>
    /// <param name="info">Filled in place.</param>
    /// <returns>The same value as <see cref="PacketInfo.Status"/>.</returns>
    public static DissectStatus Dissect(LinkType linkType, ReadOnlySpan<byte> frame, ref PacketInfo info)
    {
        info.Reset();
        var d = new FrameDissector(frame, ref info);
        DissectStatus status = d.Link(linkType);
        if (status == DissectStatus.Ok && info.IpVersion == 0) status = DissectStatus.NoIp;
        info.Status = status;
        return status;
    }
}

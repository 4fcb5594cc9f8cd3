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
        // Kept and counted, never silently dropped: the packet row has its link type, the weirds table the count.
        if (status == DissectStatus.UnknownLinkType) info.Weird ??= DissectWeirds.UnknownLinkType;
        info.Status = status;
        return status;
    }

    /// <summary>
    /// Decodes a frame whose length on the wire is known (a capture record's original length). Headers that claim more
    /// bytes than the frame had on the wire are clipped to it, as tshark does, and recorded as the weird
    /// <c>ip_len_beyond_frame</c>; a snap length that cut the frame short is not a problem and changes nothing.
    /// </summary>
    public static DissectStatus Dissect(LinkType linkType, ReadOnlySpan<byte> frame, int wireLength, ref PacketInfo info)
    {
        var status = Dissect(linkType, frame, ref info);
        if (info.IpVersion != 0 && info.Tunnel == TunnelKind.None && wireLength >= frame.Length)
        {
            int ipEnd = info.L3Offset + info.IpTotalLength;
            if (ipEnd > wireLength)
            {
                info.IpTotalLength = Math.Max(0, wireLength - info.L3Offset);
                info.PayloadLength = Math.Clamp(wireLength - info.PayloadOffset, 0, info.PayloadLength);
                info.Weird ??= DissectWeirds.IpLenBeyondFrame;
            }
        }
        return status;
    }
}

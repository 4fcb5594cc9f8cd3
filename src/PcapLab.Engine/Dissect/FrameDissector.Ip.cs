using System.Buffers.Binary;

namespace PcapLab.Dissect;

// IPv4 and IPv6 (with its extension-header chain), then the upper-layer dispatch shared by both.
internal ref partial struct FrameDissector
{
    private DissectStatus IpByVersion(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if (s.IsEmpty) return Fail(DissectWeirds.TruncatedIp);
        return (s[0] >> 4) switch
        {
            4 => Ipv4(off, end),
            6 => Ipv6(off, end),
            _ => Fail(DissectWeirds.UnknownIpVersion),
        };
    }

    private DissectStatus Ipv4(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 20u) return Fail(DissectWeirds.TruncatedIp);
        if (s[0] >> 4 != 4) return Fail(DissectWeirds.UnknownIpVersion);
        int headerLength = (s[0] & 0x0F) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(s[2..]);
        ushort fragField = BinaryPrimitives.ReadUInt16BigEndian(s[6..]);

        _info.IpVersion = 4;
        _info.L3Offset = off;
        _info.Ttl = s[8];
        _info.IpProto = s[9];
        _info.IpId = BinaryPrimitives.ReadUInt16BigEndian(s[4..]);
        _info.SrcIp = IpAddr.V4(s[12..]);
        _info.DstIp = IpAddr.V4(s[16..]);
        _info.FragOffset = (ushort)((fragField & 0x1FFF) * 8);
        FragmentFlags frag = FragmentFlags.None;
        if ((fragField & 0x4000) != 0) frag |= FragmentFlags.DontFragment;
        if ((fragField & 0x2000) != 0) frag |= FragmentFlags.MoreFragments;
        if ((fragField & 0x1FFF) != 0) frag |= FragmentFlags.NonFirst;
        _info.Frag = frag;

        if (total == 0)
        {
            // TCP segmentation offload leaves the length zero in captures taken on the sending host.
            Note(DissectWeirds.IpHdrLenZero);
            total = s.Length;
        }
        _info.IpTotalLength = total;
        _info.PayloadOffset = off + headerLength;
        if (headerLength < 20 || headerLength > total) return Fail(DissectWeirds.InvalidIpHeaderSize);
        if (headerLength > s.Length) return Fail(DissectWeirds.TruncatedIp);
        _info.PayloadLength = total - headerLength;

        if ((frag & FragmentFlags.NonFirst) != 0) return DissectStatus.Ok;
        return Upper(s[9], off + headerLength, off + total, fragmented: (frag & FragmentFlags.MoreFragments) != 0);
    }

    private DissectStatus Ipv6(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 40u) return Fail(DissectWeirds.TruncatedIp);
        if (s[0] >> 4 != 6) return Fail(DissectWeirds.UnknownIpVersion);
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(s[4..]);
        // A zero payload length is a jumbogram or offload: the captured bytes are all there is to go by.
        if (payloadLength == 0) payloadLength = s.Length - 40;

        _info.IpVersion = 6;
        _info.L3Offset = off;
        _info.Ttl = s[7];
        _info.SrcIp = IpAddr.V6(s[8..]);
        _info.DstIp = IpAddr.V6(s[24..]);
        _info.IpTotalLength = 40 + payloadLength;
        return Ipv6Extensions(s[6], off + 40, off + 40 + payloadLength);
    }

    // Walks hop-by-hop, routing, destination options, fragment, AH and mobility headers to the upper layer.
    private DissectStatus Ipv6Extensions(byte next, int off, int end)
    {
        bool fragmented = false;
        for (int n = 0; n < MaxLayers; n++)
        {
            _info.IpProto = next;
            _info.PayloadOffset = off;
            _info.PayloadLength = end - off;
            ReadOnlySpan<byte> s = Bytes(off, end);
            int length;
            switch (next)
            {
                case 0 or 43 or 60 or 135:
                    if ((uint)s.Length < 2u) return Fail(DissectWeirds.TruncatedIpv6ExtHdr);
                    length = (s[1] + 1) * 8;
                    break;
                case 51:
                    if ((uint)s.Length < 2u) return Fail(DissectWeirds.TruncatedIpv6ExtHdr);
                    length = (s[1] + 2) * 4;
                    break;
                case 44:
                    if ((uint)s.Length < 8u) return Fail(DissectWeirds.TruncatedIpv6ExtHdr);
                    length = 8;
                    ushort field = BinaryPrimitives.ReadUInt16BigEndian(s[2..]);
                    _info.FragOffset = (ushort)(field & 0xFFF8);
                    _info.IpId = BinaryPrimitives.ReadUInt32BigEndian(s[4..]);
                    if ((field & 1) != 0) _info.Frag |= FragmentFlags.MoreFragments;
                    if (_info.FragOffset != 0) _info.Frag |= FragmentFlags.NonFirst;
                    fragmented = true;
                    break;
                default:
                    if ((_info.Frag & FragmentFlags.NonFirst) != 0) return DissectStatus.Ok;
                    return Upper(next, off, end, fragmented);
            }
            if ((uint)s.Length < (uint)length) return Fail(DissectWeirds.TruncatedIpv6ExtHdr);
            next = s[0];
            off += length;
            if ((_info.Frag & FragmentFlags.NonFirst) != 0)
            {
                // Later fragments carry no upper-layer header: name the protocol and stop.
                _info.IpProto = next;
                _info.PayloadOffset = off;
                _info.PayloadLength = end - off;
                return DissectStatus.Ok;
            }
        }
        return Fail(DissectWeirds.ExceededTunnelMaxDepth);
    }

    /// <summary>
    /// The upper layer of an IP packet. Tunnels inside a fragment are not followed (the inner packet is incomplete until
    /// reassembly, as Zeek waits for); their outer header is still decoded.
    /// </summary>
    private DissectStatus Upper(byte protocol, int off, int end, bool fragmented)
    {
        _info.PayloadOffset = off;
        _info.PayloadLength = end - off;
        return protocol switch
        {
            6 => Tcp(off, end),
            17 => Udp(off, end, fragmented),
            1 or 58 => Icmp(off, end),
            47 when !fragmented => Gre(off, end),
            4 when !fragmented => Decapsulate(TunnelKind.IpInIp, 0, Layer.Ipv4, off, end),
            41 when !fragmented => Decapsulate(TunnelKind.IpInIp, 0, Layer.Ipv6, off, end),
            _ => DissectStatus.Ok,
        };
    }
}

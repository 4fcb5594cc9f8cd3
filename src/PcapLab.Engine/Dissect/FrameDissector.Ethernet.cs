using System.Buffers.Binary;

namespace PcapLab.Dissect;

// Ethernet and the tags and shims that can sit between it and IP: 802.1Q/802.1ad, 802.2 LLC/SNAP, 802.1ah, VN-Tag, PPPoE, MPLS.
internal ref partial struct FrameDissector
{
    private DissectStatus Ethernet(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 14u) return Fail(DissectWeirds.TruncatedLinkHeader);
        if (!_info.HasEth)
        {
            _info.HasEth = true;
            _info.EthDst = Mac(s);
            _info.EthSrc = Mac(s[6..]);
        }
        return EtherType(BinaryPrimitives.ReadUInt16BigEndian(s[12..]), off + 14, end);
    }

    private DissectStatus EtherType(ushort etherType, int off, int end)
    {
        if (etherType > 1500) _info.EtherType = etherType;
        return Next(Dispatch.FromEtherType(etherType), off, end);
    }

    // 802.1Q / 802.1ad: TCI (priority, DEI, 12-bit id) and the next ethertype; the first tag met is the outer one.
    private DissectStatus Vlan(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 4u) return Fail(DissectWeirds.TruncatedVlanHeader);
        short id = (short)(BinaryPrimitives.ReadUInt16BigEndian(s) & 0x0FFF);
        if (_info.Vlan < 0) _info.Vlan = id;
        else if (_info.InnerVlan < 0) _info.InnerVlan = id;
        return EtherType(BinaryPrimitives.ReadUInt16BigEndian(s[2..]), off + 4, end);
    }

    // 802.2 LLC: only SNAP with the ethertype OUI (00-00-00) leads anywhere; STP, CDP, NetBIOS... end here.
    private DissectStatus Llc(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 8u || s[0] != 0xAA || s[1] != 0xAA || s[2] != 0x03) return DissectStatus.Ok;
        if (s[3] != 0 || s[4] != 0 || s[5] != 0) return DissectStatus.Ok;
        return EtherType(BinaryPrimitives.ReadUInt16BigEndian(s[6..]), off + 8, end);
    }

    // 802.1ah: a 4-byte I-TAG (I-SID), then the customer's Ethernet header.
    private DissectStatus Pbb(int off, int end)
    {
        if ((uint)Bytes(off, end).Length < 4u) return Fail(DissectWeirds.TruncatedBridgingTag);
        return Next(Layer.Ethernet, off + 4, end);
    }

    // VN-Tag (802.1Qbh): 4 bytes of tag, then the next ethertype.
    private DissectStatus VnTag(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 6u) return Fail(DissectWeirds.TruncatedBridgingTag);
        return EtherType(BinaryPrimitives.ReadUInt16BigEndian(s[4..]), off + 6, end);
    }

    // PPPoE session stage (RFC 2516): version/type, code, session id, length, then a 2-byte PPP protocol.
    private DissectStatus PppoeSession(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 8u) return Fail(DissectWeirds.TruncatedPppoeHeader);
        // The PPPoE length counts the PPP protocol field and payload: it bounds the packet (Ethernet padding follows).
        int pppEnd = off + 6 + BinaryPrimitives.ReadUInt16BigEndian(s[4..]);
        return Next(Dispatch.FromPppProtocol(BinaryPrimitives.ReadUInt16BigEndian(s[6..])), off + 8, Min(end, pppEnd));
    }

    // MPLS: 4-byte label entries up to the bottom-of-stack bit; the payload has no type, so it is guessed as Zeek does:
    // by the IP version nibble, and a 0 nibble is a pseudowire control word (RFC 4385) before an Ethernet frame.
    private DissectStatus Mpls(int off, int end)
    {
        while (true)
        {
            ReadOnlySpan<byte> s = Bytes(off, end);
            if ((uint)s.Length < 4u) return Fail(DissectWeirds.TruncatedLinkHeader);
            if (_info.MplsLabels < byte.MaxValue) _info.MplsLabels++;
            off += 4;
            if ((s[2] & 0x01) != 0) break;
            if (++_layers > MaxLayers) return Fail(DissectWeirds.ExceededTunnelMaxDepth);
        }
        ReadOnlySpan<byte> p = Bytes(off, end);
        if (p.IsEmpty) return DissectStatus.Ok;
        return (p[0] >> 4) switch
        {
            4 => Next(Layer.Ipv4, off, end),
            6 => Next(Layer.Ipv6, off, end),
            0 => Next(Layer.Ethernet, off + 4, end),
            _ => DissectStatus.Ok,
        };
    }
}

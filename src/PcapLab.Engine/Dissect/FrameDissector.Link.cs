using System.Buffers.Binary;
using PcapLab.Read;

namespace PcapLab.Dissect;

// Link-layer headers: one method per link type, each ending in a dispatch on the protocol field it carries.
internal ref partial struct FrameDissector
{
    /// <summary>Decodes the frame from its link-layer header on.</summary>
    public DissectStatus Link(LinkType linkType)
    {
        int end = _frame.Length;
        return linkType switch
        {
            LinkType.Ethernet => Ethernet(0, end),
            LinkType.Raw or LinkType.RawBsd12 or LinkType.RawBsd14 => IpByVersion(0, end),
            LinkType.Ipv4 => Ipv4(0, end),
            LinkType.Ipv6 => Ipv6(0, end),
            LinkType.Null => Loopback(hostOrder: true),
            LinkType.Loop => Loopback(hostOrder: false),
            LinkType.LinuxSll => LinuxSll(),
            LinkType.LinuxSll2 => LinuxSll2(),
            LinkType.Ppp => Ppp(0, end),
            LinkType.CiscoHdlc => CiscoHdlc(),
            _ => DissectStatus.UnknownLinkType,
        };
    }

    // A 4-byte address family; DLT_NULL writes it in the capturing host's order, so both orders are accepted.
    private DissectStatus Loopback(bool hostOrder)
    {
        ReadOnlySpan<byte> s = _frame;
        if ((uint)s.Length < 4u) return Fail(DissectWeirds.TruncatedLinkHeader);
        uint family = BinaryPrimitives.ReadUInt32BigEndian(s);
        if (hostOrder && family > 0xFFFF) family = BinaryPrimitives.ReadUInt32LittleEndian(s);
        Layer next = Dispatch.FromLoopbackFamily(family);
        if (next == Layer.None) return Fail(DissectWeirds.UnknownLoopbackFamily);
        return Next(next, 4, s.Length);
    }

    // Linux cooked v1: packet type, ARPHRD type, address length, 8 address bytes, protocol (an ethertype).
    private DissectStatus LinuxSll()
    {
        ReadOnlySpan<byte> s = _frame;
        if ((uint)s.Length < 16u) return Fail(DissectWeirds.TruncatedLinuxSllHeader);
        CookedAddress(BinaryPrimitives.ReadUInt16BigEndian(s[2..]), BinaryPrimitives.ReadUInt16BigEndian(s[4..]), s.Slice(6, 8));
        return CookedProtocol(BinaryPrimitives.ReadUInt16BigEndian(s[14..]), 16);
    }

    // Linux cooked v2: protocol, reserved, interface index, ARPHRD type, packet type, address length, 8 address bytes.
    private DissectStatus LinuxSll2()
    {
        ReadOnlySpan<byte> s = _frame;
        if ((uint)s.Length < 20u) return Fail(DissectWeirds.TruncatedLinuxSll2Header);
        CookedAddress(BinaryPrimitives.ReadUInt16BigEndian(s[8..]), s[11], s.Slice(12, 8));
        return CookedProtocol(BinaryPrimitives.ReadUInt16BigEndian(s), 20);
    }

    private readonly void CookedAddress(ushort arphrd, int addressLength, ReadOnlySpan<byte> address)
    {
        // ARPHRD_ETHER (1) and ARPHRD_LOOPBACK (772) carry a 6-byte MAC: the sender's.
        if ((arphrd == 1 || arphrd == 772) && addressLength == 6)
        {
            _info.HasEth = true;
            _info.EthSrc = Mac(address);
        }
    }

    private DissectStatus CookedProtocol(ushort protocol, int off)
    {
        // 0x0001..0x0004 are the kernel's pseudo-protocols for 802.3 and 802.2 frames without an ethertype.
        if (protocol == 0x0004) return Next(Layer.Llc, off, _frame.Length);
        if (protocol < 0x0600) return DissectStatus.Ok;
        _info.EtherType = protocol;
        return Next(Dispatch.FromEtherType(protocol), off, _frame.Length);
    }

    // PPP in HDLC-like framing (RFC 1662) or bare; the protocol field may be compressed to one byte (RFC 1661 PFC).
    private DissectStatus Ppp(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length >= 2u && s[0] == 0xFF && s[1] == 0x03) { s = s[2..]; off += 2; }
        if ((uint)s.Length < 1u) return Fail(DissectWeirds.TruncatedPppSerialHeader);
        ushort protocol;
        if ((s[0] & 1) != 0) { protocol = s[0]; off += 1; }
        else
        {
            if ((uint)s.Length < 2u) return Fail(DissectWeirds.TruncatedPppSerialHeader);
            protocol = BinaryPrimitives.ReadUInt16BigEndian(s);
            off += 2;
        }
        return Next(Dispatch.FromPppProtocol(protocol), off, end);
    }

    // Cisco HDLC: address, control, then an ethertype.
    private DissectStatus CiscoHdlc()
    {
        ReadOnlySpan<byte> s = _frame;
        if ((uint)s.Length < 4u) return Fail(DissectWeirds.TruncatedLinkHeader);
        ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(s[2..]);
        _info.EtherType = protocol;
        return Next(Dispatch.FromEtherType(protocol), 4, s.Length);
    }

    /// <summary>A 6-byte MAC address as the low 48 bits of a number.</summary>
    private static ulong Mac(ReadOnlySpan<byte> b) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(b) << 32) | BinaryPrimitives.ReadUInt32BigEndian(b[2..]);
}

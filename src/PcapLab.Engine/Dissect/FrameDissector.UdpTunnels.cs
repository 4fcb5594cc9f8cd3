using System.Buffers.Binary;

namespace PcapLab.Dissect;

// Tunnels found by UDP port: VXLAN, Geneve, GTP-U, Teredo, AYIYA.
internal ref partial struct FrameDissector
{
    private DissectStatus UdpTunnelPayload(UdpTunnel tunnel, int off, int end) => tunnel switch
    {
        UdpTunnel.Vxlan => Vxlan(off, end),
        UdpTunnel.Geneve => Geneve(off, end),
        UdpTunnel.GtpU => GtpU(off, end),
        UdpTunnel.Teredo => Teredo(off, end),
        UdpTunnel.Ayiya => Ayiya(off, end),
        _ => DissectStatus.Ok,
    };

    // RFC 7348: flags (I = VNI valid), 24 reserved bits, 24-bit VNI, reserved byte, then an Ethernet frame.
    private DissectStatus Vxlan(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 8u) return Fail(DissectWeirds.TruncatedVxlan);
        uint vni = BinaryPrimitives.ReadUInt32BigEndian(s[4..]) >> 8;
        return Decapsulate(TunnelKind.Vxlan, vni, Layer.Ethernet, off + 8, end);
    }

    // RFC 8926: version and option length (4-byte words), flags, protocol type (an ethertype), VNI, options.
    private DissectStatus Geneve(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 8u) return Fail(DissectWeirds.TruncatedGeneve);
        int length = 8 + (s[0] & 0x3F) * 4;
        if ((uint)s.Length < (uint)length) return Fail(DissectWeirds.TruncatedGeneve);
        Layer layer = Dispatch.FromEtherType(BinaryPrimitives.ReadUInt16BigEndian(s[2..]));
        if (layer == Layer.None || layer == Layer.Llc) return DissectStatus.Ok;
        uint vni = BinaryPrimitives.ReadUInt32BigEndian(s[4..]) >> 8;
        return Decapsulate(TunnelKind.Geneve, vni, layer, off + length, end);
    }

    // 3GPP TS 29.281: only G-PDUs (type 255) of version 1 carry user packets; E/S/PN add 4 bytes, E chains extensions.
    private DissectStatus GtpU(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 8u) return Fail(DissectWeirds.TruncatedGtp);
        if (s[0] >> 5 != 1 || (s[0] & 0x10) == 0 || s[1] != 0xFF) return DissectStatus.Ok;
        uint teid = BinaryPrimitives.ReadUInt32BigEndian(s[4..]);
        int length = 8;
        if ((s[0] & 0x07) != 0)
        {
            if ((uint)s.Length < 12u) return Fail(DissectWeirds.TruncatedGtp);
            length = 12;
            byte nextExtension = (s[0] & 0x04) != 0 ? s[11] : (byte)0;
            for (int n = 0; nextExtension != 0; n++)
            {
                // Each extension is a length in 4-byte units (including itself) and ends with the next type.
                if ((uint)s.Length <= (uint)length || n >= MaxLayers) return Fail(DissectWeirds.TruncatedGtp);
                int extLength = s[length] * 4;
                if (extLength == 0 || (uint)s.Length < (uint)(length + extLength)) return Fail(DissectWeirds.TruncatedGtp);
                nextExtension = s[length + extLength - 1];
                length += extLength;
            }
        }
        ReadOnlySpan<byte> inner = s[length..];
        if (inner.IsEmpty || (inner[0] >> 4 != 4 && inner[0] >> 4 != 6)) return DissectStatus.Ok;
        return Decapsulate(TunnelKind.GtpU, teid, Layer.IpByVersion, off + length, end);
    }

    // RFC 4380: optional authentication and origin indications, then IPv6, accepted only if it looks like a real header.
    private DissectStatus Teredo(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        int pos = 0;
        if ((uint)s.Length >= 4u && s[0] == 0 && s[1] == 1)
            pos = 4 + s[2] + s[3] + 8 + 1;
        if ((uint)s.Length >= (uint)(pos + 2) && s[pos] == 0 && s[pos + 1] == 0)
            pos += 8;
        if ((uint)s.Length < (uint)(pos + 40)) return DissectStatus.Ok;
        ReadOnlySpan<byte> ip = s[pos..];
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        // Zeek's check: version 6 and a payload length that fits in the datagram.
        if (ip[0] >> 4 != 6 || 40 + payloadLength > end - off - pos) return DissectStatus.Ok;
        return Decapsulate(TunnelKind.Teredo, 0, Layer.Ipv6, off + pos, end);
    }

    // AYIYA: identity length (log2) and type, signature length (4-byte words) and hash, auth method and opcode,
    // next header, epoch, identity, signature; opcode 1 forwards the IP packet.
    private DissectStatus Ayiya(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 8u) return Fail(DissectWeirds.TruncatedAyiya);
        int length = 8 + (1 << (s[0] >> 4)) + (s[1] >> 4) * 4;
        if ((uint)s.Length < (uint)length) return Fail(DissectWeirds.TruncatedAyiya);
        if ((s[2] & 0x0F) != 1) return DissectStatus.Ok;
        Layer layer = s[3] switch { 4 => Layer.Ipv4, 41 => Layer.Ipv6, _ => Layer.None };
        return layer == Layer.None ? DissectStatus.Ok : Decapsulate(TunnelKind.Ayiya, 0, layer, off + length, end);
    }
}

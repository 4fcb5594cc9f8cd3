using System.Buffers.Binary;

namespace PcapLab.Dissect;

// GRE (RFC 2784/2890 version 0, PPTP's enhanced version 1) and the ERSPAN mirroring headers it carries.
internal ref partial struct FrameDissector
{
    private const ushort GreErspanII = 0x88BE;
    private const ushort GreErspanIII = 0x22EB;
    private const ushort GrePpp = 0x880B;

    private DissectStatus Gre(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 4u) return Fail(DissectWeirds.TruncatedGre);
        byte flags = s[0];
        int version = s[1] & 0x07;
        ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(s[2..]);
        bool checksum = (flags & 0x80) != 0, routing = (flags & 0x40) != 0, keyed = (flags & 0x20) != 0;
        bool sequenced = (flags & 0x10) != 0, acked = (s[1] & 0x80) != 0;
        if (version > 1) return Fail(DissectWeirds.UnknownGreVersion);

        int length = 4 + (checksum || routing ? 4 : 0);
        uint key = 0;
        if (keyed)
        {
            if ((uint)s.Length < (uint)(length + 4)) return Fail(DissectWeirds.TruncatedGre);
            key = BinaryPrimitives.ReadUInt32BigEndian(s[length..]);
            length += 4;
        }
        if (sequenced) length += 4;
        if (version == 1 && acked) length += 4;
        // Source routing entries (RFC 1701) end with a zero-length entry; they precede the payload.
        if (routing && version == 0)
        {
            while (true)
            {
                if ((uint)s.Length < (uint)(length + 4)) return Fail(DissectWeirds.TruncatedGre);
                int entry = s[length + 3];
                length += 4 + entry;
                if (entry == 0) break;
            }
        }
        if ((uint)s.Length < (uint)length) return Fail(DissectWeirds.TruncatedGre);
        int inner = off + length;

        if (version == 1)
            return protocol == GrePpp ? GrePppPayload(key, inner, end) : DissectStatus.Ok;
        return protocol switch
        {
            // ERSPAN type I has no sequence number and no ERSPAN header: the mirrored frame follows directly.
            GreErspanII when !sequenced => Decapsulate(TunnelKind.Erspan, 0, Layer.Ethernet, inner, end),
            GreErspanII => Erspan(inner, end, headerLength: 8),
            GreErspanIII => Erspan(inner, end, headerLength: 12),
            _ => Dispatch.FromEtherType(protocol) is var layer && layer != Layer.None && layer != Layer.Llc
                ? Decapsulate(TunnelKind.Gre, key, layer, inner, end)
                : DissectStatus.Ok,
        };
    }

    // PPTP carries PPP (possibly with address/control bytes and a compressed protocol); only its IP payload is a packet.
    private DissectStatus GrePppPayload(uint callId, int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length >= 2u && s[0] == 0xFF && s[1] == 0x03) { s = s[2..]; off += 2; }
        if (s.IsEmpty) return DissectStatus.Ok;
        ushort protocol;
        if ((s[0] & 1) != 0) { protocol = s[0]; off += 1; }
        else if ((uint)s.Length >= 2u) { protocol = BinaryPrimitives.ReadUInt16BigEndian(s); off += 2; }
        else return Fail(DissectWeirds.TruncatedGre);
        Layer layer = Dispatch.FromPppProtocol(protocol);
        return layer == Layer.None ? DissectStatus.Ok : Decapsulate(TunnelKind.Gre, callId, layer, off, end);
    }

    // ERSPAN II (8 bytes) and III (12 bytes, plus an 8-byte platform sub-header when its O bit is set); session id in both.
    private DissectStatus Erspan(int off, int end, int headerLength)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < (uint)headerLength) return Fail(DissectWeirds.TruncatedErspan);
        uint session = BinaryPrimitives.ReadUInt16BigEndian(s[2..]) & 0x03FFu;
        if (headerLength == 12 && (s[11] & 0x01) != 0) headerLength += 8;
        if ((uint)s.Length < (uint)headerLength) return Fail(DissectWeirds.TruncatedErspan);
        return Decapsulate(TunnelKind.Erspan, session, Layer.Ethernet, off + headerLength, end);
    }
}

using System.Buffers.Binary;

namespace PcapLab.Dissect;

// TCP (with the options flow analysis uses), UDP (and the tunnels registered on its ports), ICMP and ICMPv6.
internal ref partial struct FrameDissector
{
    private DissectStatus Tcp(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 20u) return Fail(DissectWeirds.TruncatedHeader);
        _info.L4Offset = off;
        _info.SrcPort = BinaryPrimitives.ReadUInt16BigEndian(s);
        _info.DstPort = BinaryPrimitives.ReadUInt16BigEndian(s[2..]);
        _info.TcpSeq = BinaryPrimitives.ReadUInt32BigEndian(s[4..]);
        _info.TcpAck = BinaryPrimitives.ReadUInt32BigEndian(s[8..]);
        _info.TcpFlags = (TcpFlags)s[13];
        _info.TcpWin = BinaryPrimitives.ReadUInt16BigEndian(s[14..]);
        int headerLength = (s[12] >> 4) * 4;
        if (headerLength < 20) return Fail(DissectWeirds.BadTcpHeaderLen);
        _info.PayloadOffset = off + headerLength;
        _info.PayloadLength = end - off - headerLength;
        if (_info.PayloadLength < 0) { _info.PayloadLength = 0; return Fail(DissectWeirds.BadTcpHeaderLen); }
        if ((uint)s.Length < (uint)headerLength) return Fail(DissectWeirds.TruncatedHeader);
        TcpOptions(s[20..headerLength]);
        return DissectStatus.Ok;
    }

    // Options are kind, length, value; a bad length ends the walk without failing the packet (Zeek only notes it).
    private readonly void TcpOptions(ReadOnlySpan<byte> o)
    {
        while (!o.IsEmpty)
        {
            byte kind = o[0];
            if (kind == 0) return;
            if (kind == 1) { o = o[1..]; continue; }
            if ((uint)o.Length < 2u) return;
            int length = o[1];
            if (length < 2 || (uint)length > (uint)o.Length) return;
            switch (kind)
            {
                case 2 when length == 4: _info.TcpMss = BinaryPrimitives.ReadUInt16BigEndian(o[2..]); break;
                case 3 when length == 3: _info.TcpWScale = (sbyte)(o[2] > 14 ? 14 : o[2]); break;
                case 4 when length == 2: _info.TcpSackOk = true; break;
                case 8 when length == 10:
                    _info.HasTcpTimestamps = true;
                    _info.TcpTsVal = BinaryPrimitives.ReadUInt32BigEndian(o[2..]);
                    _info.TcpTsEcr = BinaryPrimitives.ReadUInt32BigEndian(o[6..]);
                    break;
            }
            o = o[length..];
        }
    }

    private DissectStatus Udp(int off, int end, bool fragmented)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 8u) return Fail(DissectWeirds.TruncatedHeader);
        _info.L4Offset = off;
        ushort src = BinaryPrimitives.ReadUInt16BigEndian(s);
        ushort dst = BinaryPrimitives.ReadUInt16BigEndian(s[2..]);
        _info.SrcPort = src;
        _info.DstPort = dst;
        int length = BinaryPrimitives.ReadUInt16BigEndian(s[4..]);
        _info.PayloadOffset = off + 8;
        // A fragment's UDP length covers the whole datagram; otherwise trust the IP length, as Zeek does.
        _info.PayloadLength = fragmented ? length - 8 : end - off - 8;
        if (length < 8 && !(length == 0 && _info.IpVersion == 6)) Note(DissectWeirds.BadUdpLength);
        if (fragmented) return DissectStatus.Ok;
        int payloadEnd = length >= 8 ? Min(end, off + length) : end;

        UdpTunnel tunnel = Dispatch.FromUdpPort(dst);
        if (tunnel == UdpTunnel.None) tunnel = Dispatch.FromUdpPort(src);
        return tunnel == UdpTunnel.None ? DissectStatus.Ok : UdpTunnelPayload(tunnel, off + 8, payloadEnd);
    }

    private DissectStatus Icmp(int off, int end)
    {
        ReadOnlySpan<byte> s = Bytes(off, end);
        if ((uint)s.Length < 4u) return Fail(DissectWeirds.TruncatedHeader);
        _info.L4Offset = off;
        _info.IcmpType = s[0];
        _info.IcmpCode = s[1];
        _info.PayloadOffset = off + 4;
        _info.PayloadLength = end - off - 4;
        return DissectStatus.Ok;
    }
}

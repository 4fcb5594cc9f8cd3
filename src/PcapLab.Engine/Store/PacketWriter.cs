using PcapLab.Dissect;
using PcapLab.Store.DuckDb;

namespace PcapLab.Store;

/// <summary>Appends <see cref="PacketBatch"/>es to the <c>packets</c> table through one DuckDB appender.</summary>
internal sealed class PacketWriter : IDisposable
{
    // Column order of Schema.Packets.
    private const int CCaptureId = 0, CFrameNo = 1, CTs = 2, CCapLen = 3, CLen = 4, CInterface = 5, CLinkType = 6,
        CEthSrc = 7, CEthDst = 8, CVlan = 9, CIpVersion = 10, CSrcIp = 11, CDstIp = 12, CIpProto = 13, CTtl = 14, CIpId = 15,
        CFragOffset = 16, CMoreFrags = 17, CSrcPort = 18, CDstPort = 19, CTcpFlags = 20, CTcpSeq = 21, CTcpAck = 22,
        CTcpWin = 23, CPayloadLen = 24, CIcmpType = 25, CIcmpCode = 26, CTunnel = 27, COuterSrc = 28, COuterDst = 29,
        CFlowId = 30, CWeird = 31, CFileOffset = 32;

    private readonly DuckDbAppender _appender;
    // Committing every so many chunks lets DuckDB write row groups out and free them: memory then stays flat
    // however large the capture, instead of holding the whole file in one transaction.
    private const int ChunksPerCommit = 64;
    private int _chunks;

    public PacketWriter(DuckDbConnection connection)
    {
        _appender = connection.CreateAppender("packets");
        VectorSize = _appender.VectorSize;
    }

    /// <summary>Rows per DuckDB chunk; batches are sized to match so one batch is one append.</summary>
    public int VectorSize { get; }

    public void Write(PacketBatch b)
    {
        var a = _appender;
        int n = b.Count;
        a.Column<int>(CCaptureId)[..n].Fill(b.CaptureId);
        b.FrameNo.AsSpan(0, n).CopyTo(a.Column<long>(CFrameNo));
        b.TsNs.AsSpan(0, n).CopyTo(a.Column<long>(CTs));
        b.CapLen.AsSpan(0, n).CopyTo(a.Column<int>(CCapLen));
        b.Len.AsSpan(0, n).CopyTo(a.Column<int>(CLen));
        b.InterfaceId.AsSpan(0, n).CopyTo(a.Column<int>(CInterface));
        b.LinkType.AsSpan(0, n).CopyTo(a.Column<ushort>(CLinkType));
        b.FileOffset.AsSpan(0, n).CopyTo(a.Column<long>(CFileOffset));

        var vlan = a.Column<short>(CVlan); var ipv = a.Column<byte>(CIpVersion); var proto = a.Column<byte>(CIpProto);
        var ttl = a.Column<byte>(CTtl); var ipId = a.Column<uint>(CIpId); var fragOff = a.Column<ushort>(CFragOffset); var more = a.Column<byte>(CMoreFrags);
        var sport = a.Column<ushort>(CSrcPort); var dport = a.Column<ushort>(CDstPort); var flags = a.Column<byte>(CTcpFlags);
        var seq = a.Column<uint>(CTcpSeq); var ack = a.Column<uint>(CTcpAck); var win = a.Column<ushort>(CTcpWin);
        var payload = a.Column<int>(CPayloadLen); var itype = a.Column<byte>(CIcmpType); var icode = a.Column<byte>(CIcmpCode);
        var flow = a.Column<long>(CFlowId);
        Span<byte> text = stackalloc byte[64];

        for (int i = 0; i < n; i++)
        {
            if (b.HasEth[i])
            {
                a.SetString(CEthSrc, i, text[..FormatMac(b.EthSrc[i], text)]);
                a.SetString(CEthDst, i, text[..FormatMac(b.EthDst[i], text)]);
            }
            else { a.SetNull(CEthSrc, i); a.SetNull(CEthDst, i); }

            if (b.Vlan[i] >= 0) vlan[i] = b.Vlan[i]; else a.SetNull(CVlan, i);

            byte version = b.IpVersion[i];
            if (version != 0)
            {
                ipv[i] = version; proto[i] = b.IpProto[i]; ttl[i] = b.Ttl[i]; ipId[i] = b.IpId[i];
                a.SetString(CSrcIp, i, text[..b.SrcIp[i].FormatUtf8(text)]);
                a.SetString(CDstIp, i, text[..b.DstIp[i].FormatUtf8(text)]);
                payload[i] = b.PayloadLen[i];
            }
            else
            {
                a.SetNull(CIpVersion, i); a.SetNull(CIpProto, i); a.SetNull(CTtl, i); a.SetNull(CIpId, i);
                a.SetNull(CSrcIp, i); a.SetNull(CDstIp, i); a.SetNull(CPayloadLen, i);
            }

            var frag = (FragmentFlags)b.Frag[i];
            if ((frag & (FragmentFlags.MoreFragments | FragmentFlags.NonFirst)) != 0)
            {
                fragOff[i] = b.FragOffset[i]; more[i] = (frag & FragmentFlags.MoreFragments) != 0 ? (byte)1 : (byte)0;
            }
            else { a.SetNull(CFragOffset, i); a.SetNull(CMoreFrags, i); }

            byte p = b.IpProto[i];
            bool hasPorts = version != 0 && (p == 6 || p == 17 || p == 132) && (frag & FragmentFlags.NonFirst) == 0 && (b.SrcPort[i] | b.DstPort[i]) != 0;
            if (hasPorts) { sport[i] = b.SrcPort[i]; dport[i] = b.DstPort[i]; }
            else { a.SetNull(CSrcPort, i); a.SetNull(CDstPort, i); }

            if (hasPorts && p == 6)
            {
                flags[i] = b.TcpFlags[i]; seq[i] = b.TcpSeq[i]; ack[i] = b.TcpAck[i]; win[i] = b.TcpWin[i];
            }
            else { a.SetNull(CTcpFlags, i); a.SetNull(CTcpSeq, i); a.SetNull(CTcpAck, i); a.SetNull(CTcpWin, i); }

            if (b.IcmpType[i] >= 0) { itype[i] = (byte)b.IcmpType[i]; icode[i] = (byte)Math.Max((short)0, b.IcmpCode[i]); }
            else { a.SetNull(CIcmpType, i); a.SetNull(CIcmpCode, i); }

            if (b.Tunnel[i] != 0)
            {
                a.SetString(CTunnel, i, TunnelNames.Utf8((TunnelKind)b.Tunnel[i]));
                a.SetString(COuterSrc, i, text[..b.OuterSrcIp[i].FormatUtf8(text)]);
                a.SetString(COuterDst, i, text[..b.OuterDstIp[i].FormatUtf8(text)]);
            }
            else { a.SetNull(CTunnel, i); a.SetNull(COuterSrc, i); a.SetNull(COuterDst, i); }

            if (b.FlowId[i] != 0) flow[i] = b.FlowId[i]; else a.SetNull(CFlowId, i);
            if (b.Weird[i] is { } w) a.SetString(CWeird, i, w); else a.SetNull(CWeird, i);
        }
        a.AppendChunk(n);
        if (++_chunks % ChunksPerCommit == 0) a.Flush();
    }

    /// <summary>Formats a 48-bit MAC as lower-case colon-separated hex, as tshark prints eth.src.</summary>
    internal static int FormatMac(ulong mac, Span<byte> dest)
    {
        const string hex = "0123456789abcdef";
        for (int i = 0; i < 6; i++)
        {
            byte octet = (byte)(mac >> (40 - 8 * i));
            dest[i * 3] = (byte)hex[octet >> 4];
            dest[i * 3 + 1] = (byte)hex[octet & 0xF];
            if (i < 5) dest[i * 3 + 2] = (byte)':';
        }
        return 17;
    }

    public void Flush() => _appender.Flush();

    public void Dispose() => _appender.Dispose();
}

/// <summary>Tunnel names as stored in <c>packets.tunnel</c>, pre-encoded so the append path does not allocate.</summary>
internal static class TunnelNames
{
    private static readonly byte[][] Names = Enum.GetValues<TunnelKind>()
        .Select(k => System.Text.Encoding.ASCII.GetBytes(k switch
        {
            TunnelKind.IpInIp => "ip-in-ip", TunnelKind.GtpU => "gtp-u", _ => k.ToString().ToLowerInvariant(),
        })).ToArray();

    public static ReadOnlySpan<byte> Utf8(TunnelKind kind) => (uint)kind < (uint)Names.Length ? Names[(int)kind] : "unknown"u8;

}

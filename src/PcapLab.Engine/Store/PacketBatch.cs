using PcapLab.Dissect;

namespace PcapLab.Store;

/// <summary>
/// A column-wise batch of packet rows, filled by the dissecting thread and drained by the appending thread.
/// Batches are recycled, so the packet path allocates nothing once the pipeline has warmed up.
/// Addresses stay as values here; the appending thread formats them as text, which spreads the work over both cores.
/// </summary>
internal sealed class PacketBatch
{
    public readonly int Capacity;
    public int Count;
    public int CaptureId;
    public readonly long[] FrameNo, TsNs, FlowId, FileOffset;
    public readonly int[] CapLen, Len, InterfaceId, PayloadLen;
    public readonly ushort[] LinkType, SrcPort, DstPort, TcpWin, FragOffset;
    public readonly ulong[] EthSrc, EthDst;
    public readonly short[] Vlan, IcmpType, IcmpCode;
    public readonly byte[] IpVersion, IpProto, Ttl, TcpFlags, Frag, Tunnel, Status;
    public readonly uint[] TcpSeq, TcpAck;
    public readonly bool[] HasEth;
    public readonly IpAddr[] SrcIp, DstIp, OuterSrcIp, OuterDstIp;
    public readonly string?[] Weird;

    public PacketBatch(int capacity)
    {
        Capacity = capacity;
        FrameNo = new long[capacity]; TsNs = new long[capacity]; FlowId = new long[capacity]; FileOffset = new long[capacity];
        CapLen = new int[capacity]; Len = new int[capacity]; InterfaceId = new int[capacity]; PayloadLen = new int[capacity];
        LinkType = new ushort[capacity]; SrcPort = new ushort[capacity]; DstPort = new ushort[capacity];
        TcpWin = new ushort[capacity]; FragOffset = new ushort[capacity];
        EthSrc = new ulong[capacity]; EthDst = new ulong[capacity];
        Vlan = new short[capacity]; IcmpType = new short[capacity]; IcmpCode = new short[capacity];
        IpVersion = new byte[capacity]; IpProto = new byte[capacity]; Ttl = new byte[capacity]; TcpFlags = new byte[capacity];
        Frag = new byte[capacity]; Tunnel = new byte[capacity]; Status = new byte[capacity];
        TcpSeq = new uint[capacity]; TcpAck = new uint[capacity];
        HasEth = new bool[capacity];
        SrcIp = new IpAddr[capacity]; DstIp = new IpAddr[capacity]; OuterSrcIp = new IpAddr[capacity]; OuterDstIp = new IpAddr[capacity];
        Weird = new string?[capacity];
    }

    public bool IsFull => Count == Capacity;

    /// <summary>Copies one dissected packet into the next row.</summary>
    public void Add(long frameNo, long tsNs, int capLen, int len, int interfaceId, ushort linkType, long fileOffset, in PacketInfo p, long flowId)
    {
        int i = Count++;
        FileOffset[i] = fileOffset;
        FrameNo[i] = frameNo; TsNs[i] = tsNs; CapLen[i] = capLen; Len[i] = len; InterfaceId[i] = interfaceId; LinkType[i] = linkType;
        HasEth[i] = p.HasEth; EthSrc[i] = p.EthSrc; EthDst[i] = p.EthDst; Vlan[i] = p.Vlan;
        IpVersion[i] = p.IpVersion; SrcIp[i] = p.SrcIp; DstIp[i] = p.DstIp; IpProto[i] = p.IpProto; Ttl[i] = p.Ttl;
        Frag[i] = (byte)p.Frag; FragOffset[i] = p.FragOffset;
        SrcPort[i] = p.SrcPort; DstPort[i] = p.DstPort; TcpFlags[i] = (byte)p.TcpFlags;
        TcpSeq[i] = p.TcpSeq; TcpAck[i] = p.TcpAck; TcpWin[i] = p.TcpWin;
        PayloadLen[i] = p.PayloadLength; IcmpType[i] = p.IcmpType; IcmpCode[i] = p.IcmpCode;
        Tunnel[i] = (byte)p.Tunnel; OuterSrcIp[i] = p.OuterSrcIp; OuterDstIp[i] = p.OuterDstIp;
        Status[i] = (byte)p.Status; Weird[i] = p.Weird;
        FlowId[i] = flowId;
    }
}

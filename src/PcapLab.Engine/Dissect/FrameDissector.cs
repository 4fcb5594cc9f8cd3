using System.Runtime.CompilerServices;

namespace PcapLab.Dissect;

/// <summary>
/// One pass over one frame: each layer checks its length, fills <see cref="PacketInfo"/> and hands the rest of the frame
/// to the next decoder through <see cref="Next"/>. Offsets are frame-relative; <c>end</c> is where the enclosing header
/// says the layer stops (it may lie beyond the captured bytes, which are never read past).
/// </summary>
internal ref partial struct FrameDissector
{
    /// <summary>Layers followed in one frame before giving up (defeats tag and label loops).</summary>
    private const int MaxLayers = 32;
    /// <summary>Tunnels decapsulated in one frame before giving up.</summary>
    private const int MaxTunnels = 8;

    private readonly ReadOnlySpan<byte> _frame;
    private ref PacketInfo _info;
    private int _layers;
    private int _tunnels;

    public FrameDissector(ReadOnlySpan<byte> frame, ref PacketInfo info)
    {
        _frame = frame;
        _info = ref info;
    }

    /// <summary>Runs the decoder for <paramref name="layer"/> at <paramref name="off"/>.</summary>
    private DissectStatus Next(Layer layer, int off, int end)
    {
        if (++_layers > MaxLayers) return Fail(DissectWeirds.ExceededTunnelMaxDepth);
        return layer switch
        {
            Layer.Ethernet => Ethernet(off, end),
            Layer.Ipv4 => Ipv4(off, end),
            Layer.Ipv6 => Ipv6(off, end),
            Layer.IpByVersion => IpByVersion(off, end),
            Layer.Vlan => Vlan(off, end),
            Layer.Mpls => Mpls(off, end),
            Layer.PppoeSession => PppoeSession(off, end),
            Layer.Pbb => Pbb(off, end),
            Layer.VnTag => VnTag(off, end),
            Layer.Llc => Llc(off, end),
            _ => DissectStatus.Ok,
        };
    }

    /// <summary>The captured bytes of [off, end): never beyond the frame, empty when off is past it.</summary>
    private readonly ReadOnlySpan<byte> Bytes(int off, int end)
    {
        ReadOnlySpan<byte> f = _frame;
        int stop = (uint)end < (uint)f.Length ? end : f.Length;
        return (uint)off <= (uint)stop ? f[off..stop] : default;
    }

    /// <summary>Records the first problem of the frame and stops this branch of dissection.</summary>
    private readonly DissectStatus Fail(string weird)
    {
        _info.Weird ??= weird;
        return DissectStatus.Malformed;
    }

    /// <summary>Records an anomaly that dissection recovers from (the status stays as it is).</summary>
    private readonly void Note(string weird) => _info.Weird ??= weird;

    /// <summary>
    /// Decodes a tunnel's payload. When it holds an IP packet, the main fields describe it and the outer addresses move
    /// to the Outer* fields (the outermost tunnel wins, as it finishes last); otherwise the packet stays described by
    /// its outer connection, as tshark and Zeek see a tunnel carrying ARP or garbage.
    /// </summary>
    private DissectStatus Decapsulate(TunnelKind kind, uint tunnelId, Layer inner, int off, int end)
    {
        if (++_tunnels > MaxTunnels) return Fail(DissectWeirds.ExceededTunnelMaxDepth);
        PacketInfo outer = _info;
        ClearNetwork(ref _info);
        DissectStatus status = Next(inner, off, end);
        if (_info.IpVersion == 0)
        {
            string? weird = _info.Weird;
            _info = outer;
            _info.Weird ??= weird;
            return status;
        }
        _info.Tunnel = kind;
        _info.OuterSrcIp = outer.SrcIp;
        _info.OuterDstIp = outer.DstIp;
        _info.TunnelId = tunnelId;
        // The frame's own link layer stays the outer one; an inner Ethernet only fills what the outer lacked.
        if (outer.HasEth) { _info.HasEth = true; _info.EthSrc = outer.EthSrc; _info.EthDst = outer.EthDst; }
        if (outer.Vlan >= 0) { _info.Vlan = outer.Vlan; _info.InnerVlan = outer.InnerVlan; }
        if (outer.MplsLabels != 0) _info.MplsLabels = outer.MplsLabels;
        return status;
    }

    /// <summary>Clears the layer-3/4 fields before an inner packet is decoded over them.</summary>
    private static void ClearNetwork(ref PacketInfo i)
    {
        i.IpVersion = 0; i.SrcIp = default; i.DstIp = default; i.IpProto = 0; i.Ttl = 0; i.IpId = 0;
        i.Frag = FragmentFlags.None; i.FragOffset = 0; i.L3Offset = 0; i.IpTotalLength = 0;
        i.L4Offset = -1; i.SrcPort = 0; i.DstPort = 0; i.TcpFlags = TcpFlags.None; i.TcpSeq = 0; i.TcpAck = 0; i.TcpWin = 0;
        i.TcpMss = 0; i.TcpWScale = -1; i.TcpSackOk = false; i.HasTcpTimestamps = false; i.TcpTsVal = 0; i.TcpTsEcr = 0;
        i.IcmpType = -1; i.IcmpCode = -1; i.PayloadOffset = 0; i.PayloadLength = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Min(int a, int b) => a < b ? a : b;
}

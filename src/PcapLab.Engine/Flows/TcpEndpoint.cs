namespace PcapLab.Flows;

/// <summary>Zeek's TCP endpoint states (TCP_INACTIVE ... TCP_RESET), which conn_state is derived from.</summary>
public enum TcpEndpointState : byte
{
    /// <summary>Nothing seen from this endpoint.</summary>
    Inactive = 0,
    /// <summary>Sent a SYN.</summary>
    SynSent,
    /// <summary>Sent a SYN-ACK as the originator (unusual).</summary>
    SynAckSent,
    /// <summary>Seen mid-stream without a SYN.</summary>
    Partial,
    /// <summary>Handshake completed.</summary>
    Established,
    /// <summary>Sent a FIN.</summary>
    Closed,
    /// <summary>Sent a RST.</summary>
    Reset,
}

/// <summary>
/// One side of a TCP connection as Zeek's TCP_Endpoint tracks it: state, sequence space (with 32-bit wraps) and the
/// counters behind the logarithmic history letters. Plain data, stored inline in the flow slot.
/// </summary>
internal struct TcpEndpoint
{
    public TcpEndpointState State, PrevState;
    public bool DidClose;
    public uint StartSeq, LastSeq, AckSeq, SeqWraps, AckWraps;
    public ulong HistLastSyn, HistLastFin, HistLastRst;
    public int FinCount;
    public uint RxmtCount, RxmtThresh, Win0Count, Win0Thresh, GapCount, GapThresh;

    public void Init()
    {
        this = default;
        RxmtThresh = Win0Thresh = GapThresh = 1;
    }

    public void SetState(TcpEndpointState s)
    {
        if (s == State) return;
        PrevState = State;
        State = s;
    }

    public readonly bool IsActive => State != TcpEndpointState.Inactive && !DidClose;

    public void InitSeq(uint start, uint ack, uint last) { StartSeq = start; AckSeq = ack; LastSeq = last; }

    public void UpdateLastSeq(uint seq) { if (seq < LastSeq) SeqWraps++; LastSeq = seq; }
    public void UpdateAckSeq(uint seq) { if (seq < AckSeq) AckWraps++; AckSeq = seq; }

    public static ulong Full(uint seq, uint wraps) => ((ulong)wraps << 32) | seq;

    public readonly ulong ToRelative(uint seq, uint wraps) => Full(seq, wraps) - StartSeq;

    private readonly bool NoDataAcked
    {
        get { ulong ack = Full(AckSeq, AckWraps); return ack == StartSeq || ack == (ulong)StartSeq + 1; }
    }

    /// <summary>
    /// Payload bytes from sequence numbers, as Zeek's TCP_Endpoint::Size: the span from the initial sequence number to
    /// the highest of last-sent and acknowledged, minus the SYN and FIN octets.
    /// </summary>
    public readonly ulong Size(in TcpEndpoint peer)
    {
        // A SYN answered by a RST with nothing acked: the sequence numbers say nothing about data.
        if (PrevState == TcpEndpointState.SynSent && State == TcpEndpointState.Reset &&
            peer.State == TcpEndpointState.Inactive && !NoDataAcked)
            return 0;
        ulong last = Full(LastSeq, SeqWraps), ack = Full(AckSeq, AckWraps);
        ulong top = Math.Max(last, ack);
        if (top < StartSeq) return 0;
        ulong size = top - StartSeq;
        if (size != 0) size--;
        if (FinCount > 0 && size != 0) size--;
        return size;
    }

    /// <summary>Signed distance between two 32-bit sequence numbers.</summary>
    public static int SeqDelta(uint a, uint b) => (int)(a - b);
}

using PcapLab.Dissect;

namespace PcapLab.Flows;

/// <summary>
/// One finished flow: Zeek conn.log columns (names and semantics of base/protocols/conn/main.zeek) plus Community ID
/// and CICFlowMeter-style statistics ("fwd" = from the originator, "bwd" = from the responder).
/// Times are Unix nanoseconds; durations, inter-arrival times and active/idle periods are seconds.
/// </summary>
public readonly record struct FlowRecord
{
    /// <summary>flow_id: the id <see cref="FlowTable.Observe(in PacketInfo, long, int)"/> returned for this flow's packets.</summary>
    public long FlowId { get; init; }
    /// <summary>ts: time of the first packet (Unix ns).</summary>
    public long Ts { get; init; }
    /// <summary>last_ts: Zeek's last time (Unix ns); for TCP it excludes trailing packets after both sides closed.</summary>
    public long LastTs { get; init; }
    /// <summary>duration in seconds; null when zero, as in conn.log.</summary>
    public double? Duration { get; init; }
    /// <summary>proto: "tcp", "udp", "icmp" (also ICMPv6) or "unknown_transport".</summary>
    public string Proto { get; init; }
    /// <summary>ip_proto: the IP protocol number.</summary>
    public byte IpProto { get; init; }
    /// <summary>service: comma-separated protocols confirmed from payload (set by the application layer), or null.</summary>
    public string? Service { get; init; }
    /// <summary>orig_h: originator address.</summary>
    public IpAddr OrigH { get; init; }
    /// <summary>orig_p: originator port (ICMP: the type it sent).</summary>
    public ushort OrigP { get; init; }
    /// <summary>resp_h: responder address.</summary>
    public IpAddr RespH { get; init; }
    /// <summary>resp_p: responder port (ICMP: counterpart type for request/reply messages, else the code).</summary>
    public ushort RespP { get; init; }
    /// <summary>orig_bytes: originator payload bytes (TCP: from sequence numbers); null when the duration is zero, as in conn.log.</summary>
    public long? OrigBytes { get; init; }
    /// <summary>resp_bytes: responder payload bytes; see <see cref="OrigBytes"/>.</summary>
    public long? RespBytes { get; init; }
    /// <summary>conn_state: S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH.</summary>
    public string ConnState { get; init; }
    /// <summary>missed_bytes: bytes in content gaps reported by reassembly.</summary>
    public long MissedBytes { get; init; }
    /// <summary>history: Zeek's state history letters, or null when empty.</summary>
    public string? History { get; init; }
    /// <summary>orig_pkts: packets sent by the originator.</summary>
    public long OrigPkts { get; init; }
    /// <summary>orig_ip_bytes: IP-level bytes (IP total length) sent by the originator.</summary>
    public long OrigIpBytes { get; init; }
    /// <summary>resp_pkts: packets sent by the responder.</summary>
    public long RespPkts { get; init; }
    /// <summary>resp_ip_bytes: IP-level bytes sent by the responder.</summary>
    public long RespIpBytes { get; init; }
    /// <summary>vlan: outer 802.1Q id, or null.</summary>
    public short? Vlan { get; init; }
    /// <summary>inner_vlan: inner 802.1Q id (Q-in-Q), or null.</summary>
    public short? InnerVlan { get; init; }
    /// <summary>tunnel: the kind of tunnel the flow was carried in (None when not tunnelled).</summary>
    public TunnelKind Tunnel { get; init; }
    /// <summary>tunnel_id: VNI/TEID/GRE key of the tunnel, or 0.</summary>
    public uint TunnelId { get; init; }
    /// <summary>community_id: Community ID v1 of the flow.</summary>
    public string CommunityId { get; init; }

    /// <summary>fwd_pkt_len_min: smallest layer-4 payload sent by the originator (bytes).</summary>
    public double FwdPktLenMin { get; init; }
    /// <summary>fwd_pkt_len_max.</summary>
    public double FwdPktLenMax { get; init; }
    /// <summary>fwd_pkt_len_mean.</summary>
    public double FwdPktLenMean { get; init; }
    /// <summary>fwd_pkt_len_std: sample standard deviation.</summary>
    public double FwdPktLenStd { get; init; }
    /// <summary>bwd_pkt_len_min: smallest layer-4 payload sent by the responder.</summary>
    public double BwdPktLenMin { get; init; }
    /// <summary>bwd_pkt_len_max.</summary>
    public double BwdPktLenMax { get; init; }
    /// <summary>bwd_pkt_len_mean.</summary>
    public double BwdPktLenMean { get; init; }
    /// <summary>bwd_pkt_len_std.</summary>
    public double BwdPktLenStd { get; init; }
    /// <summary>flow_iat_min: smallest gap between consecutive packets of the flow (s).</summary>
    public double FlowIatMin { get; init; }
    /// <summary>flow_iat_max.</summary>
    public double FlowIatMax { get; init; }
    /// <summary>flow_iat_mean.</summary>
    public double FlowIatMean { get; init; }
    /// <summary>flow_iat_std.</summary>
    public double FlowIatStd { get; init; }
    /// <summary>fwd_iat_min: smallest gap between consecutive originator packets (s).</summary>
    public double FwdIatMin { get; init; }
    /// <summary>fwd_iat_max.</summary>
    public double FwdIatMax { get; init; }
    /// <summary>fwd_iat_mean.</summary>
    public double FwdIatMean { get; init; }
    /// <summary>fwd_iat_std.</summary>
    public double FwdIatStd { get; init; }
    /// <summary>bwd_iat_min: smallest gap between consecutive responder packets (s).</summary>
    public double BwdIatMin { get; init; }
    /// <summary>bwd_iat_max.</summary>
    public double BwdIatMax { get; init; }
    /// <summary>bwd_iat_mean.</summary>
    public double BwdIatMean { get; init; }
    /// <summary>bwd_iat_std.</summary>
    public double BwdIatStd { get; init; }
    /// <summary>fin_flag_cnt: TCP packets with FIN, both directions.</summary>
    public int FinFlagCnt { get; init; }
    /// <summary>syn_flag_cnt.</summary>
    public int SynFlagCnt { get; init; }
    /// <summary>rst_flag_cnt.</summary>
    public int RstFlagCnt { get; init; }
    /// <summary>psh_flag_cnt.</summary>
    public int PshFlagCnt { get; init; }
    /// <summary>ack_flag_cnt.</summary>
    public int AckFlagCnt { get; init; }
    /// <summary>urg_flag_cnt.</summary>
    public int UrgFlagCnt { get; init; }
    /// <summary>ece_flag_cnt.</summary>
    public int EceFlagCnt { get; init; }
    /// <summary>cwr_flag_cnt.</summary>
    public int CwrFlagCnt { get; init; }
    /// <summary>init_fwd_win_bytes: TCP window of the originator's first packet (unscaled), or -1.</summary>
    public int InitFwdWinBytes { get; init; }
    /// <summary>init_bwd_win_bytes: TCP window of the responder's first packet, or -1.</summary>
    public int InitBwdWinBytes { get; init; }
    /// <summary>active_min: shortest active period (s); periods are separated by gaps above the activity threshold.</summary>
    public double ActiveMin { get; init; }
    /// <summary>active_max.</summary>
    public double ActiveMax { get; init; }
    /// <summary>active_mean.</summary>
    public double ActiveMean { get; init; }
    /// <summary>active_std.</summary>
    public double ActiveStd { get; init; }
    /// <summary>idle_min: shortest gap above the activity threshold (s).</summary>
    public double IdleMin { get; init; }
    /// <summary>idle_max.</summary>
    public double IdleMax { get; init; }
    /// <summary>idle_mean.</summary>
    public double IdleMean { get; init; }
    /// <summary>idle_std.</summary>
    public double IdleStd { get; init; }
    /// <summary>flow_bytes_per_s: layer-4 payload bytes (both directions) per second of the first-to-last-packet span; 0 when that span is 0.</summary>
    public double FlowBytesPerS { get; init; }
    /// <summary>flow_pkts_per_s: packets per second over the same span.</summary>
    public double FlowPktsPerS { get; init; }
    /// <summary>down_up_ratio: responder packets / originator packets (0 when the originator sent none).</summary>
    public double DownUpRatio { get; init; }
    /// <summary>splt_len: layer-4 payload length of the first packets, positive from the originator, negative from the responder.</summary>
    public int[] SpltLen { get; init; }
    /// <summary>splt_iat_ms: milliseconds since the previous packet of the flow for the same first packets (0 for the first).</summary>
    public float[] SpltIatMs { get; init; }
}

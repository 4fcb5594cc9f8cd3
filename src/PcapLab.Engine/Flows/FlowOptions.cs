namespace PcapLab.Flows;

/// <summary>
/// Flow table settings. Defaults are Zeek's (base/init-bare.zeek): tcp_inactivity_timeout 5 min,
/// udp_inactivity_timeout 1 min, icmp_inactivity_timeout 1 min, tcp_attempt_delay 5 s, tcp_close_delay 5 s.
/// </summary>
public sealed record FlowOptions
{
    /// <summary>Idle time after which an open TCP flow ends (Zeek's tcp_inactivity_timeout).</summary>
    public TimeSpan TcpInactivity { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Idle time after which a UDP flow ends (Zeek's udp_inactivity_timeout).</summary>
    public TimeSpan UdpInactivity { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>Idle time after which an ICMP flow ends (Zeek's icmp_inactivity_timeout).</summary>
    public TimeSpan IcmpInactivity { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>Idle time after which a flow of another IP protocol ends.</summary>
    public TimeSpan OtherInactivity { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>How long an unanswered SYN keeps its flow open (Zeek's tcp_attempt_delay): a SYN retransmitted later starts a new S0 flow.</summary>
    public TimeSpan TcpAttemptDelay { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How long a TCP flow lingers after its close completed (FIN both ways, or RST; Zeek's tcp_close_delay / tcp_reset_delay).</summary>
    public TimeSpan TcpCloseDelay { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>When set, a flow older than this is ended and continued as a new flow on its next packet (NetFlow-style active timeout).</summary>
    public TimeSpan? ActiveTimeout { get; init; }
    /// <summary>How many first packets' sizes and inter-arrival times are kept (SPLT); at most <see cref="FlowTable.MaxSplt"/>.</summary>
    public int FirstPacketsToKeep { get; init; } = 20;
    /// <summary>Community ID seed (0 in the spec's defaults).</summary>
    public ushort CommunityIdSeed { get; init; }
    /// <summary>A gap longer than this between two packets of a flow ends an "active" period and counts as "idle" (CICFlowMeter's activity timeout, 5 s).</summary>
    public TimeSpan ActivityThreshold { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Receives every flow when it ends: expired, split by the active timeout, replaced by connection reuse, or flushed.</summary>
public interface IFlowSink
{
    /// <summary>Called once per flow, in the order flows end.</summary>
    void OnFlowEnded(in FlowRecord flow);
}

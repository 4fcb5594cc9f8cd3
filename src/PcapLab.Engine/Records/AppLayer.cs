using PcapLab.Dissect;
using PcapLab.Records.Dns;
using PcapLab.Records.Http;
using PcapLab.Records.Quic;
using PcapLab.Records.Ssh;
using PcapLab.Records.Tls;

namespace PcapLab.Records;

/// <summary>
/// The application layer of one ingest: detects each flow's service from its payload, reassembles TCP, and runs the
/// DNS, HTTP, TLS (over TCP, QUIC and DTLS) and SSH analyzers, handing finished rows to an <see cref="IRecordSink"/>. Per-flow state is keyed
/// by flow id and bounded (<see cref="AppLayerOptions"/>); malformed input becomes weirds, never exceptions.
/// </summary>
public sealed class AppLayer
{
    private const int DetectionAttempts = 4;
    private const int LateDtlsAttempts = 64;

    private sealed class FlowState
    {
        public string? Service;
        public int Attempts; // UDP detection attempts
        public TcpStream? Orig, Resp;
        public StreamAnalyzer? Analyzer;
        public DnsTransactions? Dns;
        public QuicHandshake? Quic;
        public DtlsHandshake? Dtls;
    }

    private readonly AppLayerOptions _opt;
    private readonly IRecordSink _sink;
    private readonly IWeirdSink _weirds;
    private readonly Dictionary<long, FlowState> _flows = [];

    /// <summary>Creates the application layer for one ingest.</summary>
    public AppLayer(AppLayerOptions options, IRecordSink sink, IWeirdSink weirds)
    {
        _opt = options; _sink = sink; _weirds = weirds;
    }

    /// <summary>Flows that currently hold application state.</summary>
    public int ActiveFlows => _flows.Count;

    /// <summary>
    /// Called for every packet that has a flow. <paramref name="fromOrig"/>: direction relative to the flow's originator.
    /// <paramref name="payload"/>: the layer-4 payload bytes actually captured.
    /// Returns a service name when it was just identified ("dns", "http", "ssl", "ssh", "smtp", "ftp", "quic", "dtls", "dhcp", "ntp"), else null.
    /// </summary>
    public string? OnPacket(long flowId, bool fromOrig, in PacketInfo p, ReadOnlySpan<byte> payload, long tsNs, long frameNo)
    {
        if (p.IpProto == 6) return OnTcp(flowId, fromOrig, in p, payload, tsNs, frameNo);
        if (p.IpProto == 17 && !payload.IsEmpty) return OnUdp(flowId, fromOrig, in p, payload, tsNs, frameNo);
        return null;
    }

    private FlowState? GetState(long flowId)
    {
        if (_flows.TryGetValue(flowId, out var st)) return st;
        if (_flows.Count >= _opt.MaxFlows) { _weirds.Report("app_layer_flow_limit", flowId); return null; }
        st = new FlowState();
        _flows[flowId] = st;
        return st;
    }

    private string? OnTcp(long flowId, bool fromOrig, in PacketInfo p, ReadOnlySpan<byte> payload, long tsNs, long frameNo)
    {
        bool syn = (p.TcpFlags & TcpFlags.Syn) != 0;
        if (payload.IsEmpty && !syn && !_flows.ContainsKey(flowId)) return null;
        var st = GetState(flowId);
        if (st == null) return null;
        st.Orig ??= new TcpStream(_opt);
        st.Resp ??= new TcpStream(_opt);
        st.Analyzer ??= new ServiceProbe(this, flowId);
        var stream = fromOrig ? st.Orig : st.Resp;
        if ((p.TcpFlags & TcpFlags.Ack) != 0)
            (fromOrig ? st.Resp : st.Orig).OnPeerAck(p.TcpAck, st.Analyzer, !fromOrig, tsNs, frameNo, _weirds, flowId);
        stream.Add(p.TcpSeq, p.TcpFlags, payload, st.Analyzer, fromOrig, tsNs, frameNo, _weirds, flowId);
        if (payload.Length < p.PayloadLength)
        {
            uint start = p.TcpSeq + (syn ? 1u : 0u);
            stream.MarkLost(start + (uint)p.PayloadLength, st.Analyzer, fromOrig, tsNs, frameNo, _weirds, flowId);
        }
        var probe = (ServiceProbe)st.Analyzer;
        if (probe.Identified == null || st.Service != null) return null;
        st.Service = probe.Identified;
        return st.Service;
    }

    /// <summary>
    /// Sits on a TCP connection until the reassembled first bytes of either side name the service (so segments that
    /// arrive out of order are detected in order), then hands the stream to that service's analyzer.
    /// </summary>
    private sealed class ServiceProbe(AppLayer owner, long flowId) : StreamAnalyzer
    {
        private const int MinProbeBytes = 8;
        private StreamAnalyzer? _inner;
        private int _attempts;

        public string? Identified { get; private set; }

        public override int Consume(bool fromOrig, ReadOnlySpan<byte> data, long tsNs, long frameNo)
        {
            if (_inner == null)
            {
                if (data.Length < MinProbeBytes && _attempts == 0) return 0; // wait for a few bytes to decide on
                _attempts++;
                Identified = ServiceDetector.DetectTcp(data);
                if (Identified == null)
                {
                    if (_attempts >= DetectionAttempts) Done = true;
                    return data.Length;
                }
                _inner = owner.CreateTcpAnalyzer(Identified, flowId);
                if (_inner == null) { Done = true; return data.Length; } // named, but nothing to parse (smtp, ftp)
            }
            int used = _inner.Consume(fromOrig, data, tsNs, frameNo);
            Done = _inner.Done;
            return used;
        }

        public override void OnGap(bool fromOrig, long lostBytes)
        {
            if (_inner == null) return; // keep probing what follows the hole (bounded by the attempt count)
            _inner.OnGap(fromOrig, lostBytes);
            Done = _inner.Done;
        }

        public override void OnEnd() => _inner?.OnEnd();
    }

    private StreamAnalyzer? CreateTcpAnalyzer(string service, long flowId) => service switch
    {
        "http" => new HttpAnalyzer(_opt, _sink, _weirds, flowId),
        "ssl" => new TlsAnalyzer(_sink, _weirds, flowId),
        "ssh" => new SshAnalyzer(_sink, _weirds, flowId),
        "dns" => new DnsTcpAnalyzer(new DnsTransactions(_opt, _sink, _weirds, flowId, "tcp")),
        _ => null,
    };

    private string? OnUdp(long flowId, bool fromOrig, in PacketInfo p, ReadOnlySpan<byte> payload, long tsNs, long frameNo)
    {
        _flows.TryGetValue(flowId, out var st);
        string? identified = null;
        // WebRTC and games put DTLS behind STUN or their own packets, so a late DTLS hello is still looked for (one byte first).
        bool lateDtls = st != null && st.Service == null && st.Attempts < LateDtlsAttempts && payload[0] == 22;
        if (st == null || (st.Service == null && st.Attempts < DetectionAttempts) || lateDtls)
        {
            st ??= GetState(flowId);
            if (st == null) return null;
            st.Attempts++;
            identified = lateDtls && st.Attempts > DetectionAttempts
                ? (ServiceDetector.IsDtlsHandshake(payload) ? "dtls" : null)
                : ServiceDetector.DetectUdp(payload, p.SrcPort, p.DstPort);
            if (identified != null)
            {
                st.Service = identified;
                if (identified == "dns") st.Dns = new DnsTransactions(_opt, _sink, _weirds, flowId, "udp");
                else if (identified == "quic") st.Quic = new QuicHandshake(_sink, _weirds, flowId);
                else if (identified == "dtls") st.Dtls = new DtlsHandshake(_sink, _weirds, flowId);
            }
        }
        st.Dns?.OnMessage(payload, tsNs, frameNo);
        st.Quic?.OnDatagram(fromOrig, payload, tsNs, frameNo);
        st.Dtls?.OnDatagram(fromOrig, payload, tsNs, frameNo);
        return identified;
    }

    /// <summary>The flow ended (timeout, teardown or end of input): emit what is pending and free its state.</summary>
    public void OnFlowEnded(long flowId)
    {
        if (!_flows.Remove(flowId, out var st)) return;
        st.Analyzer?.OnEnd();
        st.Dns?.Flush();
        st.Quic?.OnEnd();
        st.Dtls?.OnEnd();
        st.Orig?.Release();
        st.Resp?.Release();
    }

    /// <summary>Ends every flow still open (end of input), in flow-id order.</summary>
    public void EndAll()
    {
        foreach (var id in _flows.Keys.Order().ToList()) OnFlowEnded(id);
    }
}

using PcapLab.Dissect;
using PcapLab.Dissect.Fragments;
using PcapLab.Flows;
using PcapLab.Read;
using PcapLab.Records;

namespace PcapLab.Engine.Tests.Records;

/// <summary>One captured frame.</summary>
public sealed record TestFrame(long FrameNo, long TsNs, int LinkType, byte[] Data, int OrigLen);

/// <summary>Frames of a capture read with the Read stage, and the Dissect stage, for analyzer tests that work frame by frame.</summary>
public static class TestPackets
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<TestFrame>> Cache = new();

    /// <summary>Every frame of a capture; cached, as several tests walk the corpus.</summary>
    public static List<TestFrame> Read(string path) => Cache.GetOrAdd(Path.GetFullPath(path), p =>
    {
        var frames = new List<TestFrame>();
        using var reader = CaptureReader.Open(p);
        while (reader.TryRead(out var r))
            frames.Add(new TestFrame(frames.Count + 1, r.TimestampNs, (int)r.LinkType, r.Data.ToArray(), r.OriginalLength));
        return frames;
    });

    /// <summary>Dissects a frame; true when it has an IP layer to analyze.</summary>
    public static bool Dissect(int linkType, ReadOnlySpan<byte> f, ref PacketInfo p, int wireLength = -1)
    {
        PacketDissector.Dissect((LinkType)linkType, f, wireLength < 0 ? f.Length : wireLength, ref p);
        return p.IpVersion != 0;
    }
}

/// <summary>Collects records, weirds and detected services from a run.</summary>
public sealed class Collected : IRecordSink, IWeirdSink
{
    public List<DnsRecord> Dns { get; } = [];
    public List<HttpRecord> Http { get; } = [];
    public List<TlsRecord> Tls { get; } = [];
    public List<SshRecord> Ssh { get; } = [];
    public List<string> Weirds { get; } = [];
    public Dictionary<long, string> Services { get; } = [];
    /// <summary>Flow id → (originator endpoint, responder endpoint) as "ip:port".</summary>
    public Dictionary<long, (string Orig, string Resp, byte Proto)> Flows { get; } = [];
    public void OnDns(DnsRecord r) => Dns.Add(r);
    public void OnHttp(HttpRecord r) => Http.Add(r);
    public void OnTls(TlsRecord r) => Tls.Add(r);
    public void OnSsh(SshRecord r) => Ssh.Add(r);
    public void Report(string name, long flowId, string? detail = null) => Weirds.Add(name);
}

/// <summary>Runs frames as ingest does: fragment reassembly, the real flow table (Zeek's originator rules) and the application layer.</summary>
public static class TestPipeline
{
    public static Collected Run(string path, AppLayerOptions? options = null) => Run(TestPackets.Read(path), options);

    public static Collected Run(IEnumerable<TestFrame> frames, AppLayerOptions? options = null)
    {
        var c = new Collected();
        var app = new AppLayer(options ?? AppLayerOptions.Default, c, c);
        var defrag = new IpDefragmenter(DefragOptions.Default, c);
        var flows = new FlowTable(new FlowOptions(), new FlowEnds(c, app));
        var p = new PacketInfo();
        foreach (var fr in frames)
        {
            ReadOnlySpan<byte> data = fr.Data;
            if (!TestPackets.Dissect(fr.LinkType, data, ref p, fr.OrigLen)) continue;
            if ((p.Frag & (FragmentFlags.MoreFragments | FragmentFlags.NonFirst)) != 0)
            {
                if (!defrag.TryAdd(in p, data, fr.TsNs, out var whole)) continue;
                data = whole.ToArray();
                if (!TestPackets.Dissect((int)LinkType.Raw, data, ref p)) continue;
            }
            long id = flows.Observe(in p, fr.TsNs, fr.OrigLen, out bool fromOrig);
            if (id == 0 || p.IpProto is not (6 or 17)) continue;
            int avail = Math.Clamp(data.Length - p.PayloadOffset, 0, p.PayloadLength);
            var payload = p.PayloadOffset <= data.Length ? data.Slice(p.PayloadOffset, avail) : default;
            var svc = app.OnPacket(id, fromOrig, in p, payload, fr.TsNs, fr.FrameNo);
            if (svc != null) { c.Services[id] = svc; flows.SetService(id, svc); }
        }
        flows.Flush();
        app.EndAll();
        return c;
    }

    private sealed class FlowEnds(Collected c, AppLayer app) : IFlowSink
    {
        public void OnFlowEnded(in FlowRecord f)
        {
            c.Flows[f.FlowId] = ($"{f.OrigH}:{f.OrigP}", $"{f.RespH}:{f.RespP}", f.IpProto);
            app.OnFlowEnded(f.FlowId);
        }
    }
}

/// <summary>tshark as the oracle for analyzers: only frames matching a display filter, with reassembly (-2).</summary>
public static class Tshark
{
    public static List<string[]> Fields(string path, string filter, params string[] fields) =>
        // 5354 is not a registered DNS port: tell tshark, as our analyzer finds DNS from the payload.
        PcapLab.Testing.Tshark.Fields(path, ["-2", "-Y", filter, "-d", "udp.port==5354,dns", "-d", "tcp.port==5354,dns", "-d", "tcp.port==12222,ssh"], fields);
}

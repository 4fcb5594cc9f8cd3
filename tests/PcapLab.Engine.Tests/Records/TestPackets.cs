using System.Buffers.Binary;
using System.Diagnostics;
using PcapLab.Dissect;
using PcapLab.Dissect.Fragments;
using PcapLab.Records;

namespace PcapLab.Engine.Tests.Records;

/// <summary>One captured frame of a classic pcap file.</summary>
public sealed record TestFrame(long FrameNo, long TsNs, int LinkType, byte[] Data, int OrigLen);

/// <summary>
/// Test-only packet source until the real reader and ingest pipeline are merged: converts a capture to classic pcap
/// with editcap when needed, walks its records, and decodes just enough Ethernet/SLL/IPv4/IPv6/TCP/UDP to feed the
/// application layer. The lead replaces this with the real pipeline at merge.
/// </summary>
public static class TestPackets
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<TestFrame>> Cache = new();

    /// <summary>Reads every frame of a pcap or (via <c>editcap -F pcap</c>) pcapng file; cached, as several tests walk the corpus.</summary>
    public static List<TestFrame> Read(string path) => Cache.GetOrAdd(Path.GetFullPath(path), ReadUncached);

    private static List<TestFrame> ReadUncached(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 4 && !IsClassic(bytes)) bytes = ConvertToClassic(path);
        var frames = new List<TestFrame>();
        if (bytes.Length < 24) return frames;
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        bool le = magic is 0xa1b2c3d4 or 0xa1b23c4d;
        bool nano = magic is 0xa1b23c4d or 0x4d3cb2a1;
        uint U32(int o) => le ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(o)) : BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(o));
        int link = (int)(U32(20) & 0xFFFF);
        int pos = 24; long no = 0;
        while (pos + 16 <= bytes.Length)
        {
            long sec = U32(pos), frac = U32(pos + 4);
            int incl = (int)U32(pos + 8), orig = (int)U32(pos + 12);
            if (incl < 0 || pos + 16 + incl > bytes.Length) break;
            frames.Add(new TestFrame(++no, sec * 1_000_000_000 + (nano ? frac : frac * 1000), link, bytes.AsSpan(pos + 16, incl).ToArray(), orig));
            pos += 16 + incl;
        }
        return frames;
    }

    private static bool IsClassic(byte[] b)
    {
        uint m = BinaryPrimitives.ReadUInt32LittleEndian(b);
        return m is 0xa1b2c3d4 or 0xd4c3b2a1 or 0xa1b23c4d or 0x4d3cb2a1;
    }

    private static byte[] ConvertToClassic(string path)
    {
        var tmp = Path.Combine(Path.GetTempPath(), "pcaplab-rec-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            var psi = new ProcessStartInfo("editcap", ["-F", "pcap", path, tmp]) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var proc = Process.Start(psi)!;
            proc.StandardError.ReadToEnd();
            proc.WaitForExit(60_000);
            return File.Exists(tmp) ? File.ReadAllBytes(tmp) : [];
        }
        finally { if (File.Exists(tmp)) File.Delete(tmp); }
    }

    /// <summary>Minimal decode of one frame into <paramref name="p"/>; false when there is no IP layer.</summary>
    public static bool Dissect(int linkType, ReadOnlySpan<byte> f, ref PacketInfo p)
    {
        p.Reset();
        int pos; ushort type;
        switch (linkType)
        {
            case 1:
                if (f.Length < 14) return false;
                type = BinaryPrimitives.ReadUInt16BigEndian(f[12..]); pos = 14;
                while ((type == 0x8100 || type == 0x88a8) && f.Length >= pos + 4) { type = BinaryPrimitives.ReadUInt16BigEndian(f[(pos + 2)..]); pos += 4; }
                if (type == 0x8864 && f.Length >= pos + 8) // PPPoE session: 6-byte header, then the PPP protocol
                {
                    ushort ppp = BinaryPrimitives.ReadUInt16BigEndian(f[(pos + 6)..]);
                    type = ppp == 0x0021 ? (ushort)0x0800 : ppp == 0x0057 ? (ushort)0x86dd : (ushort)0;
                    pos += 8;
                }
                break;
            case 113:
                if (f.Length < 16) return false;
                type = BinaryPrimitives.ReadUInt16BigEndian(f[14..]); pos = 16; break;
            case 0: case 108:
                if (f.Length < 5) return false;
                pos = 4; type = (f[4] >> 4) == 6 ? (ushort)0x86dd : (ushort)0x0800; break;
            case 101: case 228: case 229: case 12: case 14:
                if (f.Length < 1) return false;
                pos = 0; type = (f[0] >> 4) == 6 ? (ushort)0x86dd : (ushort)0x0800; break;
            default: return false;
        }
        if (type == 0x0800) return Ipv4(f, pos, ref p);
        if (type == 0x86dd) return Ipv6(f, pos, ref p);
        return false;
    }

    private static bool Ipv4(ReadOnlySpan<byte> f, int pos, ref PacketInfo p)
    {
        if (f.Length < pos + 20 || (f[pos] >> 4) != 4) return false;
        int ihl = (f[pos] & 0xF) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(f[(pos + 2)..]);
        if (ihl < 20 || f.Length < pos + ihl) return false;
        p.IpVersion = 4; p.L3Offset = pos;
        p.SrcIp = IpAddr.V4(f[(pos + 12)..]); p.DstIp = IpAddr.V4(f[(pos + 16)..]);
        p.IpProto = f[pos + 9];
        p.IpId = BinaryPrimitives.ReadUInt16BigEndian(f[(pos + 4)..]);
        ushort fw = BinaryPrimitives.ReadUInt16BigEndian(f[(pos + 6)..]);
        if ((fw & 0x2000) != 0) p.Frag |= FragmentFlags.MoreFragments;
        if ((fw & 0x1FFF) != 0) p.Frag |= FragmentFlags.NonFirst;
        p.FragOffset = (ushort)((fw & 0x1FFF) * 8);
        int end = Math.Min(f.Length, pos + Math.Max(total, ihl));
        p.IpTotalLength = total;
        return L4(f, pos + ihl, end, ref p);
    }

    private static bool Ipv6(ReadOnlySpan<byte> f, int pos, ref PacketInfo p)
    {
        if (f.Length < pos + 40 || (f[pos] >> 4) != 6) return false;
        p.IpVersion = 6; p.L3Offset = pos;
        p.SrcIp = IpAddr.V6(f[(pos + 8)..]); p.DstIp = IpAddr.V6(f[(pos + 24)..]);
        int end = Math.Min(f.Length, pos + 40 + BinaryPrimitives.ReadUInt16BigEndian(f[(pos + 4)..]));
        byte next = f[pos + 6]; int q = pos + 40;
        for (int i = 0; i < 8 && next is 0 or 43 or 44 or 60; i++)
        {
            if (q + 8 > end) return true;
            if (next == 44)
            {
                ushort fw = BinaryPrimitives.ReadUInt16BigEndian(f[(q + 2)..]);
                if ((fw & 1) != 0) p.Frag |= FragmentFlags.MoreFragments;
                if ((fw & 0xFFF8) != 0) p.Frag |= FragmentFlags.NonFirst;
                p.FragOffset = (ushort)(fw & 0xFFF8);
                p.IpId = BinaryPrimitives.ReadUInt32BigEndian(f[(q + 4)..]);
                next = f[q]; q += 8;
            }
            else { next = f[q]; q += (f[q + 1] + 1) * 8; }
        }
        p.IpProto = next;
        return L4(f, q, end, ref p);
    }

    private static bool L4(ReadOnlySpan<byte> f, int pos, int end, ref PacketInfo p)
    {
        p.PayloadOffset = pos; p.PayloadLength = Math.Max(0, end - pos);
        if ((p.Frag & FragmentFlags.NonFirst) != 0 || (p.Frag & FragmentFlags.MoreFragments) != 0) return true;
        if (p.IpProto == 6 && end - pos >= 20)
        {
            int off = (f[pos + 12] >> 4) * 4;
            if (off < 20 || pos + off > end) return true;
            p.L4Offset = pos;
            p.SrcPort = BinaryPrimitives.ReadUInt16BigEndian(f[pos..]); p.DstPort = BinaryPrimitives.ReadUInt16BigEndian(f[(pos + 2)..]);
            p.TcpSeq = BinaryPrimitives.ReadUInt32BigEndian(f[(pos + 4)..]); p.TcpAck = BinaryPrimitives.ReadUInt32BigEndian(f[(pos + 8)..]);
            p.TcpFlags = (TcpFlags)f[pos + 13];
            p.PayloadOffset = pos + off; p.PayloadLength = end - pos - off;
        }
        else if (p.IpProto == 17 && end - pos >= 8)
        {
            p.L4Offset = pos;
            p.SrcPort = BinaryPrimitives.ReadUInt16BigEndian(f[pos..]); p.DstPort = BinaryPrimitives.ReadUInt16BigEndian(f[(pos + 2)..]);
            int ulen = BinaryPrimitives.ReadUInt16BigEndian(f[(pos + 4)..]);
            p.PayloadOffset = pos + 8; p.PayloadLength = Math.Max(0, Math.Min(ulen, end - pos) - 8);
        }
        return true;
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

/// <summary>Runs frames through fragment reassembly, a 5-tuple flow key (originator = first sender) and the application layer.</summary>
public static class TestPipeline
{
    public static Collected Run(string path, AppLayerOptions? options = null) => Run(TestPackets.Read(path), options);

    public static Collected Run(IEnumerable<TestFrame> frames, AppLayerOptions? options = null)
    {
        var c = new Collected();
        var app = new AppLayer(options ?? AppLayerOptions.Default, c, c);
        var defrag = new IpDefragmenter(DefragOptions.Default, c);
        var flows = new Dictionary<(byte, IpAddr, ushort, IpAddr, ushort), (long Id, IpAddr OrigIp, ushort OrigPort)>();
        var p = new PacketInfo();
        foreach (var fr in frames)
        {
            ReadOnlySpan<byte> data = fr.Data;
            if (!TestPackets.Dissect(fr.LinkType, data, ref p)) continue;
            if (p.Frag != FragmentFlags.None)
            {
                if (!defrag.TryAdd(in p, data, fr.TsNs, out var whole)) continue;
                data = whole.ToArray();
                if (!TestPackets.Dissect(101, data, ref p)) continue;
            }
            if (p.IpProto is not (6 or 17)) continue;
            bool aFirst = p.SrcIp.CompareTo(p.DstIp) < 0 || (p.SrcIp == p.DstIp && p.SrcPort <= p.DstPort);
            var key = aFirst ? (p.IpProto, p.SrcIp, p.SrcPort, p.DstIp, p.DstPort) : (p.IpProto, p.DstIp, p.DstPort, p.SrcIp, p.SrcPort);
            if (!flows.TryGetValue(key, out var fl))
            {
                // As Zeek (and the real flow table): a flow first seen at its SYN-ACK was originated by the other side.
                bool flip = p.IpProto == 6 && (p.TcpFlags & (TcpFlags.Syn | TcpFlags.Ack)) == (TcpFlags.Syn | TcpFlags.Ack);
                fl = flip ? (flows.Count + 1, p.DstIp, p.DstPort) : (flows.Count + 1, p.SrcIp, p.SrcPort);
                flows[key] = fl;
                c.Flows[fl.Id] = flip ? ($"{p.DstIp}:{p.DstPort}", $"{p.SrcIp}:{p.SrcPort}", p.IpProto) : ($"{p.SrcIp}:{p.SrcPort}", $"{p.DstIp}:{p.DstPort}", p.IpProto);
            }
            bool fromOrig = p.SrcIp == fl.OrigIp && p.SrcPort == fl.OrigPort;
            int avail = Math.Clamp(data.Length - p.PayloadOffset, 0, p.PayloadLength);
            var payload = p.PayloadOffset <= data.Length ? data.Slice(p.PayloadOffset, avail) : default;
            var svc = app.OnPacket(fl.Id, fromOrig, in p, payload, fr.TsNs, fr.FrameNo);
            if (svc != null) c.Services[fl.Id] = svc;
        }
        app.EndAll();
        return c;
    }
}

/// <summary>Runs tshark as the oracle: one line per matching frame, fields tab-separated.</summary>
public static class Tshark
{
    public static List<string[]> Fields(string path, string filter, params string[] fields)
    {
        var args = new List<string> { "-n", "-r", path, "-2", "-Y", filter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=," };
        foreach (var f in fields) { args.Add("-e"); args.Add(f); }
        // 5354 is not a registered DNS port: tell tshark, as our analyzer finds DNS from the payload.
        args.AddRange(["-d", "udp.port==5354,dns", "-d", "tcp.port==5354,dns", "-d", "tcp.port==12222,ssh"]);
        var psi = new ProcessStartInfo("tshark", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var proc = Process.Start(psi) ?? throw new InvalidOperationException("tshark not found");
        var err = proc.StandardError.ReadToEndAsync();
        var lines = new List<string[]>();
        string? line;
        while ((line = proc.StandardOutput.ReadLine()) != null) lines.Add(line.Split('\t'));
        proc.WaitForExit();
        if (proc.ExitCode != 0) throw new InvalidOperationException("tshark failed: " + err.Result);
        return lines;
    }
}

using PcapLab.Dissect;
using PcapLab.Flows;

namespace PcapLab.Engine.Tests.Flows;

/// <summary>Collects ended flows.</summary>
internal sealed class FlowList : IFlowSink
{
    public readonly List<FlowRecord> Flows = new();
    public void OnFlowEnded(in FlowRecord flow) => Flows.Add(flow);
}

/// <summary>Handcrafted packets: what the dissector would fill for a TCP/UDP/ICMP packet.</summary>
internal static class Pkt
{
    public const long Second = 1_000_000_000L;
    public const long T0 = 1_700_000_000L * Second;

    public static PacketInfo Ip(string src, string dst, byte proto, int payload)
    {
        var p = new PacketInfo();
        p.Reset();
        p.Status = DissectStatus.Ok;
        p.SrcIp = IpAddr.Parse(src);
        p.DstIp = IpAddr.Parse(dst);
        p.IpVersion = p.SrcIp.Version;
        p.IpProto = proto;
        p.PayloadLength = payload;
        int ipHeader = p.IpVersion == 4 ? 20 : 40;
        int l4 = proto switch { 6 => 20, 17 => 8, 1 or 58 => 8, _ => 0 };
        p.IpTotalLength = ipHeader + l4 + payload;
        return p;
    }

    public static PacketInfo Udp(string src, ushort sp, string dst, ushort dp, int payload)
    {
        var p = Ip(src, dst, 17, payload);
        p.SrcPort = sp; p.DstPort = dp;
        return p;
    }

    public static PacketInfo Icmp(string src, string dst, byte type, byte code, int payload = 56)
    {
        var p = Ip(src, dst, 1, payload);
        p.IcmpType = type; p.IcmpCode = code;
        return p;
    }

    public static PacketInfo Tcp(string src, ushort sp, string dst, ushort dp, TcpFlags flags, uint seq, uint ack, int payload = 0, ushort win = 64240)
    {
        var p = Ip(src, dst, 6, payload);
        p.SrcPort = sp; p.DstPort = dp; p.TcpFlags = flags; p.TcpSeq = seq; p.TcpAck = ack; p.TcpWin = win;
        return p;
    }
}

/// <summary>
/// A scripted TCP conversation between a client (10.0.0.1:40000) and a server (10.0.0.2:80) that tracks both sequence
/// numbers like a real stack, so tests read as the packet exchange they describe.
/// </summary>
internal sealed class TcpTalk
{
    public const string Client = "10.0.0.1", Server = "10.0.0.2";
    public const ushort ClientPort = 40000, ServerPort = 80;
    public readonly FlowList Sink = new();
    public readonly FlowTable Table;
    public uint ClientSeq = 1000, ServerSeq = 5000;
    public long Now = Pkt.T0;
    public readonly List<long> Ids = new();

    public TcpTalk(FlowOptions? options = null) => Table = new FlowTable(options ?? new FlowOptions(), Sink);

    /// <summary>A packet from the client; advances the client's sequence number by payload + SYN + FIN.</summary>
    public TcpTalk C(TcpFlags flags, int payload = 0, ushort win = 64240, double after = 0.001) => Send(true, flags, payload, win, after);
    /// <summary>A packet from the server.</summary>
    public TcpTalk S(TcpFlags flags, int payload = 0, ushort win = 64240, double after = 0.001) => Send(false, flags, payload, win, after);

    public TcpTalk Send(bool fromClient, TcpFlags flags, int payload, ushort win, double after)
    {
        Now += (long)(after * Pkt.Second);
        ref uint seq = ref fromClient ? ref ClientSeq : ref ServerSeq;
        uint ack = (flags & TcpFlags.Ack) != 0 ? (fromClient ? ServerSeq : ClientSeq) : 0;
        var p = fromClient
            ? Pkt.Tcp(Client, ClientPort, Server, ServerPort, flags, seq, ack, payload, win)
            : Pkt.Tcp(Server, ServerPort, Client, ClientPort, flags, seq, ack, payload, win);
        Ids.Add(Table.Observe(p, Now, p.IpTotalLength + 14));
        if ((flags & TcpFlags.Rst) == 0)
            seq += (uint)payload + ((flags & TcpFlags.Syn) != 0 ? 1u : 0) + ((flags & TcpFlags.Fin) != 0 ? 1u : 0);
        return this;
    }

    /// <summary>Client SYN, server SYN-ACK, client ACK.</summary>
    public TcpTalk Handshake() => C(TcpFlags.Syn).S(TcpFlags.Syn | TcpFlags.Ack).C(TcpFlags.Ack);

    public FlowRecord FlushSingle()
    {
        Table.Flush();
        return Assert.Single(Sink.Flows);
    }
}

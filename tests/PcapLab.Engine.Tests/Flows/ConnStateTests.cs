using PcapLab.Dissect;
using PcapLab.Flows;
using F = PcapLab.Dissect.TcpFlags;

namespace PcapLab.Engine.Tests.Flows;

/// <summary>
/// Every conn_state of Zeek's conn.log, each from a handcrafted packet sequence. The quoted definitions are Zeek's
/// documentation of Conn::Info$conn_state and Conn::Info$history (scripts/base/protocols/conn/main.zeek).
/// </summary>
public class ConnStateTests
{
    private const F SA = F.Syn | F.Ack, PA = F.Psh | F.Ack, FA = F.Fin | F.Ack, RA = F.Rst | F.Ack;

    private static void AssertConn(FlowRecord r, string state, string? history)
    {
        Assert.Equal(state, r.ConnState);
        Assert.Equal(history, r.History);
    }

    [Fact] // "S0: Connection attempt seen, no reply."
    public void S0_AttemptWithoutReply() =>
        AssertConn(new TcpTalk().C(F.Syn).FlushSingle(), "S0", "S");

    [Fact] // "S1: Connection established, not terminated."
    public void S1_EstablishedNotTerminated()
    {
        var r = new TcpTalk().Handshake().C(PA, 10).S(F.Ack).FlushSingle();
        // s: SYN w/o ACK; h: SYN+ACK; a: pure ACK; d: packet with payload. Upper case = originator.
        AssertConn(r, "S1", "ShADa");
    }

    [Fact] // "SF: Normal establishment and termination."
    public void SF_NormalEstablishmentAndTermination()
    {
        var r = new TcpTalk().Handshake().C(PA, 10).S(PA, 20).C(FA).S(FA).C(F.Ack).FlushSingle();
        AssertConn(r, "SF", "ShADdFf");
        // orig_bytes/resp_bytes come from sequence numbers, without the SYN and FIN octets.
        Assert.Equal(10, r.OrigBytes);
        Assert.Equal(20, r.RespBytes);
        Assert.Equal(5, r.OrigPkts);
        Assert.Equal(3, r.RespPkts);
        Assert.Equal(5 * 40 + 10, r.OrigIpBytes);
    }

    [Fact] // "REJ: Connection attempt rejected."
    public void REJ_AttemptRejected() =>
        AssertConn(new TcpTalk().C(F.Syn).S(RA).FlushSingle(), "REJ", "Sr");

    [Fact] // "S2: Connection established and close attempt by originator seen (but no reply from responder)."
    public void S2_OriginatorCloseWithoutReply() =>
        AssertConn(new TcpTalk().Handshake().C(FA).FlushSingle(), "S2", "ShAF");

    [Fact] // "S3: Connection established and close attempt by responder seen (but no reply from originator)."
    public void S3_ResponderCloseWithoutReply() =>
        AssertConn(new TcpTalk().Handshake().S(FA).FlushSingle(), "S3", "ShAf");

    [Fact] // "RSTO: Connection established, originator aborted (sent a RST)."
    public void RSTO_OriginatorAborted() =>
        AssertConn(new TcpTalk().Handshake().C(RA).FlushSingle(), "RSTO", "ShAR");

    [Fact] // "RSTR: Responder sent a RST."
    public void RSTR_ResponderReset() =>
        AssertConn(new TcpTalk().Handshake().S(RA).FlushSingle(), "RSTR", "ShAr");

    [Fact] // "RSTOS0: Originator sent a SYN followed by a RST, we never saw a SYN-ACK from the responder."
    public void RSTOS0_SynThenOriginatorReset() =>
        AssertConn(new TcpTalk().C(F.Syn).C(F.Rst).FlushSingle(), "RSTOS0", "SR");

    [Fact] // "RSTRH: Responder sent a SYN ACK followed by a RST, we never saw a SYN from the (purported) originator."
    public void RSTRH_SynAckThenResponderReset()
    {
        // The first packet is a SYN-ACK from port 80: Zeek's heuristic makes its sender the responder ('^').
        var r = new TcpTalk().S(SA).S(F.Rst).FlushSingle();
        AssertConn(r, "RSTRH", "^hr");
        Assert.Equal(IpAddr.Parse(TcpTalk.Client), r.OrigH);
    }

    [Fact] // "SH: Originator sent a SYN followed by a FIN, we never saw a SYN ACK from the responder (hence the connection was "half" open)."
    public void SH_SynThenFin() =>
        AssertConn(new TcpTalk().C(F.Syn).C(F.Fin).FlushSingle(), "SH", "SF");

    [Fact] // "SHR: Responder sent a SYN ACK followed by a FIN, we never saw a SYN from the originator."
    public void SHR_SynAckThenFin() =>
        AssertConn(new TcpTalk().S(SA).S(F.Fin).FlushSingle(), "SHR", "^hf");

    [Fact] // "OTH: No SYN seen, just midstream traffic (one example of this is a "partial connection" that was not later closed)."
    public void OTH_Midstream() =>
        AssertConn(new TcpTalk().C(PA, 100).C(PA, 100).FlushSingle(), "OTH", "D");

    [Fact] // "f, h, r and s can be recorded multiple times ... if the associated sequence number differs"; same seq: once.
    public void RetransmittedSynIsRecordedOnce() =>
        AssertConn(new TcpTalk().Send(true, F.Syn, 0, 1000, 0.001).Resend(F.Syn, 1).FlushSingle(), "S0", "S");

    [Fact] // "'c', 'g', 't' and 'w' are recorded in a logarithmic fashion: the second instance represents that the event was seen (at least) 10 times; the third instance, 100 times"
    public void RetransmissionsAreLogarithmic()
    {
        var talk = new TcpTalk().Handshake().C(PA, 10);
        talk.ClientSeq -= 10;
        for (int i = 0; i < 10; i++) { talk.C(PA, 10); talk.ClientSeq -= 10; }
        // t: "packet with retransmitted payload": at the 1st and the 10th retransmission.
        AssertConn(talk.FlushSingle(), "S1", "ShADTT");
    }

    [Fact]
    public void ZeroWindowsAreLogarithmic()
    {
        var talk = new TcpTalk().Handshake();
        for (int i = 0; i < 100; i++) talk.S(F.Ack, win: 0);
        // w: "packet with a zero window advertisement": 1st, 10th and 100th.
        AssertConn(talk.FlushSingle(), "S1", "ShAawww");
    }

    [Fact] // "i: inconsistent packet (e.g. FIN+RST bits set)"; "q: multi-flag packet (SYN+FIN or SYN+RST bits set)"
    public void InconsistentAndMultiFlagPackets()
    {
        var r = new TcpTalk().Handshake().C(F.Fin | F.Rst | F.Ack).S(F.Syn | F.Rst | F.Ack).FlushSingle();
        Assert.Equal("ShAIq", r.History);
    }

    [Fact] // FINs with different sequence numbers each add a letter; a retransmitted FIN does not.
    public void FinRepeatsOnlyWithNewSequence()
    {
        var talk = new TcpTalk().Handshake().C(FA);
        talk.ClientSeq -= 1;
        talk.C(FA); // same sequence number: a retransmission
        Assert.Equal("ShAF", talk.FlushSingle().History);
    }
}

internal static class TcpTalkExtensions
{
    /// <summary>Sends the client's previous segment again (same sequence number).</summary>
    public static TcpTalk Resend(this TcpTalk t, TcpFlags flags, int times)
    {
        for (int i = 0; i < times; i++) { t.ClientSeq -= 1; t.C(flags); }
        return t;
    }
}

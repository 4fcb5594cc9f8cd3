using PcapLab.Dissect;
using S = PcapLab.Flows.TcpEndpointState;

namespace PcapLab.Flows;

// Zeek's TCP connection state machine (src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc), re-expressed over the
// inline FlowState: endpoint states, sequence-space sizes, history letters, close/reset handling and connection reuse.
public sealed partial class FlowTable
{
    private const int TooLargeSeqDelta = 1048576;

    /// <summary>Zeek's TCPSessionAdapter::IsReuse: a SYN on an existing flow that starts a new connection.</summary>
    private static bool IsTcpReuse(ref FlowState f, in PacketInfo p, bool isOrig)
    {
        var fl = p.TcpFlags;
        if ((fl & TcpFlags.Syn) == 0) return false;
        ref TcpEndpoint connOrig = ref f.Orig;
        if ((fl & TcpFlags.Ack) != 0)
        {
            // Only a half connection (nothing from the originator yet) can be reused by a SYN-ACK.
            if (f.Orig.State != S.Inactive) return false;
            connOrig = ref f.Resp;
        }
        if (f.TcpActive)
        {
            if (p.TcpSeq == connOrig.StartSeq) return false; // a retransmitted SYN
            // SYN and SYN-ACK seen in swapped order: not a reuse, the state machine flips the roles.
            if ((fl & TcpFlags.Ack) == 0 && connOrig.State == S.SynAckSent && f.Resp.State == S.Inactive && p.TcpSeq == f.Resp.StartSeq)
                return false;
        }
        return true;
    }

    private static int SegmentLength(int len, TcpFlags fl)
    {
        int seg = len;
        if ((fl & TcpFlags.Syn) != 0) seg++;
        if ((fl & TcpFlags.Fin) != 0) seg++;
        if ((fl & TcpFlags.Rst) != 0) seg -= len; // RST payload is not part of the stream
        return seg;
    }

    private static ulong RelativeSeq(in TcpEndpoint ep, uint cur, uint last, uint wraps, out bool underflow)
    {
        underflow = false;
        int delta = TcpEndpoint.SeqDelta(cur, last);
        if (delta < 0) { if (wraps != 0 && cur > last) wraps--; }
        else if (delta > 0) { if (cur < last) wraps++; }
        if (wraps == 0)
        {
            delta = TcpEndpoint.SeqDelta(cur, ep.StartSeq);
            underflow = delta < 0;
            return (ulong)(long)delta;
        }
        return ep.ToRelative(cur, wraps);
    }

    private void ProcessTcp(ref FlowState f, in PacketInfo p, long t, bool isOrig)
    {
        var fl = p.TcpFlags;
        bool syn = (fl & TcpFlags.Syn) != 0, fin = (fl & TcpFlags.Fin) != 0, rst = (fl & TcpFlags.Rst) != 0, ack = (fl & TcpFlags.Ack) != 0;
        int len = Math.Max(0, p.PayloadLength);
        uint seq = p.TcpSeq, ackSeq = p.TcpAck;
        ref TcpEndpoint ep = ref f.Endpoint(isOrig);
        ref TcpEndpoint peer = ref f.Endpoint(!isOrig);

        int segLen = SegmentLength(len, fl);
        uint onePast = seq + (uint)segLen;
        InitEndpoint(ref ep, syn, seq, onePast);

        ulong relSeq = RelativeSeq(ep, seq, ep.LastSeq, ep.SeqWraps, out _);
        UpdateHistory(ref f, ref ep, isOrig, fl, relSeq, len);

        // Zero windows matter unless they come with or after a RST, or after the peer's FIN (update_window).
        if (p.TcpWin == 0 && !rst && peer.State != S.Closed && ep.State != S.Reset)
            f.ScaledHistory('W', isOrig, ref ep.Win0Count, ref ep.Win0Thresh);

        // Trailing packets after both sides closed do not extend the duration (conn.log's duration note).
        if (!f.Orig.DidClose || !f.Resp.DidClose) f.LastNs = t;

        if (fin) ep.FinCount++;

        if (ack)
        {
            if (peer.State == S.Inactive)
            {
                // Start the peer's numbering as though its SYN had been seen.
                peer.InitSeq(ackSeq - 1, ackSeq - 1, ackSeq - 1);
            }
            else
            {
                RelativeSeq(peer, ackSeq, peer.AckSeq, peer.AckWraps, out bool ackUnderflow);
                if (!ackUnderflow && !rst) UpdateAckSeq(ref peer, ackSeq); // ACKs in RSTs are not trusted
            }
        }

        int deltaLast = UpdateLastSeq(ref f, ref ep, isOrig, onePast, fl, len);

        bool doClose = false, genEvent = false;
        switch (ep.State)
        {
            case S.Inactive: UpdateInactive(ref f, ref ep, ref peer, isOrig, fl, seq, len, t, ref doClose, ref genEvent); break;
            case S.SynSent or S.SynAckSent: UpdateSynSent(ref f, ref ep, fl, ref doClose, ref genEvent); break;
            case S.Established or S.Partial: UpdateEstablished(ref f, ref ep, ref peer, fl, ref doClose, ref genEvent); break;
            case S.Closed: UpdateClosed(ref f, ref ep, ref peer, fl, t, ref doClose); break;
            case S.Reset: break; // nothing after a RST changes the state (only weirds in Zeek)
        }
        _ = deltaLast;
        if (doClose) ConnectionClosed(ref f, ref ep, ref peer, genEvent);
    }

    private static void InitEndpoint(ref TcpEndpoint ep, bool syn, uint firstSeq, uint lastSeq)
    {
        switch (ep.State)
        {
            case S.Inactive:
                if (syn) { ep.AckSeq = firstSeq; ep.StartSeq = firstSeq; }
                else
                {
                    // Partial connection: number as though a SYN had been seen, and never call the first packet a duplicate.
                    ep.AckSeq = firstSeq - 1; ep.StartSeq = firstSeq - 1; lastSeq = firstSeq;
                }
                ep.LastSeq = lastSeq;
                break;
            case S.SynSent or S.SynAckSent:
                if (syn && firstSeq != ep.StartSeq) ep.InitSeq(firstSeq, firstSeq, lastSeq);
                break;
            case S.Established or S.Partial:
                if (syn) ep.InitSeq(firstSeq, firstSeq, lastSeq); // guess: this SYN really sets the connection up
                break;
            case S.Reset:
                if (syn && ep.PrevState == S.Inactive) ep.InitSeq(firstSeq, firstSeq, lastSeq); // the earlier RST was likely injected
                break;
        }
    }

    private static void UpdateHistory(ref FlowState f, ref TcpEndpoint ep, bool isOrig, TcpFlags fl, ulong relSeq, int len)
    {
        bool syn = (fl & TcpFlags.Syn) != 0, fin = (fl & TcpFlags.Fin) != 0, rst = (fl & TcpFlags.Rst) != 0;
        int bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
        if (bits > 1)
        {
            if (fin && rst) f.CheckHistory(Hist.FinRst, 'I', isOrig);
            else f.CheckHistory(Hist.MultiFlag, 'Q', isOrig);
        }
        else if (bits == 1)
        {
            if (syn)
            {
                char code = (fl & TcpFlags.Ack) != 0 ? 'H' : 'S';
                // S/H, F and R repeat when their sequence number differs from the last one of that kind.
                if (f.CheckHistory(Hist.Syn, code, isOrig) && relSeq != ep.HistLastSyn) f.AddHistory(code, isOrig);
                ep.HistLastSyn = relSeq;
            }
            if (fin)
            {
                ulong finSeq = relSeq + (ulong)len; // a FIN's sequence number is at the end of its data
                if (f.CheckHistory(Hist.Fin, 'F', isOrig) && finSeq != ep.HistLastFin) f.AddHistory('F', isOrig);
                ep.HistLastFin = finSeq;
            }
            if (rst)
            {
                if (f.CheckHistory(Hist.Rst, 'R', isOrig) && relSeq != ep.HistLastRst) f.AddHistory('R', isOrig);
                ep.HistLastRst = relSeq;
            }
        }
        else if (len > 0) f.CheckHistory(Hist.Data, 'D', isOrig);
        else if ((fl & TcpFlags.Ack) != 0) f.CheckHistory(Hist.Ack, 'A', isOrig);
    }

    private static void UpdateAckSeq(ref TcpEndpoint ep, uint ackSeq)
    {
        int delta = TcpEndpoint.SeqDelta(ackSeq, ep.AckSeq);
        if (ackSeq == 0 && delta > TooLargeSeqDelta) return; // more likely a broken ack than a wrap landing on 0
        if (delta > 0) ep.UpdateAckSeq(ackSeq);
    }

    private static int UpdateLastSeq(ref FlowState f, ref TcpEndpoint ep, bool isOrig, uint lastSeq, TcpFlags fl, int len)
    {
        int delta = TcpEndpoint.SeqDelta(lastSeq, ep.LastSeq);
        bool synOrRst = (fl & (TcpFlags.Syn | TcpFlags.Rst)) != 0;
        if (synOrRst && (delta > TooLargeSeqDelta || delta < -TooLargeSeqDelta)) { }
        else if ((fl & TcpFlags.Fin) != 0 && ep.LastSeq == ep.StartSeq + 1) ep.UpdateLastSeq(lastSeq); // SYN then FIN of a > 2 GB connection
        else if (ep.State == S.Reset) { } // sequence numbers after a RST are not trusted
        else if (delta > 0) ep.UpdateLastSeq(lastSeq);
        else if (len > 0) f.ScaledHistory('T', isOrig, ref ep.RxmtCount, ref ep.RxmtThresh); // payload not beyond what was seen: retransmission
        return delta;
    }

    private void UpdateInactive(ref FlowState f, ref TcpEndpoint ep, ref TcpEndpoint peer, bool isOrig, TcpFlags fl, uint baseSeq, int len, long t,
                                ref bool doClose, ref bool genEvent)
    {
        bool syn = (fl & TcpFlags.Syn) != 0, ack = (fl & TcpFlags.Ack) != 0;
        if (syn)
        {
            if (isOrig)
            {
                ep.SetState(ack ? S.SynAckSent : S.SynSent);
                f.AttemptNs = t; // Zeek's AttemptTimer: unanswered after tcp_attempt_delay, the attempt is over
            }
            else
            {
                if (!ack && peer.State == S.SynAckSent && baseSeq == ep.StartSeq)
                {
                    // SYN/SYN-ACK reversal: the "responder" sent the SYN. Flip roles and establish.
                    FlipRoles(ref f);
                    // After the flip this endpoint is the originator and its peer the responder.
                    ref TcpEndpoint newResp = ref f.Resp;
                    newResp.SetState(S.Established);
                    f.Orig.SetState(S.Established);
                    return;
                }
                if (peer.State == S.SynSent) peer.SetState(S.Established);
                ep.SetState(S.Established);
            }
        }

        if ((fl & TcpFlags.Fin) != 0)
        {
            ep.SetState(S.Closed);
            doClose = genEvent = true;
        }

        if ((fl & TcpFlags.Rst) != 0)
        {
            ep.SetState(S.Reset);
            bool isReject = isOrig ? peer.State == S.Established : peer.State is S.SynSent or S.SynAckSent;
            doClose = true;
            genEvent = !isReject;
        }

        if (ep.State == S.Inactive)
        {
            // Some stacks ACK a SYN before answering it: that ACK does not make a partial connection.
            if (!isOrig && len == 0 && f.Orig.State == S.SynSent) { }
            else if (ack && peer.State == S.Established) ep.SetState(S.Established); // missed the SYN, saw the SYN-ACK and this ACK
            else ep.SetState(S.Partial);
        }
    }

    private static void UpdateSynSent(ref FlowState f, ref TcpEndpoint ep, TcpFlags fl, ref bool doClose, ref bool genEvent)
    {
        if ((fl & TcpFlags.Fin) != 0) { ep.SetState(S.Closed); doClose = genEvent = true; }
        if ((fl & TcpFlags.Rst) != 0) { ep.SetState(S.Reset); f.TcpActive = false; doClose = true; }
    }

    private static void UpdateEstablished(ref FlowState f, ref TcpEndpoint ep, ref TcpEndpoint peer, TcpFlags fl, ref bool doClose, ref bool genEvent)
    {
        bool rst = (fl & TcpFlags.Rst) != 0;
        if ((fl & TcpFlags.Syn) != 0 && ep.State == S.Partial && peer.State == S.Inactive && (fl & TcpFlags.Ack) == 0)
            ep.SetState(S.SynSent); // SYN after partial
        if ((fl & TcpFlags.Fin) != 0 && !rst)
        {
            ep.SetState(S.Closed);
            // The peer's FIN followed by its RST was a normal close after all.
            if (peer.State == S.Reset && peer.PrevState == S.Closed) peer.SetState(S.Closed);
            doClose = genEvent = true;
        }
        if (rst)
        {
            ep.SetState(S.Reset);
            doClose = true;
            if (peer.State != S.Reset || peer.PrevState != S.Established) f.TcpActive = false; // ConnectionReset
        }
    }

    private static void UpdateClosed(ref FlowState f, ref TcpEndpoint ep, ref TcpEndpoint peer, TcpFlags fl, long t, ref bool doClose)
    {
        // A RST after our FIN, before the peer closed: reset, and Zeek's ResetTimer removes the flow tcp_reset_delay later.
        if ((fl & TcpFlags.Rst) != 0 && peer.State != S.Closed)
        {
            ep.SetState(S.Reset);
            if (!ep.DidClose) doClose = true;
            f.TcpActive = false;
            if (!f.CloseDone) { f.CloseDone = true; f.CloseBaseNs = t; }
        }
    }

    private static void ConnectionClosed(ref FlowState f, ref TcpEndpoint ep, ref TcpEndpoint peer, bool genEvent)
    {
        if (ep.DidClose) return;
        ep.DidClose = true;
        bool complete = ep.State == S.Reset || peer.DidClose || peer.State == S.Inactive;
        if (!complete) return;
        if ((ep.PrevState != S.Inactive || peer.State != S.Inactive) && genEvent) f.TcpActive = false; // ConnectionFinished
        if (!f.CloseDone) { f.CloseDone = true; f.CloseBaseNs = f.LastNs; } // removed tcp_close_delay after the last time
    }

    /// <summary>Zeek's Connection::FlipRoles: swap originator and responder, swap the case of history letters, append '^'.</summary>
    private static void FlipRoles(ref FlowState f)
    {
        f.OrigIsA = !f.OrigIsA;
        (f.Orig, f.Resp) = (f.Resp, f.Orig);
        (f.OrigPkts, f.RespPkts) = (f.RespPkts, f.OrigPkts);
        (f.OrigIpBytes, f.RespIpBytes) = (f.RespIpBytes, f.OrigIpBytes);
        (f.OrigPayload, f.RespPayload) = (f.RespPayload, f.OrigPayload);
        (f.FwdLen, f.BwdLen) = (f.BwdLen, f.FwdLen);
        (f.FwdIat, f.BwdIat) = (f.BwdIat, f.FwdIat);
        (f.FwdLastNs, f.BwdLastNs) = (f.BwdLastNs, f.FwdLastNs);
        (f.FwdInitWin, f.BwdInitWin) = (f.BwdInitWin, f.FwdInitWin);
        f.SpltDirBits = ~f.SpltDirBits & (f.SpltCount >= 32 ? uint.MaxValue : (1u << f.SpltCount) - 1);
        f.HistSeen = (f.HistSeen >> 16) | (f.HistSeen << 16);
        Span<byte> h = f.History;
        for (int i = 0; i < f.HistoryLength; i++)
        {
            byte c = h[i];
            if (c is >= (byte)'a' and <= (byte)'z') h[i] = (byte)(c - 32);
            else if (c is >= (byte)'A' and <= (byte)'Z') h[i] = (byte)(c + 32);
        }
        if (f.HistoryLength < 48) h[f.HistoryLength++] = (byte)'^';
    }
}

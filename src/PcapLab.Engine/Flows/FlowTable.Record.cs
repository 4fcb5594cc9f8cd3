using PcapLab.Dissect;
using S = PcapLab.Flows.TcpEndpointState;

namespace PcapLab.Flows;

public sealed partial class FlowTable
{
    private FlowRecord BuildRecord(ref FlowState f)
    {
        var key = f.Key;
        IpAddr origH = f.OrigIsA ? key.A : key.B, respH = f.OrigIsA ? key.B : key.A;
        ushort origP = f.OrigIsA ? key.PortA : key.PortB, respP = f.OrigIsA ? key.PortB : key.PortA;
        long durNs = f.LastNs - f.StartNs;
        long origBytes, respBytes;
        if (f.Transport == 6) { origBytes = (long)f.Orig.Size(f.Resp); respBytes = (long)f.Resp.Size(f.Orig); }
        else { origBytes = f.OrigPayload; respBytes = f.RespPayload; }
        bool hasPorts = f.Transport is 6 or 17 or 132 or 1 or 58;
        string communityId = CommunityId.Compute(origH, respH, f.Transport, hasPorts ? origP : (ushort)0, hasPorts ? respP : (ushort)0, _options.CommunityIdSeed);
        double spanS = (f.LastPktNs - f.StartNs) / 1e9;

        int n = f.SpltCount;
        var spltLen = new int[n];
        var spltIat = new float[n];
        for (int i = 0; i < n; i++)
        {
            spltLen[i] = (f.SpltDirBits & (1u << i)) != 0 ? -f.SpltLen[i] : f.SpltLen[i];
            spltIat[i] = f.SpltIatMs[i];
        }

        return new FlowRecord
        {
            FlowId = f.FlowId,
            Ts = f.StartNs,
            LastTs = f.LastNs,
            Duration = durNs > 0 ? durNs / 1e9 : null,
            Proto = f.Transport switch { 6 => "tcp", 17 => "udp", 1 or 58 => "icmp", _ => "unknown_transport" },
            IpProto = f.Transport,
            Service = f.Service,
            OrigH = origH, OrigP = origP, RespH = respH, RespP = respP,
            // conn.log fills orig_bytes/resp_bytes only when the duration is positive (set_conn in conn/main.zeek).
            OrigBytes = durNs > 0 ? origBytes : null,
            RespBytes = durNs > 0 ? respBytes : null,
            ConnState = ConnState(ref f),
            MissedBytes = f.MissedBytes,
            History = f.HistoryString(),
            OrigPkts = f.OrigPkts, OrigIpBytes = f.OrigIpBytes, RespPkts = f.RespPkts, RespIpBytes = f.RespIpBytes,
            Vlan = key.Vlan >= 0 ? key.Vlan : null,
            InnerVlan = key.InnerVlan >= 0 ? key.InnerVlan : null,
            Tunnel = key.Tunnel, TunnelId = key.TunnelId,
            CommunityId = communityId,
            FwdPktLenMin = f.FwdLen.Min, FwdPktLenMax = f.FwdLen.Max, FwdPktLenMean = f.FwdLen.Mean, FwdPktLenStd = f.FwdLen.Std,
            BwdPktLenMin = f.BwdLen.Min, BwdPktLenMax = f.BwdLen.Max, BwdPktLenMean = f.BwdLen.Mean, BwdPktLenStd = f.BwdLen.Std,
            FlowIatMin = f.FlowIat.Min, FlowIatMax = f.FlowIat.Max, FlowIatMean = f.FlowIat.Mean, FlowIatStd = f.FlowIat.Std,
            FwdIatMin = f.FwdIat.Min, FwdIatMax = f.FwdIat.Max, FwdIatMean = f.FwdIat.Mean, FwdIatStd = f.FwdIat.Std,
            BwdIatMin = f.BwdIat.Min, BwdIatMax = f.BwdIat.Max, BwdIatMean = f.BwdIat.Mean, BwdIatStd = f.BwdIat.Std,
            FinFlagCnt = f.Flags[0], SynFlagCnt = f.Flags[1], RstFlagCnt = f.Flags[2], PshFlagCnt = f.Flags[3],
            AckFlagCnt = f.Flags[4], UrgFlagCnt = f.Flags[5], EceFlagCnt = f.Flags[6], CwrFlagCnt = f.Flags[7],
            InitFwdWinBytes = f.FwdInitWin, InitBwdWinBytes = f.BwdInitWin,
            ActiveMin = ActiveAtEnd(f).Min, ActiveMax = ActiveAtEnd(f).Max, ActiveMean = ActiveAtEnd(f).Mean, ActiveStd = ActiveAtEnd(f).Std,
            IdleMin = f.Idle.Min, IdleMax = f.Idle.Max, IdleMean = f.Idle.Mean, IdleStd = f.Idle.Std,
            FlowBytesPerS = spanS > 0 ? (f.OrigPayload + f.RespPayload) / spanS : 0,
            FlowPktsPerS = spanS > 0 ? (f.OrigPkts + f.RespPkts) / spanS : 0,
            DownUpRatio = f.OrigPkts > 0 ? (double)f.RespPkts / f.OrigPkts : 0,
            SpltLen = spltLen,
            SpltIatMs = spltIat,
        };
    }

    // The last active period closes when the flow ends (CICFlowMeter's endActiveIdleTime).
    private static RunningStats ActiveAtEnd(in FlowState f)
    {
        var a = f.Active;
        if (f.ActiveEndNs > f.ActiveStartNs) a.Add((f.ActiveEndNs - f.ActiveStartNs) / 1e9);
        return a;
    }

    /// <summary>Zeek's conn_state() from base/protocols/conn/main.zeek, over the endpoint states.</summary>
    private static string ConnState(ref FlowState f)
    {
        if (f.Transport == 17)
        {
            // UDP endpoints are "active" once they sent anything.
            bool o = f.OrigPkts > 0, r = f.RespPkts > 0;
            return o ? (r ? "SF" : "S0") : (r ? "SHR" : "OTH");
        }
        if (f.Transport != 6) return "OTH";

        S os = f.Orig.State, rs = f.Resp.State;
        bool oInactive = os is S.Inactive or S.Partial, rInactive = rs is S.Inactive or S.Partial;
        if (rs == S.Reset)
        {
            if (os is S.SynSent or S.SynAckSent || (os == S.Reset && f.Orig.Size(f.Resp) == 0 && f.Resp.Size(f.Orig) == 0))
                return "REJ";
            return oInactive ? "RSTRH" : "RSTR";
        }
        if (os == S.Reset)
        {
            if (rInactive) return IsSynThenReset(f) ? "RSTOS0" : "OTH";
            return "RSTO";
        }
        if (rs == S.Closed && os == S.Closed) return "SF";
        if (os == S.Closed) return rInactive ? "SH" : "S2";
        if (rs == S.Closed) return oInactive ? "SHR" : "S3";
        if (os == S.SynSent && rs == S.Inactive) return "S0";
        if (os == S.Established && rs == S.Established) return "S1";
        return "OTH";
    }

    // History matches /\^?S[^HAFGIQ]*R.*/: an originator SYN, then its RST with no handshake, ACK, FIN, gap or odd packet before it.
    private static bool IsSynThenReset(in FlowState f)
    {
        ReadOnlySpan<byte> h = f.History;
        h = h[..f.HistoryLength];
        if (h.Length > 0 && h[0] == '^') h = h[1..];
        if (h.Length == 0 || h[0] != 'S') return false;
        foreach (byte c in h[1..])
        {
            if (c == 'R') return true;
            if (c is (byte)'H' or (byte)'A' or (byte)'F' or (byte)'G' or (byte)'I' or (byte)'Q') return false;
        }
        return false;
    }
}

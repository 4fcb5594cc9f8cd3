using System.Runtime.CompilerServices;
using System.Diagnostics.CodeAnalysis;

namespace PcapLab.Flows;

/// <summary>Count, mean, variance (Welford), min and max of a stream of values, without storing them.</summary>
internal struct RunningStats
{
    public long Count;
    public double Mean, M2, Min, Max;

    public void Add(double x)
    {
        Count++;
        if (Count == 1) { Min = Max = x; }
        else { if (x < Min) Min = x; if (x > Max) Max = x; }
        double d = x - Mean;
        Mean += d / Count;
        M2 += d * (x - Mean);
    }

    /// <summary>Sample standard deviation (n-1), as CICFlowMeter's SummaryStatistics; 0 below two values.</summary>
    public readonly double Std => Count > 1 ? Math.Sqrt(M2 / (Count - 1)) : 0;
}

[InlineArray(48)] internal struct HistoryChars { private byte _e; }
[InlineArray(FlowTable.MaxSplt)] internal struct SpltLengths { private ushort _e; }
[InlineArray(FlowTable.MaxSplt)] internal struct SpltGaps { private float _e; }
[InlineArray(8)] internal struct FlagCounts { private int _e; }

/// <summary>Which expiry list a flow is on; each list has one fixed delay, so it stays ordered by its base time.</summary>
internal enum TimerList : byte { None = 0, Attempt, Closed, Tcp, Udp, Icmp, Other, Count }

/// <summary>Everything the table keeps per live flow, stored inline in a slot of one struct array (no per-flow objects).</summary>
internal struct FlowState
{
    public FlowKey Key;
    public long FlowId;
    public long StartNs, LastNs, LastPktNs;
    public long OrigPkts, RespPkts, OrigIpBytes, RespIpBytes, OrigPayload, RespPayload, MissedBytes;
    public bool InUse, OrigIsA, TcpActive, CloseDone;
    public byte Transport;
    public string? Service;

    public HistoryChars History;
    public byte HistoryLength;
    public uint HistSeen;

    public TcpEndpoint Orig, Resp;
    public long AttemptNs, CloseBaseNs;

    public int Prev, Next;
    public TimerList List;
    public long TimerBaseNs;

    public RunningStats FwdLen, BwdLen, FwdIat, BwdIat, FlowIat, Active, Idle;
    public long FwdLastNs, BwdLastNs, ActiveStartNs, ActiveEndNs;
    public FlagCounts Flags;
    public int FwdInitWin, BwdInitWin;
    public SpltLengths SpltLen;
    public SpltGaps SpltIatMs;
    public uint SpltDirBits;
    public byte SpltCount;

    [UnscopedRef] public ref TcpEndpoint Endpoint(bool isOrig) => ref isOrig ? ref Orig : ref Resp;

    /// <summary>Appends a history letter (upper case for the originator); letters beyond the buffer are dropped.</summary>
    public void AddHistory(char code, bool isOrig)
    {
        if (!isOrig) code = char.ToLowerInvariant(code);
        if (HistoryLength < 48) History[HistoryLength++] = (byte)code;
    }

    /// <summary>Zeek's Connection::CheckHistory: records the letter once per mask; returns true when it was already seen.</summary>
    public bool CheckHistory(uint mask, char code, bool isOrig)
    {
        if (!isOrig) mask <<= 16;
        if ((HistSeen & mask) != 0) return true;
        HistSeen |= mask;
        AddHistory(code, isOrig);
        return false;
    }

    /// <summary>Zeek's ScaledHistoryEntry: the letter is recorded at the 1st, 10th, 100th, ... occurrence.</summary>
    public void ScaledHistory(char code, bool isOrig, ref uint counter, ref uint threshold)
    {
        if (++counter != threshold) return;
        AddHistory(code, isOrig);
        uint next = threshold * 10;
        if (next <= threshold) counter = 0; // wrap-around: keep the threshold, restart the count
        else threshold = next;
    }

    public readonly string? HistoryString()
    {
        if (HistoryLength == 0) return null;
        ReadOnlySpan<byte> h = History;
        return System.Text.Encoding.ASCII.GetString(h[..HistoryLength]);
    }
}

/// <summary>Zeek's TCP history masks (TCP_Endpoint::HistoryMasks); responder masks are shifted by 16.</summary>
internal static class Hist
{
    public const uint Syn = 0x1, Fin = 0x2, Rst = 0x4, FinRst = 0x8, Data = 0x10, Ack = 0x20, MultiFlag = 0x40;
}

using System.Runtime.InteropServices;
using PcapLab.Dissect;

namespace PcapLab.Flows;

/// <summary>
/// The flow table built during ingest: bidirectional flows with Zeek's conn.log semantics (originator, conn_state,
/// history, byte counts, timeouts, connection reuse), Community ID, and per-flow statistics for models.
/// Flows live inline in a growable struct array indexed by a <see cref="Dictionary{TKey,TValue}"/> of slots; ended
/// flows return their slot to a free list, so memory follows the number of active flows.
/// Expiry uses one intrusive list per timeout kind (each kept in time order), so <see cref="Advance"/> is O(expired).
/// Not thread-safe: one table per ingest thread.
/// </summary>
public sealed partial class FlowTable
{
    /// <summary>Capacity of the inline first-packets (SPLT) arrays.</summary>
    public const int MaxSplt = 32;

    private readonly FlowOptions _options;
    private readonly IFlowSink _sink;
    private readonly Dictionary<FlowKey, int> _index = new();
    private readonly Dictionary<long, int> _idToSlot = new();
    private FlowState[] _flows = new FlowState[1024];
    private int _highWater;
    private int _freeHead = -1;
    private long _nextId = 1;
    private readonly int[] _heads = new int[(int)TimerList.Count];
    private readonly int[] _tails = new int[(int)TimerList.Count];
    private readonly long[] _delays = new long[(int)TimerList.Count];
    private readonly long _activeTimeoutNs, _activityNs;
    private readonly int _splt;

    /// <summary>Creates a table that reports ended flows to <paramref name="sink"/>.</summary>
    public FlowTable(FlowOptions options, IFlowSink sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        if (options.FirstPacketsToKeep is < 0 or > MaxSplt)
            throw new ArgumentOutOfRangeException(nameof(options), $"FirstPacketsToKeep must be within 0..{MaxSplt}.");
        _options = options;
        _sink = sink;
        Array.Fill(_heads, -1);
        Array.Fill(_tails, -1);
        _delays[(int)TimerList.Attempt] = options.TcpAttemptDelay.Ticks * 100;
        _delays[(int)TimerList.Closed] = options.TcpCloseDelay.Ticks * 100;
        _delays[(int)TimerList.Tcp] = options.TcpInactivity.Ticks * 100;
        _delays[(int)TimerList.Udp] = options.UdpInactivity.Ticks * 100;
        _delays[(int)TimerList.Icmp] = options.IcmpInactivity.Ticks * 100;
        _delays[(int)TimerList.Other] = options.OtherInactivity.Ticks * 100;
        _activeTimeoutNs = options.ActiveTimeout is { } a ? a.Ticks * 100 : 0;
        _activityNs = options.ActivityThreshold.Ticks * 100;
        _splt = options.FirstPacketsToKeep;
    }

    /// <summary>Number of flows currently open.</summary>
    public int ActiveFlows => _index.Count;

    /// <summary>
    /// Accounts one packet, in capture order. Returns the id (&gt; 0) of the flow it belongs to, or 0 when the packet
    /// has no IP layer or cannot be put in a flow (a non-first fragment: reassemble first).
    /// </summary>
    /// <param name="p">The dissected packet.</param>
    /// <param name="tsNs">Capture time, Unix nanoseconds.</param>
    /// <param name="wireLength">The frame's original length (kept for symmetry with the packet table; IP bytes come from the IP header).</param>
    public long Observe(in PacketInfo p, long tsNs, int wireLength) => Observe(in p, tsNs, wireLength, out _);

    /// <summary>
    /// As <see cref="Observe(in PacketInfo, long, int)"/>, and tells whether the packet was sent by the flow's originator
    /// (after any role flip this packet caused), which application analyzers need to tell requests from responses.
    /// </summary>
    public long Observe(in PacketInfo p, long tsNs, int wireLength, out bool fromOriginator)
    {
        fromOriginator = false;
        Advance(tsNs);
        if (!FlowKey.TryCreate(p, out var key, out bool fromA)) return 0;

        ref int slotRef = ref CollectionsMarshal.GetValueRefOrNullRef(_index, key);
        int slot;
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slotRef))
            slot = NewFlow(key, p, fromA, tsNs);
        else
        {
            slot = slotRef;
            ref FlowState f = ref _flows[slot];
            bool isOrig = fromA == f.OrigIsA;
            bool split = _activeTimeoutNs > 0 && tsNs - f.StartNs >= _activeTimeoutNs;
            if (split || (f.Transport == 6 && IsTcpReuse(ref f, p, isOrig)))
            {
                End(slot);
                slot = NewFlow(key, p, fromA, tsNs);
            }
        }

        ref FlowState flow = ref _flows[slot];
        Account(ref flow, p, tsNs, fromA);
        Schedule(slot, ref flow);
        fromOriginator = fromA == flow.OrigIsA;
        return flow.FlowId;
    }

    /// <summary>Ends every flow whose timeout has passed at <paramref name="nowNs"/> (Unix ns). Observe calls it on every packet.</summary>
    public void Advance(long nowNs)
    {
        for (int l = 1; l < (int)TimerList.Count; l++)
        {
            long delay = _delays[l];
            int h;
            while ((h = _heads[l]) >= 0 && nowNs - _flows[h].TimerBaseNs >= delay)
                End(h);
        }
        if (_flows.Length > MinCapacity && _index.Count < _flows.Length / 8) Compact();
    }

    private const int MinCapacity = 1024;

    /// <summary>Moves live flows into a smaller array and trims the indexes, so memory falls back after a burst of flows expires.</summary>
    private void Compact()
    {
        int live = _index.Count;
        int capacity = Math.Max(MinCapacity, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, live * 2)));
        var map = new int[_highWater];
        var next = new FlowState[capacity];
        int n = 0;
        for (int i = 0; i < _highWater; i++)
        {
            if (_flows[i].InUse) { map[i] = n; next[n++] = _flows[i]; }
            else map[i] = -1;
        }
        for (int i = 0; i < n; i++)
        {
            ref FlowState f = ref next[i];
            if (f.Prev >= 0) f.Prev = map[f.Prev];
            if (f.Next >= 0) f.Next = map[f.Next];
        }
        for (int l = 0; l < _heads.Length; l++)
        {
            if (_heads[l] >= 0) _heads[l] = map[_heads[l]];
            if (_tails[l] >= 0) _tails[l] = map[_tails[l]];
        }
        _index.Clear(); _idToSlot.Clear();
        _index.TrimExcess(n); _idToSlot.TrimExcess(n);
        for (int i = 0; i < n; i++) { _index.Add(next[i].Key, i); _idToSlot.Add(next[i].FlowId, i); }
        _flows = next;
        _highWater = n;
        _freeHead = -1;
    }

    /// <summary>End of input: reports every open flow, in flow-id order.</summary>
    public void Flush()
    {
        var open = new List<(long Id, int Slot)>(_index.Count);
        for (int i = 0; i < _highWater; i++)
            if (_flows[i].InUse) open.Add((_flows[i].FlowId, i));
        open.Sort();
        foreach (var (_, slot) in open) End(slot);
    }

    /// <summary>
    /// Records a protocol confirmed from payload on a live flow (e.g. "dns", "http", "ssl"); several are comma-joined
    /// in the order they were set, as conn.log's service. Pass constant strings. Ignored when the flow has ended.
    /// </summary>
    public void SetService(long flowId, string service)
    {
        if (!_idToSlot.TryGetValue(flowId, out int slot)) return;
        ref FlowState f = ref _flows[slot];
        if (f.Service is null) { f.Service = service; return; }
        foreach (var part in f.Service.Split(',')) if (part == service) return;
        f.Service = f.Service + "," + service;
    }

    /// <summary>
    /// Reports a content gap found by TCP reassembly: adds to missed_bytes and records Zeek's logarithmic 'G'/'g'
    /// history letter. Ignored when the flow has ended.
    /// </summary>
    public void RecordGap(long flowId, bool fromOriginator, long bytes)
    {
        if (!_idToSlot.TryGetValue(flowId, out int slot)) return;
        ref FlowState f = ref _flows[slot];
        f.MissedBytes += bytes;
        ref TcpEndpoint ep = ref f.Endpoint(fromOriginator);
        f.ScaledHistory('G', fromOriginator, ref ep.GapCount, ref ep.GapThresh);
    }

    private int NewFlow(in FlowKey key, in PacketInfo p, bool fromA, long tsNs)
    {
        int slot;
        if (_freeHead >= 0) { slot = _freeHead; _freeHead = _flows[slot].Next; }
        else
        {
            if (_highWater == _flows.Length) Array.Resize(ref _flows, _flows.Length * 2);
            slot = _highWater++;
        }
        ref FlowState f = ref _flows[slot];
        f = default;
        f.InUse = true;
        f.Key = key;
        f.FlowId = _nextId++;
        f.StartNs = f.LastNs = tsNs;
        f.Transport = p.IpProto;
        f.Orig.Init(); f.Resp.Init();
        f.TcpActive = true;
        f.FwdInitWin = f.BwdInitWin = -1;
        f.Prev = f.Next = -1;
        bool flip = LikelyServerPorts.ShouldFlip(p);
        f.OrigIsA = fromA != flip;
        if (flip) f.AddHistory('^', true);
        _index.Add(key, slot);
        _idToSlot.Add(f.FlowId, slot);
        return slot;
    }

    private void Account(ref FlowState f, in PacketInfo p, long t, bool fromA)
    {
        bool isOrig = fromA == f.OrigIsA;
        switch (f.Transport)
        {
            case 6:
                ProcessTcp(ref f, p, t, isOrig);
                isOrig = fromA == f.OrigIsA; // the state machine may have flipped roles
                break;
            case 17:
                f.LastNs = t;
                f.CheckHistory(Hist.Data, 'D', isOrig); // Zeek's UDP analyzer: D/d once per direction
                break;
            default:
                f.LastNs = t;
                break;
        }

        int payload = Math.Max(0, p.PayloadLength);
        long gap = t - f.LastPktNs;
        bool first = f.OrigPkts + f.RespPkts == 0;
        if (isOrig) { f.OrigPkts++; f.OrigIpBytes += p.IpTotalLength; f.OrigPayload += payload; }
        else { f.RespPkts++; f.RespIpBytes += p.IpTotalLength; f.RespPayload += payload; }

        if (!first) f.FlowIat.Add(gap / 1e9);
        if (isOrig)
        {
            if (f.FwdLen.Count > 0) f.FwdIat.Add((t - f.FwdLastNs) / 1e9);
            f.FwdLen.Add(payload);
            f.FwdLastNs = t;
            if (f.Transport == 6 && f.FwdInitWin < 0) f.FwdInitWin = p.TcpWin;
        }
        else
        {
            if (f.BwdLen.Count > 0) f.BwdIat.Add((t - f.BwdLastNs) / 1e9);
            f.BwdLen.Add(payload);
            f.BwdLastNs = t;
            if (f.Transport == 6 && f.BwdInitWin < 0) f.BwdInitWin = p.TcpWin;
        }
        if (f.Transport == 6)
        {
            byte flags = (byte)p.TcpFlags;
            for (int b = 0; b < 8; b++) if ((flags & (1 << b)) != 0) f.Flags[b]++;
        }

        // Active/idle periods as CICFlowMeter: a gap above the threshold closes the active period and is one idle period.
        if (first) { f.ActiveStartNs = f.ActiveEndNs = t; }
        else if (t - f.ActiveEndNs > _activityNs)
        {
            if (f.ActiveEndNs > f.ActiveStartNs) f.Active.Add((f.ActiveEndNs - f.ActiveStartNs) / 1e9);
            f.Idle.Add((t - f.ActiveEndNs) / 1e9);
            f.ActiveStartNs = f.ActiveEndNs = t;
        }
        else f.ActiveEndNs = t;

        if (f.SpltCount < _splt)
        {
            int i = f.SpltCount++;
            f.SpltLen[i] = (ushort)Math.Min(payload, ushort.MaxValue);
            f.SpltIatMs[i] = first ? 0f : (float)(gap / 1e6);
            if (!isOrig) f.SpltDirBits |= 1u << i;
        }
        f.LastPktNs = t;
    }

    private void Schedule(int slot, ref FlowState f)
    {
        TimerList list; long baseNs;
        if (f.Transport == 6)
        {
            if (f.CloseDone) { list = TimerList.Closed; baseNs = f.CloseBaseNs; }
            else if (f.Orig.State is TcpEndpointState.SynSent or TcpEndpointState.SynAckSent && f.Resp.State == TcpEndpointState.Inactive)
            { list = TimerList.Attempt; baseNs = f.AttemptNs; }
            else { list = TimerList.Tcp; baseNs = f.LastNs; }
        }
        else
        {
            list = f.Transport switch { 17 => TimerList.Udp, 1 or 58 => TimerList.Icmp, _ => TimerList.Other };
            baseNs = f.LastNs;
        }
        if (f.List == list && f.TimerBaseNs == baseNs) return;
        Unlink(slot, ref f);
        f.List = list; f.TimerBaseNs = baseNs;
        int l = (int)list;
        f.Prev = _tails[l]; f.Next = -1;
        if (_tails[l] >= 0) _flows[_tails[l]].Next = slot; else _heads[l] = slot;
        _tails[l] = slot;
    }

    private void Unlink(int slot, ref FlowState f)
    {
        if (f.List == TimerList.None) return;
        int l = (int)f.List;
        if (f.Prev >= 0) _flows[f.Prev].Next = f.Next; else _heads[l] = f.Next;
        if (f.Next >= 0) _flows[f.Next].Prev = f.Prev; else _tails[l] = f.Prev;
        f.Prev = f.Next = -1;
        f.List = TimerList.None;
    }

    private void End(int slot)
    {
        ref FlowState f = ref _flows[slot];
        Unlink(slot, ref f);
        var record = BuildRecord(ref f);
        _index.Remove(f.Key);
        _idToSlot.Remove(f.FlowId);
        f.InUse = false;
        f.Service = null;
        f.Next = _freeHead;
        _freeHead = slot;
        _sink.OnFlowEnded(record);
    }
}

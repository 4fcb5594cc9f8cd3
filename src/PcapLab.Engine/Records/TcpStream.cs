using System.Buffers;
using PcapLab.Dissect;

namespace PcapLab.Records;

/// <summary>
/// One direction of a TCP connection, reassembled in sequence order for an <see cref="StreamAnalyzer"/>.
/// Overlaps and retransmissions: the first bytes seen for a sequence number win (Zeek's policy), later copies are dropped.
/// Memory is bounded by <see cref="AppLayerOptions.MaxStreamBuffer"/>; beyond it the missing range is skipped and a
/// <c>content_gap</c> weird is recorded instead of stalling. In-order segments that the parser consumes whole are
/// parsed straight from the packet span without copying.
/// </summary>
internal sealed class TcpStream
{
    private struct Segment { public uint Seq; public byte[] Data; public int Length; }

    private readonly AppLayerOptions _opt;
    private bool _synced;
    private uint _next;
    private byte[]? _pending;
    private int _pendingLen;
    private List<Segment>? _ooo;
    private int _oooBytes;

    /// <summary>Creates an empty direction.</summary>
    public TcpStream(AppLayerOptions options) => _opt = options;

    /// <summary>Bytes skipped because of holes or buffer limits.</summary>
    public long GapBytes { get; private set; }

    /// <summary>Offers one segment of this direction.</summary>
    public void Add(uint seq, TcpFlags flags, ReadOnlySpan<byte> data, StreamAnalyzer a, bool fromOrig, long tsNs, long frameNo,
        IWeirdSink weirds, long flowId)
    {
        if ((flags & TcpFlags.Syn) != 0)
        {
            if (!_synced) { _next = seq + 1; _synced = true; }
            seq++;
        }
        if (data.IsEmpty || a.Done) { if (a.Done) Release(); return; }
        if (!_synced) { _next = seq; _synced = true; }

        int rel = (int)(seq - _next);
        if (rel < 0)
        {
            if (-rel >= data.Length) return; // pure retransmission: first-seen data already delivered
            data = data[-rel..];
            rel = 0;
        }
        if (rel > 0)
        {
            if (!StoreOutOfOrder(seq, data)) SkipToFirstSegment(a, fromOrig, weirds, flowId);
        }
        else
        {
            Deliver(data, a, fromOrig, tsNs, frameNo, weirds, flowId);
        }
        Drain(a, fromOrig, tsNs, frameNo, weirds, flowId);
        if (a.Done) Release();
    }

    private void Deliver(ReadOnlySpan<byte> data, StreamAnalyzer a, bool fromOrig, long tsNs, long frameNo, IWeirdSink weirds, long flowId)
    {
        _next += (uint)data.Length;
        if (_pendingLen == 0)
        {
            int used = a.Consume(fromOrig, data, tsNs, frameNo);
            if (used >= data.Length || a.Done) return;
            Keep(data[used..], a, fromOrig, weirds, flowId);
            return;
        }
        if (!Keep(data, a, fromOrig, weirds, flowId)) return;
        int n = a.Consume(fromOrig, _pending!.AsSpan(0, _pendingLen), tsNs, frameNo);
        if (n >= _pendingLen) { _pendingLen = 0; return; }
        _pending!.AsSpan(n, _pendingLen - n).CopyTo(_pending);
        _pendingLen -= n;
    }

    // Appends to the parser's unconsumed bytes; past the limit the bytes are dropped and the parser told of a gap.
    private bool Keep(ReadOnlySpan<byte> data, StreamAnalyzer a, bool fromOrig, IWeirdSink weirds, long flowId)
    {
        int need = _pendingLen + data.Length;
        if (need > _opt.MaxStreamBuffer)
        {
            GapBytes += need;
            _pendingLen = 0;
            weirds.Report("content_gap", flowId, "stream buffer limit");
            a.OnGap(fromOrig, -1);
            return false;
        }
        if (_pending == null || _pending.Length < need)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(need, 2048));
            if (_pending != null) { _pending.AsSpan(0, _pendingLen).CopyTo(bigger); ArrayPool<byte>.Shared.Return(_pending); }
            _pending = bigger;
        }
        data.CopyTo(_pending.AsSpan(_pendingLen));
        _pendingLen = need;
        return true;
    }

    // Stores the parts of an early segment not already held (first-seen wins); false when over the limits.
    private bool StoreOutOfOrder(uint seq, ReadOnlySpan<byte> data)
    {
        _ooo ??= [];
        int start = (int)(seq - _next), end = start + data.Length;
        int cursor = start;
        for (int i = 0; i <= _ooo.Count && cursor < end; i++)
        {
            int segStart = i < _ooo.Count ? (int)(_ooo[i].Seq - _next) : int.MaxValue;
            int segEnd = i < _ooo.Count ? segStart + _ooo[i].Length : int.MaxValue;
            if (segEnd <= cursor) continue;
            int pieceEnd = Math.Min(end, segStart);
            if (pieceEnd > cursor)
            {
                int len = pieceEnd - cursor;
                if (_ooo.Count >= _opt.MaxOutOfOrderSegments || _oooBytes + _pendingLen + len > _opt.MaxStreamBuffer) return false;
                var buf = ArrayPool<byte>.Shared.Rent(len);
                data.Slice(cursor - start, len).CopyTo(buf);
                _ooo.Insert(i, new Segment { Seq = _next + (uint)cursor, Data = buf, Length = len });
                _oooBytes += len;
                i++;
            }
            cursor = Math.Max(cursor, segEnd);
        }
        return true;
    }

    // A hole that will not fill within the limits: jump to the first held segment and tell the parser.
    private void SkipToFirstSegment(StreamAnalyzer a, bool fromOrig, IWeirdSink weirds, long flowId)
    {
        weirds.Report("content_gap", flowId);
        if (_ooo is not { Count: > 0 }) return;
        long lost = _pendingLen == 0 ? (uint)(_ooo[0].Seq - _next) : -1;
        GapBytes += (uint)(_ooo[0].Seq - _next) + _pendingLen;
        _pendingLen = 0;
        _next = _ooo[0].Seq;
        a.OnGap(fromOrig, lost);
    }

    private void Drain(StreamAnalyzer a, bool fromOrig, long tsNs, long frameNo, IWeirdSink weirds, long flowId)
    {
        while (_ooo is { Count: > 0 })
        {
            var s = _ooo[0];
            int rel = (int)(s.Seq - _next);
            if (rel > 0) return;
            _ooo.RemoveAt(0);
            _oooBytes -= s.Length;
            if (-rel < s.Length && !a.Done) Deliver(s.Data.AsSpan(-rel, s.Length + rel), a, fromOrig, tsNs, frameNo, weirds, flowId);
            ArrayPool<byte>.Shared.Return(s.Data);
        }
    }

    /// <summary>
    /// Bytes up to <paramref name="endSeq"/> will never be seen: the packet promised more than was captured, or the peer
    /// acknowledged data the capture missed (Zeek's ACK-based content gap). The parser is told and held segments resume.
    /// </summary>
    public void MarkLost(uint endSeq, StreamAnalyzer a, bool fromOrig, long tsNs, long frameNo, IWeirdSink weirds, long flowId)
    {
        if (!_synced || (int)(endSeq - _next) <= 0 || a.Done) return;
        long lost = _pendingLen == 0 ? (uint)(endSeq - _next) : -1;
        GapBytes += (uint)(endSeq - _next);
        _next = endSeq;
        _pendingLen = 0;
        weirds.Report("content_gap", flowId);
        a.OnGap(fromOrig, lost);
        Drain(a, fromOrig, tsNs, frameNo, weirds, flowId);
        if (a.Done) Release();
    }

    /// <summary>The peer acknowledged up to <paramref name="ack"/>: data below it that is still missing was lost by the capture.</summary>
    public void OnPeerAck(uint ack, StreamAnalyzer a, bool fromOrig, long tsNs, long frameNo, IWeirdSink weirds, long flowId)
    {
        // Only a hole with data held beyond it matters; otherwise the next segment simply arrives in order.
        if (_ooo is not { Count: > 0 } || (int)(ack - _next) <= 0) return;
        MarkLost((int)(ack - _ooo[0].Seq) >= 0 ? _ooo[0].Seq : ack, a, fromOrig, tsNs, frameNo, weirds, flowId);
    }

    /// <summary>Returns every buffer to the pool (flow ended or parser done).</summary>
    public void Release()
    {
        if (_pending != null) { ArrayPool<byte>.Shared.Return(_pending); _pending = null; }
        _pendingLen = 0;
        if (_ooo != null)
        {
            foreach (var s in _ooo) ArrayPool<byte>.Shared.Return(s.Data);
            _ooo = null;
        }
        _oooBytes = 0;
    }
}

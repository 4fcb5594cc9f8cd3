using System.Buffers;
using System.Buffers.Binary;

namespace PcapLab.Dissect.Fragments;

/// <summary>Limits of IP fragment reassembly.</summary>
public sealed class DefragOptions
{
    /// <summary>Bytes held across all incomplete datagrams.</summary>
    public int MaxTotalBytes { get; init; } = 8 * 1024 * 1024;
    /// <summary>Incomplete datagrams held at once; the oldest is dropped beyond it.</summary>
    public int MaxDatagrams { get; init; } = 4096;
    /// <summary>IPv4 reassembly timeout (Linux ipfrag_time is 30 s).</summary>
    public long Ipv4TimeoutNs { get; init; } = 30L * 1_000_000_000;
    /// <summary>IPv6 reassembly timeout (RFC 8200: 60 s).</summary>
    public long Ipv6TimeoutNs { get; init; } = 60L * 1_000_000_000;
    /// <summary>Default limits.</summary>
    public static DefragOptions Default { get; } = new();
}

/// <summary>
/// Reassembles IPv4 and IPv6 fragments (RFC 791, RFC 8200) with bounded memory and timeouts. Overlapping fragments keep
/// the bytes seen first and are recorded as <c>fragment_overlap</c>; fragments ending past 65,535 bytes are
/// <c>excessively_large_fragment</c> and dropped. The fragment header is read from the frame itself, so only
/// <see cref="PacketInfo.L3Offset"/> and <see cref="PacketInfo.IpVersion"/> need to be right.
/// </summary>
public sealed class IpDefragmenter
{
    private const int MaxDatagram = 65535;

    private readonly struct Key(IpAddr src, IpAddr dst, uint id, byte proto) : IEquatable<Key>
    {
        public readonly IpAddr Src = src, Dst = dst;
        public readonly uint Id = id;
        public readonly byte Proto = proto;
        public bool Equals(Key o) => Src == o.Src && Dst == o.Dst && Id == o.Id && Proto == o.Proto;
        public override bool Equals(object? obj) => obj is Key k && Equals(k);
        public override int GetHashCode() => HashCode.Combine(Src, Dst, Id, Proto);
    }

    private sealed class Datagram
    {
        public required byte[] Data;      // payload bytes by fragment offset
        public readonly List<(int Start, int End)> Ranges = [];
        public byte[]? Header;            // IP header (IPv6: fixed header + unfragmentable extension headers)
        public int HeaderLength;
        public int NextHeaderOffset = -1; // IPv6: where the byte naming the fragment header sits inside Header
        public byte NextHeader;           // IPv6: the protocol after the fragment header
        public int TotalLength = -1;      // payload length, known once the last fragment arrived
        public long FirstTs;
        public long Held;
    }

    private readonly DefragOptions _opt;
    private readonly IWeirdSink _weirds;
    private readonly Dictionary<Key, Datagram> _pending = [];
    private long _heldBytes;
    private byte[]? _output;
    private long _lastExpiry = long.MinValue / 2;
    private readonly List<(int, int)> _scratch = [];

    /// <summary>Creates a reassembler that reports malformed fragments to <paramref name="weirds"/>.</summary>
    public IpDefragmenter(DefragOptions options, IWeirdSink weirds) { _opt = options; _weirds = weirds; }

    /// <summary>Datagrams waiting for more fragments.</summary>
    public int PendingDatagrams => _pending.Count;

    /// <summary>Bytes held for incomplete datagrams.</summary>
    public long HeldBytes => _heldBytes;

    /// <summary>
    /// Offers a fragment (<see cref="PacketInfo.Frag"/> != None). When a datagram completes, returns true and the
    /// reassembled IP packet (header + payload) in a buffer reused by the next call; re-dissect it as LinkType.Raw.
    /// </summary>
    public bool TryAdd(in PacketInfo p, ReadOnlySpan<byte> frame, long tsNs, out ReadOnlySpan<byte> datagram)
    {
        datagram = default;
        Expire(tsNs);
        if ((uint)p.L3Offset >= (uint)frame.Length) { _weirds.Report("truncated_fragment", 0); return false; }
        var ip = frame[p.L3Offset..];
        return p.IpVersion == 6 ? AddV6(ip, tsNs, out datagram) : AddV4(ip, tsNs, out datagram);
    }

    private bool AddV4(ReadOnlySpan<byte> ip, long tsNs, out ReadOnlySpan<byte> datagram)
    {
        datagram = default;
        if (ip.Length < 20 || (ip[0] >> 4) != 4) { _weirds.Report("truncated_fragment", 0); return false; }
        int ihl = (ip[0] & 0xF) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (ihl < 20 || total < ihl || ip.Length < ihl) { _weirds.Report("truncated_fragment", 0); return false; }
        ushort fragWord = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        int offset = (fragWord & 0x1FFF) * 8;
        bool more = (fragWord & 0x2000) != 0;
        var data = ip[ihl..Math.Min(total, ip.Length)];
        if (data.Length < total - ihl) { _weirds.Report("truncated_fragment", 0); return false; }
        var key = new Key(IpAddr.V4(ip[12..]), IpAddr.V4(ip[16..]), BinaryPrimitives.ReadUInt16BigEndian(ip[4..]), ip[9]);
        return Add(key, offset, more, data, offset == 0 ? ip[..ihl] : default, -1, 0, tsNs, isV6: false, out datagram);
    }

    private bool AddV6(ReadOnlySpan<byte> ip, long tsNs, out ReadOnlySpan<byte> datagram)
    {
        datagram = default;
        if (ip.Length < 40 || (ip[0] >> 4) != 6) { _weirds.Report("truncated_fragment", 0); return false; }
        int end = Math.Min(ip.Length, 40 + BinaryPrimitives.ReadUInt16BigEndian(ip[4..]));
        int nextOffset = 6, pos = 40;
        byte next = ip[6];
        // Walk the unfragmentable extension headers up to the Fragment header (44).
        for (int guard = 0; next != 44; guard++)
        {
            if (guard > 8 || next is not (0 or 43 or 60) || pos + 8 > end) { _weirds.Report("truncated_fragment", 0); return false; }
            nextOffset = pos;
            next = ip[pos];
            pos += (ip[pos + 1] + 1) * 8;
        }
        if (pos + 8 > end) { _weirds.Report("truncated_fragment", 0); return false; }
        byte upper = ip[pos];
        ushort fragWord = BinaryPrimitives.ReadUInt16BigEndian(ip[(pos + 2)..]);
        uint id = BinaryPrimitives.ReadUInt32BigEndian(ip[(pos + 4)..]);
        int offset = fragWord & 0xFFF8;
        bool more = (fragWord & 1) != 0;
        var key = new Key(IpAddr.V6(ip[8..]), IpAddr.V6(ip[24..]), id, upper);
        return Add(key, offset, more, ip[(pos + 8)..end], offset == 0 ? ip[..pos] : default, nextOffset, upper, tsNs, isV6: true, out datagram);
    }

    private bool Add(Key key, int offset, bool more, ReadOnlySpan<byte> data, ReadOnlySpan<byte> header, int nextHeaderOffset,
        byte upper, long tsNs, bool isV6, out ReadOnlySpan<byte> datagram)
    {
        datagram = default;
        int end = offset + data.Length;
        if (end > MaxDatagram) { _weirds.Report("excessively_large_fragment", 0); return false; }
        if (more && (data.Length & 7) != 0) _weirds.Report("fragment_size_not_multiple_of_8", 0);
        if (!_pending.TryGetValue(key, out var d))
        {
            if (_pending.Count >= _opt.MaxDatagrams) DropOldest();
            d = new Datagram { Data = ArrayPool<byte>.Shared.Rent(MaxDatagram), FirstTs = tsNs };
            _pending[key] = d;
        }
        if (!more)
        {
            if (d.TotalLength >= 0 && d.TotalLength != end) _weirds.Report("fragment_inconsistency", 0);
            if (d.TotalLength < 0) d.TotalLength = end;
        }
        if (!header.IsEmpty && d.Header == null)
        {
            d.Header = header.ToArray();
            d.HeaderLength = header.Length;
            d.NextHeaderOffset = nextHeaderOffset;
            d.NextHeader = upper;
        }
        CopyNew(d, offset, data);
        while (_heldBytes > _opt.MaxTotalBytes && _pending.Count > 1) DropOldest();
        if (!IsComplete(d)) return false;
        _pending.Remove(key);
        _heldBytes -= d.Held;
        datagram = Build(d, isV6);
        ArrayPool<byte>.Shared.Return(d.Data);
        return true;
    }

    // Copies only the parts of [offset, offset+len) no earlier fragment supplied (first-seen wins).
    private void CopyNew(Datagram d, int offset, ReadOnlySpan<byte> data)
    {
        int start = offset, end = offset + data.Length;
        if (start == end) return;
        bool overlapped = false;
        int cursor = start;
        var ranges = d.Ranges;
        ranges.Sort();
        var added = _scratch;
        added.Clear();
        foreach (var (s, e) in ranges)
        {
            if (e <= cursor) continue;
            if (s >= end) break;
            if (s > cursor) added.Add((cursor, s));
            overlapped = true;
            cursor = Math.Max(cursor, e);
            if (cursor >= end) break;
        }
        if (cursor < end) added.Add((cursor, end));
        if (overlapped) _weirds.Report("fragment_overlap", 0);
        foreach (var (s, e) in added)
        {
            data.Slice(s - offset, e - s).CopyTo(d.Data.AsSpan(s));
            ranges.Add((s, e));
            d.Held += e - s;
            _heldBytes += e - s;
        }
    }

    private static bool IsComplete(Datagram d)
    {
        if (d.TotalLength < 0 || d.Header == null) return false;
        d.Ranges.Sort();
        int covered = 0;
        foreach (var (s, e) in d.Ranges)
        {
            if (s > covered) return false;
            covered = Math.Max(covered, e);
        }
        return covered >= d.TotalLength;
    }

    private ReadOnlySpan<byte> Build(Datagram d, bool isV6)
    {
        int hl = d.HeaderLength, n = hl + d.TotalLength;
        if (_output == null || _output.Length < n) _output = new byte[Math.Max(n, MaxDatagram + 64)];
        var o = _output.AsSpan(0, n);
        d.Header.AsSpan(0, hl).CopyTo(o);
        d.Data.AsSpan(0, d.TotalLength).CopyTo(o[hl..]);
        if (isV6)
        {
            o[d.NextHeaderOffset] = d.NextHeader;
            BinaryPrimitives.WriteUInt16BigEndian(o[4..], (ushort)Math.Min(n - 40, ushort.MaxValue));
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(o[2..], (ushort)Math.Min(n, ushort.MaxValue));
            BinaryPrimitives.WriteUInt16BigEndian(o[6..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(o[6..]) & 0x4000));
            o[10] = 0; o[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(o[10..], HeaderChecksum(o[..hl]));
        }
        return o;
    }

    private static ushort HeaderChecksum(ReadOnlySpan<byte> h)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < h.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(h[i..]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    private void Expire(long now)
    {
        // Scanning is O(pending); once per second of capture time is enough for 30/60 s timeouts.
        if (_pending.Count == 0 || now - _lastExpiry < 1_000_000_000) return;
        _lastExpiry = now;
        List<Key>? dead = null;
        foreach (var (k, d) in _pending)
        {
            long limit = k.Src.Version == 6 ? _opt.Ipv6TimeoutNs : _opt.Ipv4TimeoutNs;
            if (now - d.FirstTs > limit) (dead ??= []).Add(k);
        }
        if (dead == null) return;
        foreach (var k in dead) Drop(k);
    }

    private void DropOldest()
    {
        Key oldest = default; long ts = long.MaxValue;
        foreach (var (k, d) in _pending) if (d.FirstTs < ts) { ts = d.FirstTs; oldest = k; }
        if (ts != long.MaxValue) { _weirds.Report("fragment_limit", 0); Drop(oldest); }
    }

    private void Drop(Key k)
    {
        if (!_pending.Remove(k, out var d)) return;
        _heldBytes -= d.Held;
        ArrayPool<byte>.Shared.Return(d.Data);
    }
}

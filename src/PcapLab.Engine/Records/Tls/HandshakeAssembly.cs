namespace PcapLab.Records.Tls;

/// <summary>
/// Handshake bytes that arrive as pieces at offsets, in any order and possibly overlapping: QUIC CRYPTO frames and
/// DTLS handshake fragments. Keeps the received ranges sorted and disjoint so the usable prefix is known at once.
/// The caller bounds the offsets; the buffer grows to the highest end seen.
/// </summary>
internal sealed class HandshakeAssembly
{
    private byte[] _buf;
    private readonly List<(int Start, int End)> _ranges = [];

    /// <summary>Starts with room for <paramref name="capacity"/> bytes.</summary>
    public HandshakeAssembly(int capacity) => _buf = new byte[capacity];

    /// <summary>Bytes available from offset 0 without a hole.</summary>
    public int Contiguous => _ranges.Count > 0 && _ranges[0].Start == 0 ? _ranges[0].End : 0;

    /// <summary>The contiguous prefix.</summary>
    public ReadOnlySpan<byte> Prefix => _buf.AsSpan(0, Contiguous);

    /// <summary>Copies <paramref name="data"/> to <paramref name="offset"/>; later copies of the same bytes overwrite.</summary>
    public void Add(int offset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        int end = offset + data.Length;
        if (_buf.Length < end) Array.Resize(ref _buf, Math.Max(end, _buf.Length * 2));
        data.CopyTo(_buf.AsSpan(offset));
        int i = 0;
        while (i < _ranges.Count && _ranges[i].End < offset) i++;
        while (i < _ranges.Count && _ranges[i].Start <= end)
        {
            offset = Math.Min(offset, _ranges[i].Start);
            end = Math.Max(end, _ranges[i].End);
            _ranges.RemoveAt(i);
        }
        _ranges.Insert(i, (offset, end));
    }
}

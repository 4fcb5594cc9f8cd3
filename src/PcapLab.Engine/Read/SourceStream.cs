namespace PcapLab.Read;

/// <summary>
/// The capture's raw bytes as read: replays the few bytes sniffed for the magic, counts what was consumed
/// (for progress on compressed files), and remembers the last four bytes (the gzip trailer's uncompressed size).
/// </summary>
internal sealed class SourceStream(Stream inner, byte[] prefix) : Stream
{
    private int _prefixUsed;
    private uint _tail;

    /// <summary>Bytes handed out so far, prefix included.</summary>
    internal long BytesRead { get; private set; }

    /// <summary>The last four bytes handed out, as a little-endian number (a complete gzip file ends with ISIZE).</summary>
    internal uint LastFourBytes => _tail;

    public override int Read(Span<byte> buffer)
    {
        int n;
        if (_prefixUsed < prefix.Length)
        {
            n = Math.Min(buffer.Length, prefix.Length - _prefixUsed);
            prefix.AsSpan(_prefixUsed, n).CopyTo(buffer);
            _prefixUsed += n;
        }
        else n = inner.Read(buffer);
        Track(buffer[..n]);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private void Track(ReadOnlySpan<byte> got)
    {
        BytesRead += got.Length;
        foreach (byte b in got.Length > 4 ? got[^4..] : got) _tail = (_tail >> 8) | ((uint)b << 24);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

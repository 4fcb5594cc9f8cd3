namespace PcapLab.Read;

/// <summary>
/// Reads packets from a pcap or pcapng capture (optionally gzip-compressed), one at a time, without allocating per packet.
/// Bad content never throws: <see cref="TryRead"/> returns false and <see cref="Fault"/> says what and where.
/// </summary>
/// <example><code>
/// using var reader = CaptureReader.Open("evidence.pcapng");
/// while (reader.TryRead(out var p)) Console.WriteLine($"{p.TimestampNs} {p.CapturedLength}");
/// if (reader.Fault is { } f) Console.WriteLine(f.Message);
/// </code></example>
public sealed partial class CaptureReader : PcapLab.Ingest.IPacketSource
{
    private const int InitialBufferLength = 1 << 20;
    /// <summary>The buffer never grows past the largest legal block plus a little slack.</summary>
    private const int MaxBufferLength = PcapngReader.MaxBlockLength + 64 * 1024;

    private readonly SourceStream _source;
    private readonly Stream _input;
    private readonly CaptureContext _context;
    private byte[] _buffer;
    private int _start;        // next unread byte in _buffer
    private int _end;          // end of valid bytes in _buffer
    private long _bufferOffset; // uncompressed capture offset of _buffer[0]
    private bool _endOfInput;
    private bool _finished;
    private PcapReaderState _pcap;
    private PcapngReaderState _pcapng;
    private (ReadProblem Problem, long Offset, string? Detail)? _inputFault;

    /// <summary>The path (or display name) given to <c>Open</c>; every message starts with it.</summary>
    public string Path { get; }

    /// <summary>The file format found from the magic number.</summary>
    public CaptureFormat Format { get; }

    /// <summary>True when the file is gzip-compressed (detected by its 1f 8b magic, not its name).</summary>
    public bool IsGzip { get; }

    /// <summary>Why reading stopped early; null while reading goes on or after a clean end.</summary>
    public CaptureFault? Fault => _context.Fault;

    /// <summary>Non-fatal oddities met so far (the first <see cref="CaptureContext.MaxWarnings"/>), e.g. a packet longer than the snap length.</summary>
    public IReadOnlyList<CaptureWarning> Warnings => _context.Warnings;

    /// <summary>Packets returned so far.</summary>
    public long PacketsRead { get; private set; }

    /// <summary>Byte offset in the uncompressed capture of the next record or block.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Bytes of the file consumed so far (compressed bytes for gzip): pair with <see cref="SourceLength"/> for progress.</summary>
    public long SourcePosition => IsGzip ? _source.BytesRead : Position;

    /// <summary>Size of the file in bytes, or -1 when the stream cannot tell.</summary>
    public long SourceLength { get; }

    /// <summary>Interfaces seen so far (classic pcap: one, from the file header), indexed by their global id.</summary>
    public IReadOnlyList<CaptureInterface> Interfaces => _context.Interfaces;

    private CaptureReader(string path, CaptureFormat format, bool bigEndian, bool isGzip, SourceStream source, Stream input,
        long sourceLength, ReadOnlySpan<byte> firstBytes)
    {
        Path = path;
        Format = format;
        IsGzip = isGzip;
        _source = source;
        _input = input;
        SourceLength = sourceLength;
        _context = new CaptureContext(path);
        // Small uncompressed files get a buffer their size, so opening hundreds of them stays cheap.
        long wanted = !isGzip && sourceLength >= 0 ? Math.Max(sourceLength + 16, 64 * 1024) : InitialBufferLength;
        _buffer = new byte[Math.Min(wanted, InitialBufferLength)];
        firstBytes.CopyTo(_buffer);
        _end = firstBytes.Length;
        if (format == CaptureFormat.Pcapng) _pcapng = new PcapngReaderState(_context);
        else _pcap = new PcapReaderState(_context, format, bigEndian);
    }

    /// <summary>
    /// Reads the next packet. Returns false at the clean end of the capture, or when a fault stopped reading
    /// (then <see cref="Fault"/> is set). Never throws for bad content; the packet is valid until the next call.
    /// </summary>
    public bool TryRead(out PacketRecord packet)
    {
        packet = default;
        while (!_finished)
        {
            ReadOnlySpan<byte> chunk = _buffer.AsSpan(_start, _end - _start);
            long chunkOffset = _bufferOffset + _start;
            bool got;
            int consumed, needed;
            if (Format == CaptureFormat.Pcapng)
            {
                var reader = new PcapngReader(chunk, _endOfInput, chunkOffset, _pcapng);
                got = reader.TryReadPacket(out packet);
                _pcapng = reader.CurrentState;
                consumed = reader.BytesConsumed;
                needed = reader.BytesNeeded;
            }
            else
            {
                var reader = new PcapReader(chunk, _endOfInput, chunkOffset, _pcap);
                got = reader.TryReadRecord(out packet);
                _pcap = reader.CurrentState;
                consumed = reader.BytesConsumed;
                needed = reader.BytesNeeded;
            }
            _start += consumed;
            if (got)
            {
                PacketsRead++;
                return true;
            }
            if (_context.Fault is not null || _endOfInput) Finish();
            else Fill(needed);
        }
        packet = default;
        return false;
    }

    /// <summary>Makes at least <paramref name="needed"/> unread bytes available, or reaches the end of input.</summary>
    private void Fill(int needed)
    {
        if (_start > 0)
        {
            // Slide the unread tail to the front so the buffer never grows for ordinary records.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (needed > _buffer.Length)
            Array.Resize(ref _buffer, (int)Math.Min(Math.Max((long)needed, 2L * _buffer.Length), MaxBufferLength));
        while (_end < _buffer.Length)
        {
            int n = ReadInput(_buffer.AsSpan(_end));
            if (n == 0)
            {
                _endOfInput = true;
                CheckGzipEnd();
                return;
            }
            _end += n;
        }
    }

    /// <summary>One read from the (decompressed) input; stream errors end the input and are reported after the data before them.</summary>
    private int ReadInput(Span<byte> into)
    {
        try
        {
            return _input.Read(into);
        }
        catch (InvalidDataException e)
        {
            _inputFault = (ReadProblem.GzipCorrupt, _bufferOffset + _end, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException)
        {
            _inputFault = (ReadProblem.ReadFailed, _bufferOffset + _end, e.Message);
        }
        return 0;
    }

    /// <summary>
    /// .NET's GZipStream ends quietly on a stream cut short, so check the trailer: a complete member ends with
    /// ISIZE, the uncompressed length mod 2^32.
    /// </summary>
    private void CheckGzipEnd()
    {
        if (!IsGzip || _inputFault is not null) return;
        long total = _bufferOffset + _end;
        uint isize = _source.LastFourBytes;
        if ((uint)total != isize) _inputFault = (ReadProblem.GzipCutShort, total, null);
    }

    /// <summary>Stops reading: an input failure outranks the reader's own complaint about the bytes it left behind.</summary>
    private void Finish()
    {
        _finished = true;
        if (_inputFault is { } f)
        {
            string? detail = f.Detail ?? _context.Fault?.Message;
            _context.ReplaceFault(f.Problem, Position, f.Offset, _source.LastFourBytes, detail);
        }
    }

    /// <summary>Closes the file (or the stream given to <c>Open</c>).</summary>
    public void Dispose()
    {
        _finished = true;
        _input.Dispose();
        _source.Dispose();
    }
}

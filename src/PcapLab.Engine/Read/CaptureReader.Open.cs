using System.Buffers.Binary;
using System.IO.Compression;

namespace PcapLab.Read;

public sealed partial class CaptureReader
{
    /// <summary>Opens a capture file: pcap (µs, ns, modified; either byte order) or pcapng, each optionally gzip-compressed.</summary>
    /// <param name="path">The file; messages name it as given.</param>
    /// <exception cref="CaptureOpenException">Missing, a directory, empty, unreadable, or not a pcap/pcapng file.</exception>
    public static CaptureReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new CaptureOpenException(path, $"{path}: is a directory, not a capture file");
        if (!File.Exists(path)) throw new CaptureOpenException(path, $"{path}: no such file");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaptureOpenException(path, $"{path}: cannot be read: {e.Message}", e);
        }
        return Open(file, path);
    }

    /// <summary>Opens a capture from a stream, which the reader then owns and disposes.</summary>
    /// <param name="stream">The capture bytes (need not be seekable).</param>
    /// <param name="displayName">How messages name the capture.</param>
    /// <exception cref="CaptureOpenException">Empty, unreadable, or not a pcap/pcapng file.</exception>
    public static CaptureReader Open(Stream stream, string displayName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        try
        {
            return Sniff(stream, displayName);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static CaptureReader Sniff(Stream stream, string name)
    {
        long length = -1;
        try
        {
            if (stream.CanSeek) length = stream.Length - stream.Position;
        }
        catch (NotSupportedException) { }

        byte[] raw = ReadPrefix(stream, name, 4, "");
        if (raw.Length == 0) throw new CaptureOpenException(name, $"{name}: empty file");
        bool gzip = raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
        var source = new SourceStream(stream, raw);
        Stream input = source;
        byte[] magicBytes = raw;
        if (gzip)
        {
            input = new GZipStream(source, CompressionMode.Decompress);
            magicBytes = ReadPrefix(input, name, 4, " (gzip)");
            if (magicBytes.Length == 0) throw new CaptureOpenException(name, $"{name}: empty file (the gzip stream holds no data)");
        }
        if (!TryIdentify(magicBytes, out var format, out bool bigEndian))
        {
            var magic = magicBytes.Length >= 4 ? $"0x{BinaryPrimitives.ReadUInt32BigEndian(magicBytes):x8}" : Convert.ToHexStringLower(magicBytes);
            var inside = gzip ? " inside the gzip stream" : "";
            throw new CaptureOpenException(name, $"{name}: not a pcap or pcapng file (magic {magic} at offset 0{inside})");
        }
        // The raw prefix is replayed by the source; decompressed bytes already taken from the gzip stream are not.
        var reader = new CaptureReader(name, format, bigEndian, gzip, source, input, length, gzip ? magicBytes : []);
        reader.ReadPcapHeaderEarly();
        return reader;
    }

    /// <summary>Classic pcap describes its one interface up front, so make it visible before the first packet.</summary>
    private void ReadPcapHeaderEarly()
    {
        if (Format == CaptureFormat.Pcapng) return;
        Fill(PcapReader.FileHeaderLength);
        if (_end - _start < PcapReader.FileHeaderLength) return;   // TryRead reports the truncated header
        var reader = new PcapReader(_buffer.AsSpan(_start, _end - _start), _endOfInput, Position, _pcap);
        reader.TryReadFileHeader();
        _pcap = reader.CurrentState;
        _start += reader.BytesConsumed;
    }

    /// <summary>Reads up to <paramref name="count"/> bytes, fewer only at the end of the stream.</summary>
    private static byte[] ReadPrefix(Stream stream, string name, int count, string what)
    {
        var bytes = new byte[count];
        int got = 0;
        try
        {
            while (got < count)
            {
                int n = stream.Read(bytes, got, count - got);
                if (n == 0) break;
                got += n;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException)
        {
            throw new CaptureOpenException(name, $"{name}: cannot be read{what}: {e.Message}", e);
        }
        return bytes[..got];
    }

    /// <summary>Maps the first four bytes to a format; pcap magics also give the file's byte order.</summary>
    private static bool TryIdentify(ReadOnlySpan<byte> first, out CaptureFormat format, out bool bigEndian)
    {
        format = default;
        bigEndian = false;
        if (first.Length < 4) return false;
        uint le = BinaryPrimitives.ReadUInt32LittleEndian(first);
        if (le == PcapngReader.SectionHeaderType)
        {
            format = CaptureFormat.Pcapng;
            return true;
        }
        foreach (var (magic, f) in PcapMagics)
        {
            if (le == magic) { format = f; return true; }
            if (le == BinaryPrimitives.ReverseEndianness(magic)) { format = f; bigEndian = true; return true; }
        }
        return false;
    }

    private static readonly (uint Magic, CaptureFormat Format)[] PcapMagics =
    [
        (0xA1B2C3D4, CaptureFormat.Pcap),
        (0xA1B23C4D, CaptureFormat.PcapNanosecond),
        (0xA1B2CD34, CaptureFormat.PcapModified),
    ];
}

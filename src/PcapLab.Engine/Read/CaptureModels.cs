namespace PcapLab.Read;

/// <summary>The on-disk format of a capture file.</summary>
public enum CaptureFormat
{
    /// <summary>Classic libpcap with microsecond timestamps (magic a1b2c3d4).</summary>
    Pcap,
    /// <summary>Classic libpcap with nanosecond timestamps (magic a1b23c4d).</summary>
    PcapNanosecond,
    /// <summary>Kuznetzov's modified libpcap (magic a1b2cd34): 24-byte record headers, microsecond timestamps.</summary>
    PcapModified,
    /// <summary>pcapng: sections of blocks, several interfaces, per-interface timestamp resolution.</summary>
    Pcapng,
}

/// <summary>One capture interface: the single one a classic pcap header describes, or a pcapng Interface Description Block.</summary>
/// <param name="Id">Global interface index, unique across pcapng sections (what tshark shows as <c>frame.interface_id</c>).</param>
/// <param name="LinkType">Data-link type of every packet on this interface.</param>
/// <param name="SnapLength">Maximum bytes captured per packet; 0 means no limit was recorded.</param>
/// <param name="Name">The <c>if_name</c> option, or null.</param>
/// <param name="Description">The <c>if_description</c> option, or null.</param>
/// <param name="TsResolutionPerSecond">Timestamp units per second (10^6 by default; pcapng <c>if_tsresol</c> may set powers of 10 or 2).</param>
/// <param name="TsOffsetSeconds">Seconds added to every timestamp (pcapng <c>if_tsoffset</c>; 0 by default).</param>
public sealed record CaptureInterface(int Id, LinkType LinkType, int SnapLength, string? Name, string? Description,
    long TsResolutionPerSecond, long TsOffsetSeconds);

/// <summary>Why reading stopped before the end of a capture.</summary>
public enum CaptureFaultKind
{
    /// <summary>The file (or its gzip stream) ends in the middle of a header, record or block.</summary>
    Truncated,
    /// <summary>A header or block contradicts itself (impossible lengths, unknown interface, bad byte-order magic).</summary>
    Corrupt,
    /// <summary>The operating system or the gzip decoder failed to deliver bytes.</summary>
    IoError,
}

/// <summary>What stopped reading early. Packets before <paramref name="Offset"/> were already returned.</summary>
/// <param name="Kind">The kind of fault.</param>
/// <param name="Offset">Byte offset in the uncompressed capture of the record or block that could not be read.</param>
/// <param name="Message">A sentence naming the file and the offset, e.g. <c>x.pcap: truncated record body at offset 123 (needs 1514 bytes, 300 left)</c>.</param>
public sealed record CaptureFault(CaptureFaultKind Kind, long Offset, string Message);

/// <summary>A non-fatal oddity met while reading, such as a packet longer than the interface's snap length.</summary>
/// <param name="Offset">Byte offset in the uncompressed capture of the record or block concerned.</param>
/// <param name="Message">A sentence naming the file and the offset.</param>
public sealed record CaptureWarning(long Offset, string Message);

/// <summary>A capture could not be opened at all: missing, a directory, empty, unreadable, or not pcap/pcapng.</summary>
public sealed class CaptureOpenException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>; the message should name the file.</summary>
    public CaptureOpenException(string path, string message, Exception? inner = null) : base(message, inner) => Path = path;

    /// <summary>The path or display name that failed to open.</summary>
    public string Path { get; }
}

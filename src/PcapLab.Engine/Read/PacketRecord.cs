namespace PcapLab.Read;

/// <summary>
/// One packet as stored in a capture. A view into the reader's buffer: valid only until the next
/// <see cref="CaptureReader.TryRead"/>; copy <see cref="Data"/> if you need it longer.
/// </summary>
public readonly ref struct PacketRecord
{
    internal PacketRecord(long timestampNs, int originalLength, int interfaceId, LinkType linkType, ReadOnlySpan<byte> data, long offset)
    {
        TimestampNs = timestampNs;
        OriginalLength = originalLength;
        InterfaceId = interfaceId;
        LinkType = linkType;
        Data = data;
        Offset = offset;
    }

    /// <summary>Capture time as nanoseconds since the Unix epoch (interface resolution and offset applied).</summary>
    public long TimestampNs { get; }

    /// <summary>Bytes of the packet present in the file (the length of <see cref="Data"/>).</summary>
    public int CapturedLength => Data.Length;

    /// <summary>Length of the packet on the wire, which may exceed <see cref="CapturedLength"/> when a snap length cut it.</summary>
    public int OriginalLength { get; }

    /// <summary>Global interface index (unique across pcapng sections); 0 for classic pcap.</summary>
    public int InterfaceId { get; }

    /// <summary>Link type of the interface; unnamed values are kept as their number.</summary>
    public LinkType LinkType { get; }

    /// <summary>The captured bytes, starting at the link-layer header.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Byte offset of the record (pcap) or block (pcapng) in the uncompressed capture.</summary>
    public long Offset { get; }

    /// <summary>The same packet with its offset moved by <paramref name="delta"/> (chunk-relative to file-relative).</summary>
    internal PacketRecord Rebase(long delta) => new(TimestampNs, OriginalLength, InterfaceId, LinkType, Data, Offset + delta);
}

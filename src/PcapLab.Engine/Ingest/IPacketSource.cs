using PcapLab.Read;

namespace PcapLab.Ingest;

/// <summary>
/// Where the ingest pipeline gets packets: a capture file (<see cref="CaptureReader"/>) or a live interface.
/// Both fill the same tables the same way.
/// </summary>
public interface IPacketSource : IDisposable
{
    /// <summary>The next packet; false at the end of input or when a fault stops reading (see <see cref="Fault"/>).</summary>
    bool TryRead(out PacketRecord packet);
    /// <summary>Why reading stopped early, or null.</summary>
    CaptureFault? Fault { get; }
    /// <summary>Non-fatal oddities met so far.</summary>
    IReadOnlyList<CaptureWarning> Warnings { get; }
    /// <summary>Interfaces seen so far.</summary>
    IReadOnlyList<CaptureInterface> Interfaces { get; }
    /// <summary>Byte offset of the next record in the capture file (what <c>packets.file_offset</c> refers to).</summary>
    long Position { get; }
    /// <summary>Input consumed so far, for progress.</summary>
    long SourcePosition { get; }
    /// <summary>Total input size for progress, or 0 when unknown (live).</summary>
    long SourceLength { get; }
}

using System.Globalization;
using System.Runtime.CompilerServices;

namespace PcapLab.Read;

/// <summary>Every fault and warning the readers can report; <see cref="CaptureContext"/> turns one into a sentence.</summary>
internal enum ReadProblem : byte
{
    None,
    // Faults: reading stops.
    TruncatedFileHeader,
    TruncatedRecordHeader,
    TruncatedRecordBody,
    PacketTooLarge,
    TruncatedBlockHeader,
    TruncatedBlock,
    BlockLengthNotMultipleOf4,
    BlockLengthTooShort,
    BlockLengthTooLarge,
    BlockTrailerMismatch,
    BadByteOrderMagic,
    UnsupportedVersion,
    UnknownInterface,
    PacketExceedsBlock,
    BadTimestampResolution,
    GzipCutShort,
    GzipCorrupt,
    ReadFailed,
    // Warnings: reading goes on.
    CaptureLengthOverSnapLength,
    CaptureLengthOverOriginalLength,
    MalformedOptions,
}

/// <summary>Wording of <see cref="ReadProblem"/>s; built only when something goes wrong, so it may allocate.</summary>
internal static class ReadProblemText
{
    /// <summary>Largest packet accepted (the 256 KiB that libpcap and Wireshark use for ordinary link types).</summary>
    internal const int MaxPacketLength = 256 * 1024;

    internal static CaptureFaultKind KindOf(ReadProblem p) => p switch
    {
        ReadProblem.TruncatedFileHeader or ReadProblem.TruncatedRecordHeader or ReadProblem.TruncatedRecordBody
            or ReadProblem.TruncatedBlockHeader or ReadProblem.TruncatedBlock or ReadProblem.GzipCutShort => CaptureFaultKind.Truncated,
        ReadProblem.ReadFailed => CaptureFaultKind.IoError,
        _ => CaptureFaultKind.Corrupt,
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static string Describe(string file, ReadProblem p, long offset, long a, long b)
    {
        var o = offset.ToString(CultureInfo.InvariantCulture);
        var text = p switch
        {
            ReadProblem.TruncatedFileHeader => $"truncated file header at offset {o} (needs {a} bytes, {b} left)",
            ReadProblem.TruncatedRecordHeader => $"truncated record header at offset {o} (needs {a} bytes, {b} left)",
            ReadProblem.TruncatedRecordBody => $"truncated record body at offset {o} (needs {a} bytes, {b} left)",
            ReadProblem.PacketTooLarge => $"packet at offset {o} claims {a} captured bytes, more than the {MaxPacketLength}-byte maximum",
            ReadProblem.TruncatedBlockHeader => $"truncated block header at offset {o} (needs {a} bytes, {b} left)",
            ReadProblem.TruncatedBlock => $"truncated block at offset {o} (block length {a}, {b} bytes left)",
            ReadProblem.BlockLengthNotMultipleOf4 => $"block at offset {o} has length {a}, not a multiple of 4",
            ReadProblem.BlockLengthTooShort => $"block at offset {o} has length {a}, shorter than the {b}-byte minimum for its type",
            ReadProblem.BlockLengthTooLarge => $"block at offset {o} has length {a}, larger than the {b}-byte limit",
            ReadProblem.BlockTrailerMismatch => $"block at offset {o} ends with length {b} but starts with length {a}",
            ReadProblem.BadByteOrderMagic => $"section header at offset {o} has byte-order magic 0x{a:x8}, expected 0x1a2b3c4d",
            ReadProblem.UnsupportedVersion => $"section header at offset {o} has version {a}.{b}; only 1.x is supported",
            ReadProblem.UnknownInterface => $"packet block at offset {o} names interface {a}, but its section has {b} interface(s)",
            ReadProblem.PacketExceedsBlock => $"packet block at offset {o} claims {a} captured bytes, but the block holds only {b}",
            ReadProblem.BadTimestampResolution => $"interface block at offset {o} has unsupported if_tsresol 0x{a:x2}",
            ReadProblem.GzipCutShort => $"gzip stream cut short: the data ends at uncompressed offset {a}, reading stopped at offset {o}",
            ReadProblem.GzipCorrupt => $"gzip data corrupt at uncompressed offset {a}, reading stopped at offset {o}",
            ReadProblem.ReadFailed => $"read failed at offset {a}, reading stopped at offset {o}",
            ReadProblem.CaptureLengthOverSnapLength => $"packet at offset {o} has {a} captured bytes, more than the snap length {b}",
            ReadProblem.CaptureLengthOverOriginalLength => $"packet at offset {o} has {a} captured bytes, more than its original length {b}",
            ReadProblem.MalformedOptions => $"block at offset {o} has options that overrun the block; the rest were ignored",
            _ => $"problem {p} at offset {o}",
        };
        return file + ": " + text;
    }
}

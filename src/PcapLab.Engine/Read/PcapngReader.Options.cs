using System.Buffers.Binary;
using System.Text;

namespace PcapLab.Read;

internal ref partial struct PcapngReader
{
    private const ushort EndOfOptions = 0;
    private const ushort IfName = 2;
    private const ushort IfDescription = 3;
    private const ushort IfTsResol = 9;
    private const ushort IfTsOffset = 14;

    /// <summary>The IDB options PcapLab keeps; the rest are skipped.</summary>
    private struct InterfaceOptions
    {
        internal string? Name;
        internal string? Description;
        internal long UnitsPerSecond;
        internal long OffsetSeconds;
    }

    /// <summary>
    /// Walks the IDB's option list (code, length, value padded to 4). An option running past the block is a warning,
    /// not a fault: the packets are still readable. An unusable <c>if_tsresol</c> is a fault: every timestamp would be wrong.
    /// </summary>
    private readonly bool TryReadInterfaceOptions(PcapngBlock block, ReadOnlySpan<byte> options, out InterfaceOptions result)
    {
        result = new InterfaceOptions { UnitsPerSecond = 1_000_000 };
        while (options.Length >= 4)
        {
            ushort code = ReadUInt16(options);
            int length = ReadUInt16(options[2..]);
            if (code == EndOfOptions) break;
            int padded = (length + 3) & ~3;
            if (options.Length - 4 < padded)
            {
                _state.Context.Warn(ReadProblem.MalformedOptions, block.Offset);
                break;
            }
            ReadOnlySpan<byte> value = options.Slice(4, length);
            switch (code)
            {
                case IfName:
                    result.Name = Text(value);
                    break;
                case IfDescription:
                    result.Description = Text(value);
                    break;
                case IfTsResol when length >= 1:
                    if (!TimeScale.TryUnitsPerSecond(value[0], out result.UnitsPerSecond))
                        return Fault(block, ReadProblem.BadTimestampResolution, value[0]);
                    break;
                case IfTsOffset when length >= 8:
                    result.OffsetSeconds = _state.BigEndian ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value);
                    break;
            }
            options = options[(4 + padded)..];
        }
        return true;
    }

    /// <summary>UTF-8 option text without the trailing NULs some writers add.</summary>
    private static string Text(ReadOnlySpan<byte> value) => Encoding.UTF8.GetString(value.TrimEnd((byte)0));
}

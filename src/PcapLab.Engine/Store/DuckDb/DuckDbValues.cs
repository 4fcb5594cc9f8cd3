using System.Buffers.Binary;

namespace PcapLab.Store.DuckDb;

/// <summary>Conversions between DuckDB's storage formats and .NET values, shared by reader, parameters and appender.</summary>
internal static class DuckDbValues
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;
    private const int UnixEpochDayNumber = 719_162; // DateOnly(1970, 1, 1).DayNumber

    // DuckDB stores +/-infinity as the extreme int64 values; they map to DateTime.MaxValue/MinValue.
    internal static DateTime TimestampFromTicks(long ticksSinceEpoch, long raw) => raw switch
    {
        long.MaxValue => DateTime.MaxValue,
        -long.MaxValue => DateTime.MinValue,
        _ => new DateTime(checked(UnixEpochTicks + ticksSinceEpoch), DateTimeKind.Unspecified),
    };

    internal static DateTime Timestamp(DuckDbType type, long raw) => type switch
    {
        DuckDbType.TimestampS => TimestampFromTicks(raw is long.MaxValue or -long.MaxValue ? 0 : checked(raw * TimeSpan.TicksPerSecond), raw),
        DuckDbType.TimestampMs => TimestampFromTicks(raw is long.MaxValue or -long.MaxValue ? 0 : checked(raw * TimeSpan.TicksPerMillisecond), raw),
        DuckDbType.TimestampNs => TimestampFromTicks(raw / 100, raw),
        _ => TimestampFromTicks(raw is long.MaxValue or -long.MaxValue ? 0 : checked(raw * TimeSpan.TicksPerMicrosecond), raw),
    };

    /// <summary>The timestamp in the unit of <paramref name="type"/> (TIMESTAMP[_S|_MS|_NS|TZ]); DateTime.Kind is ignored.</summary>
    internal static long ToTimestamp(DuckDbType type, DateTime value)
    {
        long ticks = value.Ticks - UnixEpochTicks;
        return type switch
        {
            DuckDbType.TimestampS => ticks / TimeSpan.TicksPerSecond,
            DuckDbType.TimestampMs => ticks / TimeSpan.TicksPerMillisecond,
            DuckDbType.TimestampNs => checked(ticks * 100),
            _ => ticks / TimeSpan.TicksPerMicrosecond,
        };
    }

    internal static DateOnly Date(int days) => days switch
    {
        int.MaxValue => DateOnly.MaxValue,
        -int.MaxValue => DateOnly.MinValue,
        _ => DateOnly.FromDayNumber(checked(UnixEpochDayNumber + days)),
    };

    internal static int ToDate(DateOnly d) => d.DayNumber - UnixEpochDayNumber;

    internal static long ToTime(TimeOnly t) => t.Ticks / TimeSpan.TicksPerMicrosecond;

    // UUIDs are stored as a HUGEINT whose top bit is flipped so that signed order equals textual order.
    internal static Guid Uuid(Int128 stored)
    {
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(b, (ulong)(stored >> 64) ^ 0x8000_0000_0000_0000);
        BinaryPrimitives.WriteUInt64BigEndian(b[8..], (ulong)stored);
        return new Guid(b, bigEndian: true);
    }

    /// <summary>The UUID's 128 bits as an unsigned number (what duckdb_create_uuid takes).</summary>
    internal static UInt128 UuidBits(Guid g)
    {
        Span<byte> b = stackalloc byte[16];
        g.TryWriteBytes(b, bigEndian: true, out _);
        return new UInt128(BinaryPrimitives.ReadUInt64BigEndian(b), BinaryPrimitives.ReadUInt64BigEndian(b[8..]));
    }

    internal static Int128 ToUuidStorage(Guid g)
    {
        var bits = UuidBits(g);
        return (Int128)(bits ^ ((UInt128)0x8000_0000_0000_0000 << 64));
    }

    /// <summary>A DECIMAL's unscaled integer to <see cref="decimal"/>; throws OverflowException beyond 96 bits.</summary>
    internal static decimal Decimal(Int128 unscaled, byte scale)
    {
        bool negative = unscaled < 0;
        UInt128 abs = negative ? (UInt128)(-unscaled) : (UInt128)unscaled;
        if (abs >> 96 != 0) throw new OverflowException($"DECIMAL value with {scale} decimals does not fit System.Decimal");
        return new decimal((int)(uint)abs, (int)(uint)(abs >> 32), (int)(uint)(abs >> 64), negative, scale);
    }

    /// <summary>Unscaled value at <paramref name="scale"/> decimals (rounds half away from zero like a DECIMAL cast).</summary>
    internal static Int128 ToUnscaled(decimal value, byte scale)
    {
        decimal rounded = Math.Round(value, scale, MidpointRounding.AwayFromZero);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(rounded, bits);
        UInt128 mantissa = new UInt128((uint)bits[2], ((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        int have = (bits[3] >> 16) & 0xFF;
        Int128 v = (Int128)mantissa;
        for (int i = have; i < scale; i++) v = checked(v * 10);
        return bits[3] < 0 ? -v : v;
    }

    /// <summary>Decimal digits of the value (its minimal DECIMAL width).</summary>
    internal static byte Digits(Int128 unscaled)
    {
        UInt128 abs = unscaled < 0 ? (UInt128)(-unscaled) : (UInt128)unscaled;
        byte n = 1;
        while (abs >= 10) { abs /= 10; n++; }
        return n;
    }
}

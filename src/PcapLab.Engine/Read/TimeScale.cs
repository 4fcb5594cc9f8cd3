namespace PcapLab.Read;

/// <summary>Turns an interface's raw timestamp (units since its offset) into Unix epoch nanoseconds.</summary>
internal readonly struct TimeScale
{
    private const long NsPerSecond = 1_000_000_000;
    private readonly long _nsPerUnit;   // non-zero when a unit is a whole number of nanoseconds: the fast path
    private readonly long _offsetNs;

    internal TimeScale(long unitsPerSecond, long offsetSeconds)
    {
        UnitsPerSecond = unitsPerSecond;
        OffsetSeconds = offsetSeconds;
        _nsPerUnit = unitsPerSecond <= NsPerSecond && NsPerSecond % unitsPerSecond == 0 ? NsPerSecond / unitsPerSecond : 0;
        _offsetNs = unchecked(offsetSeconds * NsPerSecond);
    }

    /// <summary>Microseconds, no offset: the pcapng default and classic pcap.</summary>
    internal static TimeScale Microseconds => new(1_000_000, 0);

    internal long UnitsPerSecond { get; }
    internal long OffsetSeconds { get; }

    /// <summary>Nanoseconds since the epoch; finer units are rounded to the nearest nanosecond. Never throws.</summary>
    internal long ToNanoseconds(ulong units)
    {
        if (_nsPerUnit != 0) return unchecked((long)units * _nsPerUnit + _offsetNs);
        return unchecked(Slow(units) + _offsetNs);
    }

    private long Slow(ulong units)
    {
        ulong per = (ulong)UnitsPerSecond;
        ulong seconds = units / per, rest = units % per;
        UInt128 ns = ((UInt128)rest * NsPerSecond + per / 2) / per;
        return unchecked((long)seconds * NsPerSecond + (long)(ulong)ns);
    }

    /// <summary>Decodes pcapng's <c>if_tsresol</c> byte: high bit clear = 10^-n, set = 2^-n. False when too fine to represent.</summary>
    internal static bool TryUnitsPerSecond(byte tsresol, out long unitsPerSecond)
    {
        int n = tsresol & 0x7F;
        unitsPerSecond = 0;
        if ((tsresol & 0x80) != 0)
        {
            if (n > 62) return false;
            unitsPerSecond = 1L << n;
            return true;
        }
        if (n > 18) return false;
        unitsPerSecond = 1;
        for (int i = 0; i < n; i++) unitsPerSecond *= 10;
        return true;
    }
}

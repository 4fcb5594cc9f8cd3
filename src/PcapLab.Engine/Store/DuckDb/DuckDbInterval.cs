namespace PcapLab.Store.DuckDb;

/// <summary>
/// A DuckDB INTERVAL: months, days and microseconds are kept apart because a month has no fixed length
/// (<c>INTERVAL 1 MONTH</c> is not 30 days). Bind a <see cref="TimeSpan"/> for month-free intervals.
/// </summary>
/// <param name="Months">Whole months.</param>
/// <param name="Days">Whole days.</param>
/// <param name="Micros">Microseconds.</param>
public readonly record struct DuckDbInterval(int Months, int Days, long Micros)
{
    /// <summary>The interval as a <see cref="TimeSpan"/> (a day = 24 h); throws when <see cref="Months"/> is not zero.</summary>
    public TimeSpan ToTimeSpan() => Months == 0
        ? TimeSpan.FromDays(Days) + TimeSpan.FromTicks(checked(Micros * TimeSpan.TicksPerMicrosecond))
        : throw new InvalidCastException($"interval of {Months} month(s) has no fixed length; read Months/Days/Micros instead");

    /// <summary>A month-free interval: whole days plus the remainder in microseconds.</summary>
    public static DuckDbInterval FromTimeSpan(TimeSpan span) =>
        new(0, span.Days, (span.Ticks - span.Days * TimeSpan.TicksPerDay) / TimeSpan.TicksPerMicrosecond);
}

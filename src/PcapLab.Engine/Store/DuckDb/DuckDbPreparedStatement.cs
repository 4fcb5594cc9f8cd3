using System.Buffers;
using System.Text;

namespace PcapLab.Store.DuckDb;

/// <summary>
/// A parsed and planned statement, run many times with different parameters. Parameters bind by position
/// (<c>$1</c>, <c>?</c>): null, bool, sbyte/short/int/long, byte/ushort/uint/ulong, Int128/UInt128, float, double,
/// decimal, string, byte[] / ReadOnlyMemory&lt;byte&gt; (BLOB), DateTime (TIMESTAMP, wall clock, Kind ignored),
/// DateTimeOffset (TIMESTAMP WITH TIME ZONE), DateOnly, TimeOnly, TimeSpan and <see cref="DuckDbInterval"/> (INTERVAL),
/// Guid (UUID), and C# enums (their number). Values are never formatted into the SQL text.
/// </summary>
public sealed class DuckDbPreparedStatement : IDisposable
{
    private readonly DuckPreparedHandle _handle;
    private bool _disposed; // the handle stays usable while readers pin it, so disposal is tracked here

    internal DuckDbPreparedStatement(DuckPreparedHandle handle)
    {
        _handle = handle;
        ParameterCount = (int)NativeMethods.Prepared.ParameterCount(handle);
    }

    /// <summary>Number of parameters the statement expects.</summary>
    public int ParameterCount { get; }

    /// <summary>Runs the statement to completion and returns the rows it changed.</summary>
    public long Execute(params object?[] parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        BindAll(parameters ?? []);
        using var result = new DuckResultHandle();
        result.Pin(_handle);
        if (NativeMethods.Prepared.Execute(_handle, result) != DuckDbState.Success) DuckDbError.ThrowResultError(result, "execute failed");
        return (long)NativeMethods.Query.RowsChanged(result);
    }

    /// <summary>Runs the statement and streams its rows.</summary>
    public DuckDbReader Query(params object?[] parameters) => QueryCore(parameters ?? [], ownsStatement: false);

    internal DuckDbReader QueryCore(object?[] parameters, bool ownsStatement)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        BindAll(parameters);
        if (NativeMethods.Pending.PrepareStreaming(_handle, out var pending) != DuckDbState.Success)
        {
            using (pending) DuckDbError.Throw(pending.IsInvalid ? null : NativeMethods.Pending.Error(pending), "execute failed");
        }
        var result = new DuckResultHandle();
        result.Pin(_handle);
        DuckDbState state;
        using (pending) state = NativeMethods.Pending.Execute(pending, result);
        if (state != DuckDbState.Success)
        {
            using (result) DuckDbError.ThrowResultError(result, "execute failed");
        }
        return new DuckDbReader(result, ownsStatement ? this : null);
    }

    private void BindAll(object?[] parameters)
    {
        if (parameters.Length != ParameterCount)
            throw new ArgumentException($"the statement has {ParameterCount} parameter(s) but {parameters.Length} value(s) were given", nameof(parameters));
        if (NativeMethods.Prepared.ClearBindings(_handle) != DuckDbState.Success) DuckDbError.Throw(null, "could not clear bindings");
        for (int i = 0; i < parameters.Length; i++)
        {
            if (Bind((ulong)i + 1, parameters[i]) != DuckDbState.Success)
                DuckDbError.Throw(NativeMethods.Prepared.Error(_handle) is { Length: > 0 } e ? e : null,
                    $"could not bind parameter ${i + 1} ({parameters[i]?.GetType().Name ?? "null"}) to the statement");
        }
    }

    private unsafe DuckDbState Bind(ulong i, object? value)
    {
        var s = _handle;
        switch (value)
        {
            case null: return NativeMethods.Bind.Null(s, i);
            case bool v: return NativeMethods.Bind.Boolean(s, i, v ? (byte)1 : (byte)0);
            case sbyte v: return NativeMethods.Bind.Int8(s, i, v);
            case short v: return NativeMethods.Bind.Int16(s, i, v);
            case int v: return NativeMethods.Bind.Int32(s, i, v);
            case long v: return NativeMethods.Bind.Int64(s, i, v);
            case byte v: return NativeMethods.Bind.UInt8(s, i, v);
            case ushort v: return NativeMethods.Bind.UInt16(s, i, v);
            case uint v: return NativeMethods.Bind.UInt32(s, i, v);
            case ulong v: return NativeMethods.Bind.UInt64(s, i, v);
            case Int128 v: return NativeMethods.Bind.HugeInt(s, i, new DuckHugeInt(v));
            case UInt128 v: return NativeMethods.Bind.UHugeInt(s, i, new DuckUHugeInt(v));
            case float v: return NativeMethods.Bind.Float(s, i, v);
            case double v: return NativeMethods.Bind.Double(s, i, v);
            case decimal v:
            {
                byte scale = v.Scale;
                var unscaled = DuckDbValues.ToUnscaled(v, scale);
                // One integer digit at least, so DuckDB prints 0.001 rather than .001.
                byte width = Math.Max(DuckDbValues.Digits(unscaled), (byte)(scale + 1));
                return NativeMethods.Bind.Decimal(s, i, new DuckDecimal { Width = width, Scale = scale, Value = new DuckHugeInt(unscaled) });
            }
            case string v: return BindUtf8(i, v);
            case byte[] v: fixed (byte* p = v) return NativeMethods.Bind.Blob(s, i, p, (ulong)v.Length);
            case ReadOnlyMemory<byte> v: fixed (byte* p = v.Span) return NativeMethods.Bind.Blob(s, i, p, (ulong)v.Length);
            case DateTime v: return NativeMethods.Bind.Timestamp(s, i, DuckDbValues.ToTimestamp(DuckDbType.Timestamp, v));
            case DateTimeOffset v: return NativeMethods.Bind.TimestampTz(s, i, DuckDbValues.ToTimestamp(DuckDbType.TimestampTz, v.UtcDateTime));
            case DateOnly v: return NativeMethods.Bind.Date(s, i, DuckDbValues.ToDate(v));
            case TimeOnly v: return NativeMethods.Bind.Time(s, i, DuckDbValues.ToTime(v));
            case TimeSpan v: return BindInterval(i, DuckDbInterval.FromTimeSpan(v));
            case DuckDbInterval v: return BindInterval(i, v);
            case Guid v:
            {
                using var uuid = NativeMethods.Value.CreateUuid(new DuckUHugeInt(DuckDbValues.UuidBits(v)));
                return NativeMethods.Bind.Value(s, i, uuid);
            }
            case Enum v: return Bind(i, Convert.ChangeType(v, v.GetTypeCode(), null));
            default: throw new ArgumentException($"parameter ${i} has type {value.GetType().Name}, which DuckDbPreparedStatement cannot bind");
        }
    }

    private DuckDbState BindInterval(ulong i, DuckDbInterval v) =>
        NativeMethods.Bind.Interval(_handle, i, new DuckInterval { Months = v.Months, Days = v.Days, Micros = v.Micros });

    private unsafe DuckDbState BindUtf8(ulong i, string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int n = Encoding.UTF8.GetBytes(value, buffer);
            fixed (byte* p = buffer) return NativeMethods.Bind.VarChar(_handle, i, p, (ulong)n);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Frees the statement (after any reader still streaming from it).</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }
}

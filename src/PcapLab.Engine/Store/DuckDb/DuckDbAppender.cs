using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace PcapLab.Store.DuckDb;

/// <summary>
/// Bulk loader into one table. Fast path, column-wise: fill up to <see cref="VectorSize"/> rows of the current chunk
/// (<see cref="Column{T}"/> spans for fixed-width columns, <see cref="SetString(int,int,ReadOnlySpan{byte})"/>,
/// <see cref="SetBlob"/>, <see cref="SetNull"/>), then <see cref="AppendChunk"/>; one duckdb_append_data_chunk per chunk
/// and no allocation per row or per chunk. Slow path for small tables: <see cref="AppendRow"/>. Don't mix the two
/// within one chunk. Rows become visible after <see cref="Flush"/> or <see cref="Dispose"/>. One thread at a time.
/// </summary>
/// <example><code>
/// using var app = con.CreateAppender("packets");
/// var frame = app.Column&lt;long&gt;(1);
/// for (int r = 0; r &lt; n; r++) { frame[r] = r + 1; app.SetString(10, r, srcIpUtf8); }
/// app.AppendChunk(n);
/// </code></example>
public sealed unsafe class DuckDbAppender : IDisposable
{
    private static readonly int s_vectorSize = (int)NativeMethods.Helpers.VectorSize();
    private readonly DuckAppenderHandle _handle;
    private readonly DuckDataChunkHandle _chunk;
    private readonly nint _chunkPtr; // raw for the trivial calls; valid while _chunk is (we own both)
    private readonly DuckDbColumnType[] _types;
    private readonly nint[] _vectors, _data;
    private readonly nint[] _validity; // ulong*, made writable on the first NULL of a chunk
    private int _pendingRows; // rows filled by AppendRow in the current chunk
    private bool _disposed;

    internal DuckDbAppender(DuckConnectionHandle connection, string? schema, string table)
    {
        if (NativeMethods.Appender.Create(connection, schema, table, out _handle) != DuckDbState.Success)
        {
            using (_handle) DuckDbError.ThrowAppenderError(_handle, $"could not create an appender for table '{table}'");
        }
        _handle.Pin(connection);
        try
        {
            int n = (int)NativeMethods.Appender.ColumnCount(_handle);
            _types = new DuckDbColumnType[n];
            var logical = new DuckLogicalTypeHandle[n];
            var raw = new nint[n];
            try
            {
                for (int i = 0; i < n; i++)
                {
                    _types[i] = DuckDbColumnType.From(NativeMethods.Appender.ColumnType(_handle, (ulong)i));
                    logical[i] = NativeMethods.Appender.ColumnType(_handle, (ulong)i);
                    raw[i] = logical[i].DangerousGetHandle();
                }
                fixed (nint* p = raw) _chunk = NativeMethods.DataChunk.Create(p, (ulong)n);
            }
            finally
            {
                foreach (var l in logical) l?.Dispose();
            }
            if (_chunk.IsInvalid) throw new DuckDbException($"could not create a data chunk for table '{table}'");
            _chunkPtr = _chunk.DangerousGetHandle();
            _vectors = new nint[n];
            _data = new nint[n];
            _validity = new nint[n];
            RefreshVectors();
        }
        catch
        {
            _chunk?.Dispose();
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>Number of columns in the table.</summary>
    public int ColumnCount => _types.Length;

    /// <summary>Rows per chunk (DuckDB's vector size, 2048).</summary>
    public int VectorSize => s_vectorSize;

    /// <summary>Type id of column <paramref name="col"/>.</summary>
    public DuckDbType GetColumnType(int col) => _types[CheckColumn(col)].Id;

    /// <summary>
    /// The current chunk's storage for a fixed-width column, <see cref="VectorSize"/> rows long. T must match the column:
    /// BOOLEAN byte or bool; TINYINT sbyte; SMALLINT short; INTEGER int; BIGINT long; UTINYINT byte; USMALLINT ushort;
    /// UINTEGER uint; UBIGINT ulong; HUGEINT Int128; UHUGEINT UInt128; FLOAT float; DOUBLE double; DATE int (days since
    /// 1970); TIME long (µs); TIMESTAMP, TIMESTAMP WITH TIME ZONE long (µs since 1970), TIMESTAMP_S/_MS/_NS long in
    /// their unit; DECIMAL its storage integer (unscaled). Valid until the next <see cref="AppendChunk"/>.
    /// </summary>
    public Span<T> Column<T>(int col) where T : unmanaged
    {
        ThrowIfDisposed();
        var type = _types[CheckColumn(col)];
        if (!Fits<T>(type)) throw new InvalidOperationException($"column {col} is {type.Name}; Column<{typeof(T).Name}> does not match its storage");
        return new Span<T>((void*)_data[col], s_vectorSize);
    }

    private static bool Fits<T>(DuckDbColumnType t)
    {
        var id = t.Id == DuckDbType.Decimal ? t.InternalType : t.Id;
        if (typeof(T) == typeof(long)) return id is DuckDbType.BigInt or DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs or DuckDbType.TimestampNs or DuckDbType.TimestampTz or DuckDbType.Time;
        if (typeof(T) == typeof(int)) return id is DuckDbType.Integer or DuckDbType.Date;
        if (typeof(T) == typeof(short)) return id is DuckDbType.SmallInt;
        if (typeof(T) == typeof(sbyte)) return id is DuckDbType.TinyInt;
        if (typeof(T) == typeof(ulong)) return id is DuckDbType.UBigInt;
        if (typeof(T) == typeof(uint)) return id is DuckDbType.UInteger;
        if (typeof(T) == typeof(ushort)) return id is DuckDbType.USmallInt;
        if (typeof(T) == typeof(byte)) return id is DuckDbType.UTinyInt or DuckDbType.Boolean;
        if (typeof(T) == typeof(bool)) return id is DuckDbType.Boolean;
        if (typeof(T) == typeof(double)) return id is DuckDbType.Double;
        if (typeof(T) == typeof(float)) return id is DuckDbType.Float;
        if (typeof(T) == typeof(Int128)) return id is DuckDbType.HugeInt;
        if (typeof(T) == typeof(UInt128)) return id is DuckDbType.UHugeInt;
        return false;
    }

    /// <summary>Sets a VARCHAR cell from UTF-8 bytes (validated; DuckDB copies them).</summary>
    /// <exception cref="ArgumentException">The bytes are not valid UTF-8.</exception>
    public void SetString(int col, int row, ReadOnlySpan<byte> utf8)
    {
        CheckCell(col, row, DuckDbType.VarChar);
        if (!Utf8.IsValid(utf8)) throw new ArgumentException($"column {col} row {row}: bytes are not valid UTF-8", nameof(utf8));
        WriteBytes(col, row, utf8);
    }

    /// <summary>Sets a VARCHAR cell.</summary>
    public void SetString(int col, int row, string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        CheckCell(col, row, DuckDbType.VarChar);
        int max = Encoding.UTF8.GetMaxByteCount(s.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            WriteBytes(col, row, buffer[..Encoding.UTF8.GetBytes(s, buffer)]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Sets a BLOB cell (DuckDB copies the bytes).</summary>
    public void SetBlob(int col, int row, ReadOnlySpan<byte> b)
    {
        CheckCell(col, row, DuckDbType.Blob);
        WriteBytes(col, row, b);
    }

    // duckdb_string_t: up to 12 bytes live inline (zero-padded, no native call); longer ones go to the vector's heap.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteBytes(int col, int row, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= 12)
        {
            byte* cell = (byte*)_data[col] + (nint)row * 16;
            *(uint*)cell = (uint)bytes.Length;
            var inline = new Span<byte>(cell + 4, 12);
            inline.Clear();
            bytes.CopyTo(inline);
            return;
        }
        fixed (byte* p = bytes) NativeMethods.Vector.AssignStringUnchecked(_vectors[col], (ulong)row, p, (ulong)bytes.Length);
    }

    /// <summary>
    /// Sets a LIST cell of a fixed-width element type (INTEGER[], FLOAT[], DOUBLE[], BIGINT[], ...) by copying
    /// <paramref name="values"/> into the list's child vector. A null array stores SQL NULL.
    /// </summary>
    public void SetList<T>(int col, int row, ReadOnlySpan<T> values) where T : unmanaged
    {
        CheckCell(col, row, DuckDbType.List);
        var element = _types[col].Children[0];
        if (!Fits<T>(element)) throw new InvalidOperationException($"column {col} is {_types[col].Name}; SetList<{typeof(T).Name}> does not match its elements");
        nint vector = _vectors[col];
        ulong offset = NativeMethods.Vector.ListSize(vector);
        ulong size = offset + (ulong)values.Length;
        if (NativeMethods.Vector.ListReserve(vector, size) != DuckDbState.Success || NativeMethods.Vector.ListSetSize(vector, size) != DuckDbState.Success)
            throw new DuckDbException($"could not grow the list in column {col} to {size} elements");
        var child = (T*)NativeMethods.Vector.GetData(NativeMethods.Vector.ListChild(vector));
        values.CopyTo(new Span<T>(child + offset, values.Length));
        var entry = (ulong*)_data[col] + 2 * row; // duckdb_list_entry { offset, length }
        entry[0] = offset;
        entry[1] = (ulong)values.Length;
    }

    /// <summary>Marks a cell NULL (whatever value was written to it is ignored).</summary>
    public void SetNull(int col, int row)
    {
        CheckCell(col, row, DuckDbType.Invalid);
        if (_validity[col] == 0)
        {
            NativeMethods.Vector.EnsureValidityWritable(_vectors[col]);
            _validity[col] = (nint)NativeMethods.Vector.GetValidity(_vectors[col]);
        }
        NativeMethods.Validity.SetRowInvalid((ulong*)_validity[col], (ulong)row);
    }

    /// <summary>Appends the current chunk's first <paramref name="rowCount"/> rows, then clears the chunk for reuse.</summary>
    /// <exception cref="DuckDbException">DuckDB rejected the rows (constraint, type); the chunk is cleared either way.</exception>
    public void AppendChunk(int rowCount)
    {
        ThrowIfDisposed();
        if ((uint)rowCount > (uint)s_vectorSize) throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, $"a chunk holds 0..{s_vectorSize} rows");
        if (_pendingRows != 0) throw new InvalidOperationException("AppendRow rows are pending in this chunk; call Flush() before using the column API");
        AppendCore(rowCount);
    }

    private void AppendCore(int rowCount)
    {
        try
        {
            if (rowCount == 0) return;
            NativeMethods.DataChunk.SetSize(_chunkPtr, (ulong)rowCount);
            if (NativeMethods.Appender.AppendDataChunk(_handle, _chunk) != DuckDbState.Success)
                DuckDbError.ThrowAppenderError(_handle, "append failed");
        }
        finally
        {
            _pendingRows = 0;
            NativeMethods.DataChunk.Reset(_chunkPtr);
            RefreshVectors();
        }
    }

    // Reset frees string heaps and validity masks, so the cached pointers are re-read (no allocation).
    private void RefreshVectors()
    {
        for (int i = 0; i < _vectors.Length; i++)
        {
            _vectors[i] = NativeMethods.DataChunk.GetVector(_chunkPtr, (ulong)i);
            _data[i] = NativeMethods.Vector.GetData(_vectors[i]);
            _validity[i] = 0;
        }
    }

    /// <summary>
    /// Appends one row (slow path: boxes, converts each value to its column's type). Accepts what the parameters of
    /// <see cref="DuckDbPreparedStatement"/> accept, plus: any number for numeric columns, any object for VARCHAR
    /// (its invariant-culture text), string for ENUM and UUID, raw long for timestamps.
    /// </summary>
    public void AppendRow(params object?[] values)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != _types.Length) throw new ArgumentException($"table has {_types.Length} column(s), got {values.Length} value(s)", nameof(values));
        int row = _pendingRows;
        for (int c = 0; c < values.Length; c++) SetValue(c, row, values[c]);
        if (++_pendingRows == s_vectorSize) AppendCore(_pendingRows);
    }

    private void SetValue(int col, int row, object? v)
    {
        if (v is null) { SetNull(col, row); return; }
        var t = _types[col];
        var inv = CultureInfo.InvariantCulture;
        switch (t.Id)
        {
            case DuckDbType.Boolean: Cell<byte>(col, row) = Convert.ToBoolean(v, inv) ? (byte)1 : (byte)0; break;
            case DuckDbType.TinyInt: Cell<sbyte>(col, row) = Convert.ToSByte(v, inv); break;
            case DuckDbType.SmallInt: Cell<short>(col, row) = Convert.ToInt16(v, inv); break;
            case DuckDbType.Integer: Cell<int>(col, row) = Convert.ToInt32(v, inv); break;
            case DuckDbType.BigInt: Cell<long>(col, row) = Convert.ToInt64(v, inv); break;
            case DuckDbType.UTinyInt: Cell<byte>(col, row) = Convert.ToByte(v, inv); break;
            case DuckDbType.USmallInt: Cell<ushort>(col, row) = Convert.ToUInt16(v, inv); break;
            case DuckDbType.UInteger: Cell<uint>(col, row) = Convert.ToUInt32(v, inv); break;
            case DuckDbType.UBigInt: Cell<ulong>(col, row) = Convert.ToUInt64(v, inv); break;
            case DuckDbType.HugeInt: Cell<DuckHugeInt>(col, row) = new(v is Int128 h ? h : v is UInt128 uh ? checked((Int128)uh) : Convert.ToInt64(v, inv)); break;
            case DuckDbType.UHugeInt: Cell<DuckUHugeInt>(col, row) = new(v is UInt128 u ? u : v is Int128 sh ? checked((UInt128)sh) : Convert.ToUInt64(v, inv)); break;
            case DuckDbType.Float: Cell<float>(col, row) = Convert.ToSingle(v, inv); break;
            case DuckDbType.Double: Cell<double>(col, row) = Convert.ToDouble(v, inv); break;
            case DuckDbType.Decimal: SetDecimal(col, row, t, Convert.ToDecimal(v, inv)); break;
            case DuckDbType.VarChar:
                if (v is byte[] utf8) SetString(col, row, utf8);
                else SetString(col, row, v as string ?? Convert.ToString(v, inv) ?? "");
                break;
            case DuckDbType.Blob: SetBlob(col, row, v is ReadOnlyMemory<byte> m ? m.Span : (byte[])v); break;
            case DuckDbType.Date: Cell<int>(col, row) = DuckDbValues.ToDate(v is DateTime dd ? DateOnly.FromDateTime(dd) : (DateOnly)v); break;
            case DuckDbType.Time: Cell<long>(col, row) = v is TimeSpan ts ? ts.Ticks / TimeSpan.TicksPerMicrosecond : DuckDbValues.ToTime((TimeOnly)v); break;
            case DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs or DuckDbType.TimestampNs or DuckDbType.TimestampTz:
                Cell<long>(col, row) = v switch
                {
                    long raw => raw,
                    DateTimeOffset o => DuckDbValues.ToTimestamp(t.Id, o.UtcDateTime),
                    DateTime d => DuckDbValues.ToTimestamp(t.Id, t.Id == DuckDbType.TimestampTz && d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d),
                    _ => throw Unsupported(col, v),
                };
                break;
            case DuckDbType.Interval:
                var iv = v is TimeSpan span ? DuckDbInterval.FromTimeSpan(span) : (DuckDbInterval)v;
                Cell<DuckInterval>(col, row) = new DuckInterval { Months = iv.Months, Days = iv.Days, Micros = iv.Micros };
                break;
            case DuckDbType.Uuid: Cell<DuckHugeInt>(col, row) = new(DuckDbValues.ToUuidStorage(v is Guid g ? g : Guid.Parse((string)v))); break;
            case DuckDbType.Enum: SetEnum(col, row, t, (string)v); break;
            default: throw Unsupported(col, v);
        }
    }

    private ref T Cell<T>(int col, int row) where T : unmanaged => ref ((T*)_data[col])[row];

    private void SetDecimal(int col, int row, DuckDbColumnType t, decimal value)
    {
        var unscaled = DuckDbValues.ToUnscaled(value, t.Scale);
        switch (t.InternalType)
        {
            case DuckDbType.SmallInt: Cell<short>(col, row) = checked((short)unscaled); break;
            case DuckDbType.Integer: Cell<int>(col, row) = checked((int)unscaled); break;
            case DuckDbType.BigInt: Cell<long>(col, row) = checked((long)unscaled); break;
            default: Cell<DuckHugeInt>(col, row) = new(unscaled); break;
        }
    }

    private void SetEnum(int col, int row, DuckDbColumnType t, string value)
    {
        int index = Array.IndexOf(t.EnumValues, value);
        if (index < 0) throw new ArgumentException($"'{value}' is not a value of column {col}'s {t.Name}");
        switch (t.InternalType)
        {
            case DuckDbType.UTinyInt: Cell<byte>(col, row) = (byte)index; break;
            case DuckDbType.USmallInt: Cell<ushort>(col, row) = (ushort)index; break;
            default: Cell<uint>(col, row) = (uint)index; break;
        }
    }

    private NotSupportedException Unsupported(int col, object v) =>
        new($"cannot append a {v.GetType().Name} to column {col} of type {_types[col].Name}");

    /// <summary>Appends rows pending from <see cref="AppendRow"/> and writes everything appended so far to the table.</summary>
    /// <exception cref="DuckDbException">DuckDB rejected the data (e.g. a constraint violation).</exception>
    public void Flush()
    {
        ThrowIfDisposed();
        AppendCore(_pendingRows);
        if (NativeMethods.Appender.Flush(_handle) != DuckDbState.Success) DuckDbError.ThrowAppenderError(_handle, "flush failed");
    }

    /// <summary>Flushes (see <see cref="Flush"/>) and closes the appender; native memory is released even when flushing throws.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            AppendCore(_pendingRows);
            if (NativeMethods.Appender.Close(_handle) != DuckDbState.Success) DuckDbError.ThrowAppenderError(_handle, "closing the appender failed");
        }
        finally
        {
            _chunk.Dispose();
            _handle.Dispose();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private int CheckColumn(int col) =>
        (uint)col < (uint)_types.Length ? col : throw new ArgumentOutOfRangeException(nameof(col), col, $"table has {_types.Length} column(s)");

    // Invalid = any type.
    private void CheckCell(int col, int row, DuckDbType expected)
    {
        ThrowIfDisposed();
        CheckColumn(col);
        if ((uint)row >= (uint)s_vectorSize) throw new ArgumentOutOfRangeException(nameof(row), row, $"a chunk holds rows 0..{s_vectorSize - 1}");
        if (expected != DuckDbType.Invalid && _types[col].Id != expected)
            throw new InvalidOperationException($"column {col} is {_types[col].Name}, not {expected.ToString().ToUpperInvariant()}");
    }
}

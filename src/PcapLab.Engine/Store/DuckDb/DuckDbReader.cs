namespace PcapLab.Store.DuckDb;

/// <summary>
/// Forward-only rows of a query. DuckDB hands over one chunk (up to 2048 rows) at a time, so memory stays bounded
/// whatever the result size; the row getters read the chunk's vectors in place. Values by DuckDB type:
/// BOOLEAN bool; TINYINT…BIGINT sbyte/short/int/long; UTINYINT…UBIGINT byte/ushort/uint/ulong; HUGEINT Int128;
/// UHUGEINT UInt128; FLOAT float; DOUBLE double; DECIMAL decimal; VARCHAR and ENUM string; BLOB byte[]; DATE DateOnly;
/// TIME TimeOnly; TIMESTAMP/_S/_MS/_NS DateTime (Kind Unspecified); TIMESTAMP WITH TIME ZONE DateTimeOffset (UTC);
/// INTERVAL <see cref="DuckDbInterval"/>; UUID Guid; LIST and ARRAY object?[]; STRUCT Dictionary&lt;string, object?&gt;;
/// MAP Dictionary&lt;object, object?&gt;; UNION the member's value; NULL null. ±infinity dates/timestamps map to
/// Min/MaxValue. Other types throw NotSupportedException (cast them to VARCHAR in SQL).
/// </summary>
public sealed class DuckDbReader : IDisposable
{
    private readonly DuckResultHandle _result;
    private readonly DuckDbPreparedStatement? _ownedStatement;
    private readonly string[] _names;
    private readonly DuckDbVectorDecoder[] _columns;
    private DuckDataChunkHandle? _chunk;
    private ulong _chunkSize, _row;
    private bool _done, _disposed;

    internal DuckDbReader(DuckResultHandle result, DuckDbPreparedStatement? ownedStatement)
    {
        _result = result;
        _ownedStatement = ownedStatement;
        int n = (int)NativeMethods.Query.ColumnCount(result);
        _names = new string[n];
        _columns = new DuckDbVectorDecoder[n];
        for (int i = 0; i < n; i++)
        {
            _names[i] = NativeMethods.Query.ColumnName(result, (ulong)i) ?? "";
            _columns[i] = new DuckDbVectorDecoder(DuckDbColumnType.From(NativeMethods.Query.ColumnLogicalType(result, (ulong)i)));
        }
    }

    /// <summary>Number of columns.</summary>
    public int FieldCount => _columns.Length;

    /// <summary>Column name as DuckDB reports it.</summary>
    public string GetName(int i) => _names[Check(i)];

    /// <summary>Column type id.</summary>
    public DuckDbType GetColumnType(int i) => _columns[Check(i)].Type.Id;

    /// <summary>Column type as SQL, as DuckDB's typeof() spells it: BIGINT, VARCHAR, TIMESTAMP_NS, DECIMAL(18,3), INTEGER[].</summary>
    public string GetTypeName(int i) => _columns[Check(i)].Type.Name;

    /// <summary>Moves to the next row, fetching the next chunk when needed; false at the end.</summary>
    /// <exception cref="DuckDbException">The query failed while producing rows (including <see cref="DuckDbConnection.Interrupt"/>).</exception>
    public bool Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_chunk is not null && _row + 1 < _chunkSize)
        {
            _row++;
            return true;
        }
        while (!_done)
        {
            _chunk?.Dispose();
            _chunk = Fetch();
            if (_chunk.IsInvalid)
            {
                _chunk.Dispose();
                _chunk = null;
                _done = true;
                if (NativeMethods.Query.Error(_result) is not null) DuckDbError.ThrowResultError(_result, "fetch failed");
                return false;
            }
            nint chunk = _chunk.DangerousGetHandle();
            _chunkSize = NativeMethods.DataChunk.GetSize(chunk);
            if (_chunkSize == 0) continue;
            for (int c = 0; c < _columns.Length; c++) _columns[c].Bind(NativeMethods.DataChunk.GetVector(chunk, (ulong)c));
            _row = 0;
            return true;
        }
        return false;
    }

    private DuckDataChunkHandle Fetch()
    {
        bool added = false;
        _result.DangerousAddRef(ref added);
        try { return NativeMethods.Query.FetchChunk(_result.Value); }
        finally { if (added) _result.DangerousRelease(); }
    }

    /// <summary>True when the current row's column is NULL.</summary>
    public bool IsNull(int i) => !Current(i).IsValid(_row);

    /// <summary>The value, typed per the table above; null for NULL.</summary>
    public object? GetValue(int i) => Current(i).GetValue(_row);

    /// <summary>Any integer column as long (checked).</summary>
    public long GetInt64(int i) => NotNull(i).GetInt64(_row);

    /// <summary>Any numeric column as double.</summary>
    public double GetDouble(int i) => NotNull(i).GetDouble(_row);

    /// <summary>A VARCHAR or ENUM column.</summary>
    public string GetString(int i) => NotNull(i).GetString(_row);

    /// <summary>A BOOLEAN column.</summary>
    public bool GetBoolean(int i) => NotNull(i).GetBoolean(_row);

    /// <summary>A TIMESTAMP (any unit; Kind Unspecified), TIMESTAMP WITH TIME ZONE (Kind Utc) or DATE column.</summary>
    public DateTime GetDateTime(int i) => NotNull(i).GetDateTime(_row);

    private int Check(int i)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)i >= (uint)_columns.Length) throw new ArgumentOutOfRangeException(nameof(i), i, $"the result has {_columns.Length} column(s)");
        return i;
    }

    private DuckDbVectorDecoder Current(int i)
    {
        Check(i);
        if (_chunk is null) throw new InvalidOperationException("no current row: call Read() first and check it returned true");
        return _columns[i];
    }

    private DuckDbVectorDecoder NotNull(int i)
    {
        var c = Current(i);
        return c.IsValid(_row) ? c : throw new InvalidCastException($"column {i} ({_names[i]}) is NULL; check IsNull first");
    }

    /// <summary>Releases the result (and the statement it came from when the reader owns it).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _chunk?.Dispose();
        _result.Dispose();
        _ownedStatement?.Dispose();
    }
}

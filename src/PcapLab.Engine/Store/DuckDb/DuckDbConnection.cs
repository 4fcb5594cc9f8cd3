using System.Globalization;

namespace PcapLab.Store.DuckDb;

/// <summary>
/// A connection: runs SQL, prepares statements, creates appenders. Use it from one thread at a time; only
/// <see cref="Interrupt"/> and <see cref="QueryProgress"/> may be called from another thread while a query runs.
/// One open <see cref="DuckDbReader"/> per connection: starting another query closes the previous reader's stream.
/// </summary>
/// <remarks>Parameters bind by position (<c>$1</c>, <c>?</c>) with typed binds, never by formatting them into SQL; see <see cref="DuckDbPreparedStatement"/>.</remarks>
public sealed class DuckDbConnection : IDisposable
{
    private readonly DuckConnectionHandle _handle;
    private volatile bool _disposed; // the handle outlives Dispose while statements/readers pin it

    internal DuckDbConnection(DuckConnectionHandle handle) => _handle = handle;

    /// <summary>
    /// Runs <paramref name="sql"/> and returns the rows it changed (INSERT/UPDATE/DELETE; 0 otherwise). Without
    /// parameters the text may hold several statements separated by ';' (the count is the last one's).
    /// </summary>
    /// <exception cref="DuckDbException">DuckDB rejected or failed the statement.</exception>
    public long Execute(string sql, params object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (parameters is { Length: > 0 })
        {
            using var statement = Prepare(sql);
            return statement.Execute(parameters);
        }
        using var result = new DuckResultHandle();
        result.Pin(_handle);
        if (NativeMethods.Query.Run(_handle, sql, result) != DuckDbState.Success) DuckDbError.ThrowResultError(result, "query failed");
        return (long)NativeMethods.Query.RowsChanged(result);
    }

    /// <summary>Runs a query and streams its rows: DuckDB produces them chunk by chunk as <see cref="DuckDbReader.Read"/> asks, so memory stays bounded.</summary>
    /// <exception cref="DuckDbException">DuckDB rejected or failed the query.</exception>
    public DuckDbReader Query(string sql, params object?[] parameters)
    {
        var statement = Prepare(sql);
        try
        {
            return statement.QueryCore(parameters ?? [], ownsStatement: true);
        }
        catch
        {
            statement.Dispose();
            throw;
        }
    }

    /// <summary>The first column of the first row converted to <typeparamref name="T"/>, or default when there is no row or it is NULL.</summary>
    public T? Scalar<T>(string sql, params object?[] parameters)
    {
        using var reader = Query(sql, parameters);
        if (!reader.Read()) return default;
        object? value = reader.GetValue(0);
        if (value is null) return default;
        if (value is T t) return t;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        // SUM and COUNT over big tables come back as HUGEINT/UHUGEINT, which Convert does not know.
        if (value is Int128 big) value = (decimal)big;
        else if (value is UInt128 ubig) value = (decimal)ubig;
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    /// <summary>Parses and plans one statement for repeated execution with different parameters.</summary>
    /// <exception cref="DuckDbException">The SQL does not parse or bind (message includes DuckDB's position marker).</exception>
    public DuckDbPreparedStatement Prepare(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (NativeMethods.Prepared.Prepare(_handle, sql, out var statement) != DuckDbState.Success)
        {
            using (statement) DuckDbError.Throw(statement.IsInvalid ? null : NativeMethods.Prepared.Error(statement), "prepare failed");
        }
        statement.Pin(_handle);
        return new DuckDbPreparedStatement(statement);
    }

    /// <summary>Opens a bulk loader into an existing table (see <see cref="DuckDbAppender"/>).</summary>
    /// <exception cref="DuckDbException">The table does not exist.</exception>
    public DuckDbAppender CreateAppender(string table, string? schema = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new DuckDbAppender(_handle, schema, table);
    }

    /// <summary>
    /// Asks the query running on this connection to stop; safe from any thread, a no-op when nothing runs. The
    /// running call then throws <see cref="DuckDbException"/> with <see cref="DuckDbException.ErrorType"/> "INTERRUPT"
    /// (<see cref="DuckDbException.IsInterrupted"/>) and the connection stays usable.
    /// </summary>
    public void Interrupt()
    {
        if (_disposed) return;
        try { NativeMethods.Startup.Interrupt(_handle); }
        catch (ObjectDisposedException) { /* closed: nothing is running */ }
    }

    /// <summary>Percentage (0–100) of the running query done, or -1 when DuckDB cannot tell; callable from any thread.</summary>
    public double QueryProgress
    {
        get
        {
            if (_disposed) return -1;
            try { return NativeMethods.Startup.QueryProgress(_handle).Percentage; }
            catch (ObjectDisposedException) { return -1; }
        }
    }

    /// <summary>Closes the connection once its open readers, statements and appenders are gone.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }
}

using PcapLab.Ingest;
using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab;

/// <summary>
/// One analyst session of the engine: a DuckDB database with PcapLab's tables, and the verbs that fill and query it.
/// A notebook's magics and its C# cells share one <see cref="Lab"/> (C# cells see it as <c>Lab</c>).
/// </summary>
/// <example><code>
/// Lab.Load("evidence/*.pcapng");
/// var talkers = Lab.Query("select src_ip, sum(len) bytes from packets group by 1 order by 2 desc limit 10");
/// </code></example>
public sealed class Lab : IDisposable
{
    private DuckDbDatabase _database;
    private DuckDbConnection _db;

    /// <summary>Opens a session on an in-memory database, or on a DuckDB file when <paramref name="databasePath"/> is given.</summary>
    public Lab(string? databasePath = null, DuckDbConfig? config = null)
    {
        (_database, _db) = LabStore.Open(databasePath, config);
        DatabasePath = databasePath;
    }

    /// <summary>The database file, or null for in-memory.</summary>
    public string? DatabasePath { get; private set; }

    /// <summary>The session's DuckDB connection, for anything the verbs here do not cover. One thread at a time.</summary>
    public DuckDbConnection Connection => _db;

    /// <summary>Switches the session to a DuckDB file (created when missing); later loads and queries use it.</summary>
    public void Connect(string databasePath)
    {
        var (database, db) = LabStore.Open(databasePath);
        _db.Dispose(); _database.Dispose();
        (_database, _db) = (database, db);
        DatabasePath = databasePath;
    }

    /// <summary>Loads capture files (paths or globs) into the tables: captures, packets, flows, and application records.</summary>
    public IngestSummary Load(params string[] pathsOrGlobs) => Load(pathsOrGlobs, null);

    /// <summary>Loads capture files with options (progress, reload, flow settings), cancellable.</summary>
    public IngestSummary Load(IEnumerable<string> pathsOrGlobs, IngestOptions? options, CancellationToken ct = default)
    {
        using var interrupt = ct.Register(_db.Interrupt);
        return Ingestor.Load(_database, _db, pathsOrGlobs, options, ct);
    }

    /// <summary>Runs a query and returns all its rows. Values go in as $1, $2, ... parameters, never spliced into the SQL.</summary>
    public QueryResult Query(string sql, params object?[] parameters) => Query(sql, int.MaxValue, CancellationToken.None, parameters);

    /// <summary>Runs a query, cancellable (the token interrupts DuckDB), keeping at most <paramref name="maxRows"/> rows.</summary>
    public QueryResult Query(string sql, int maxRows, CancellationToken ct, params object?[] parameters)
    {
        using var interrupt = ct.Register(_db.Interrupt);
        using var reader = _db.Query(sql, parameters);
        return QueryResult.Read(reader, maxRows, ct);
    }

    /// <summary>Runs a query and maps each row to <typeparamref name="T"/> by column name (properties or a record's constructor).</summary>
    public IReadOnlyList<T> Query<T>(string sql, params object?[] parameters) => RowMapper<T>.Map(Query(sql, parameters));

    /// <summary>The first column of the first row, converted to <typeparamref name="T"/>.</summary>
    public T? Scalar<T>(string sql, params object?[] parameters) => _db.Scalar<T>(sql, parameters);

    /// <summary>Runs statements that return no rows (CREATE VIEW, UPDATE, ...); returns rows changed.</summary>
    public long Execute(string sql, params object?[] parameters) => _db.Execute(sql, parameters);

    /// <summary>The packets of one flow, in capture order: the pivot from a flow (or an alert's evidence) to its packets.</summary>
    public QueryResult PacketsOf(long flowId, int maxRows = 10_000) =>
        Query("SELECT * FROM packets WHERE flow_id = $1 ORDER BY capture_id, frame_no", maxRows, CancellationToken.None, flowId);

    /// <summary>The tables and views in the session's database with their row counts.</summary>
    public QueryResult Tables() => Query("""
        SELECT table_name AS name, estimated_size AS rows, column_count AS columns FROM duckdb_tables()
        WHERE schema_name = 'main' ORDER BY table_name
        """);

    /// <inheritdoc/>
    public void Dispose()
    {
        _db.Dispose();
        _database.Dispose();
    }
}

using PcapLab.Native;

namespace PcapLab.Store.DuckDb;

/// <summary>
/// An open DuckDB database (a file or in memory). Thread-safe: connect from as many threads as you like, one
/// <see cref="DuckDbConnection"/> per thread. Disposing it while connections are still open is safe: the database
/// closes (and a file is released) when the last connection is disposed.
/// </summary>
/// <example><code>
/// using var db = DuckDbDatabase.Open("capture.duckdb");
/// using var con = db.Connect();
/// long n = con.Scalar&lt;long&gt;("SELECT count(*) FROM packets WHERE dst_port = $1", 443);
/// </code></example>
public sealed class DuckDbDatabase : IDisposable
{
    private readonly DuckDatabaseHandle _handle;
    private bool _disposed; // the handle outlives Dispose while connections pin it

    static DuckDbDatabase() => NativeLibraries.EnsureRegistered();

    private DuckDbDatabase(DuckDatabaseHandle handle) => _handle = handle;

    /// <summary>The linked libduckdb's version, e.g. "v1.5.2".</summary>
    public static string LibraryVersion => NativeMethods.Startup.LibraryVersion() ?? "";

    /// <summary>Opens (creating if needed) the database file at <paramref name="path"/>, or an in-memory database when it is null or ":memory:".</summary>
    /// <exception cref="DuckDbException">A setting is invalid, or the file cannot be opened (locked, corrupt, wrong version).</exception>
    public static DuckDbDatabase Open(string? path, DuckDbConfig? config = null)
    {
        // A missing libduckdb becomes one clear error saying how to get it, before any P/Invoke fails obscurely.
        PcapLab.Native.NativeLibraries.Load(PcapLab.Native.NativeLibraries.DuckDb);
        config ??= new DuckDbConfig();
        if (NativeMethods.Configuration.Create(out var cfg) != DuckDbState.Success)
        {
            cfg.Dispose();
            DuckDbError.Throw("could not create a DuckDB configuration", "could not create a DuckDB configuration");
        }
        using (cfg)
        {
            foreach (var (name, value) in config.Settings())
                if (NativeMethods.Configuration.Set(cfg, name, value) != DuckDbState.Success)
                    throw new DuckDbException($"invalid DuckDB setting {name} = '{value}'", nameof(DuckDbErrorType.INVALID_CONFIGURATION));
            string? file = path is null or ":memory:" ? null : path;
            if (NativeMethods.Startup.Open(file, out var db, cfg, out string? error) != DuckDbState.Success)
            {
                db.Dispose();
                DuckDbError.Throw(error, $"could not open DuckDB database '{path ?? ":memory:"}'");
            }
            return new DuckDbDatabase(db);
        }
    }

    /// <summary>Opens a new connection. Each connection has its own transaction state and is used by one thread at a time.</summary>
    public DuckDbConnection Connect()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (NativeMethods.Startup.Connect(_handle, out var con) != DuckDbState.Success)
        {
            con.Dispose();
            DuckDbError.Throw("could not connect to the DuckDB database", "could not connect to the DuckDB database");
        }
        con.Pin(_handle);
        return new DuckDbConnection(con);
    }

    /// <summary>Releases this reference; the database closes when its last connection is gone.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }
}

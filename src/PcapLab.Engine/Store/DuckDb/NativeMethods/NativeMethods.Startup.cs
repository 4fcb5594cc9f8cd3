using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace PcapLab.Store.DuckDb;

internal static partial class NativeMethods
{
    // https://duckdb.org/docs/stable/clients/c/connect
    internal static partial class Startup
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_open_ext", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial DuckDbState Open(string? path, out DuckDatabaseHandle database, DuckConfigHandle config,
            [MarshalUsing(typeof(DuckDbOwnedStringMarshaller))] out string? error);

        [LibraryImport(Lib, EntryPoint = "duckdb_close")]
        internal static partial void Close(ref nint database);

        [LibraryImport(Lib, EntryPoint = "duckdb_connect")]
        internal static partial DuckDbState Connect(DuckDatabaseHandle database, out DuckConnectionHandle connection);

        [LibraryImport(Lib, EntryPoint = "duckdb_disconnect")]
        internal static partial void Disconnect(ref nint connection);

        // Sets an atomic flag in the client context; called from other threads while a query runs.
        [LibraryImport(Lib, EntryPoint = "duckdb_interrupt")]
        internal static partial void Interrupt(DuckConnectionHandle connection);

        [LibraryImport(Lib, EntryPoint = "duckdb_query_progress")]
        internal static partial DuckQueryProgress QueryProgress(DuckConnectionHandle connection);

        [LibraryImport(Lib, EntryPoint = "duckdb_library_version")]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? LibraryVersion();
    }

    // https://duckdb.org/docs/stable/clients/c/config
    internal static partial class Configuration
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_create_config")]
        internal static partial DuckDbState Create(out DuckConfigHandle config);

        [LibraryImport(Lib, EntryPoint = "duckdb_set_config", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial DuckDbState Set(DuckConfigHandle config, string name, string option);

        [LibraryImport(Lib, EntryPoint = "duckdb_destroy_config")]
        internal static partial void Destroy(ref nint config);
    }

    // https://duckdb.org/docs/stable/clients/c/api (helpers)
    internal static unsafe partial class Helpers
    {
        // jemalloc's free may purge pages (syscalls), so it keeps the GC transition.
        [LibraryImport(Lib, EntryPoint = "duckdb_free")]
        internal static partial void Free(void* ptr);

        [LibraryImport(Lib, EntryPoint = "duckdb_vector_size")]
        [SuppressGCTransition]
        internal static partial ulong VectorSize();
    }
}

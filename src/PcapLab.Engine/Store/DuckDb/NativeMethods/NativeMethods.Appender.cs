using System.Runtime.InteropServices;

namespace PcapLab.Store.DuckDb;

internal static partial class NativeMethods
{
    // https://duckdb.org/docs/stable/clients/c/appender
    internal static partial class Appender
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_appender_create", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial DuckDbState Create(DuckConnectionHandle connection, string? schema, string table, out DuckAppenderHandle appender);

        [LibraryImport(Lib, EntryPoint = "duckdb_appender_column_count")]
        internal static partial ulong ColumnCount(DuckAppenderHandle appender);

        [LibraryImport(Lib, EntryPoint = "duckdb_appender_column_type")]
        internal static partial DuckLogicalTypeHandle ColumnType(DuckAppenderHandle appender, ulong column);

        [LibraryImport(Lib, EntryPoint = "duckdb_append_data_chunk")]
        internal static partial DuckDbState AppendDataChunk(DuckAppenderHandle appender, DuckDataChunkHandle chunk);

        [LibraryImport(Lib, EntryPoint = "duckdb_appender_flush")]
        internal static partial DuckDbState Flush(DuckAppenderHandle appender);

        [LibraryImport(Lib, EntryPoint = "duckdb_appender_close")]
        internal static partial DuckDbState Close(DuckAppenderHandle appender);

        [LibraryImport(Lib, EntryPoint = "duckdb_appender_destroy")]
        internal static partial DuckDbState Destroy(ref nint appender);

        // Owned duckdb_error_data, destroyed with duckdb_destroy_error_data.
        [LibraryImport(Lib, EntryPoint = "duckdb_appender_error_data")]
        internal static partial DuckErrorDataHandle ErrorData(DuckAppenderHandle appender);
    }
}

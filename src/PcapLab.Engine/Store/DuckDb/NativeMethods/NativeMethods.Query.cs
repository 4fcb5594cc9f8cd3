using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace PcapLab.Store.DuckDb;

internal static partial class NativeMethods
{
    // https://duckdb.org/docs/stable/clients/c/query
    internal static partial class Query
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_query", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial DuckDbState Run(DuckConnectionHandle connection, string sql, DuckResultHandle result);

        [LibraryImport(Lib, EntryPoint = "duckdb_destroy_result")]
        internal static partial void DestroyResult(nint result);

        [LibraryImport(Lib, EntryPoint = "duckdb_result_error")]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? Error(DuckResultHandle result);

        [LibraryImport(Lib, EntryPoint = "duckdb_result_error_type")]
        internal static partial DuckDbErrorType ErrorType(DuckResultHandle result);

        [LibraryImport(Lib, EntryPoint = "duckdb_rows_changed")]
        internal static partial ulong RowsChanged(DuckResultHandle result);

        [LibraryImport(Lib, EntryPoint = "duckdb_column_count")]
        internal static partial ulong ColumnCount(DuckResultHandle result);

        [LibraryImport(Lib, EntryPoint = "duckdb_column_name")]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? ColumnName(DuckResultHandle result, ulong column);

        [LibraryImport(Lib, EntryPoint = "duckdb_column_logical_type")]
        internal static partial DuckLogicalTypeHandle ColumnLogicalType(DuckResultHandle result, ulong column);

        // Takes duckdb_result by value; runs the (streaming) query forward, so no SuppressGCTransition.
        [LibraryImport(Lib, EntryPoint = "duckdb_fetch_chunk")]
        internal static partial DuckDataChunkHandle FetchChunk(DuckDbResultStruct result);
    }

    // https://duckdb.org/docs/stable/clients/c/prepared
    internal static partial class Prepared
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_prepare", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial DuckDbState Prepare(DuckConnectionHandle connection, string sql, out DuckPreparedHandle statement);

        [LibraryImport(Lib, EntryPoint = "duckdb_destroy_prepare")]
        internal static partial void Destroy(ref nint statement);

        [LibraryImport(Lib, EntryPoint = "duckdb_prepare_error")]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? Error(DuckPreparedHandle statement);

        [LibraryImport(Lib, EntryPoint = "duckdb_nparams")]
        internal static partial ulong ParameterCount(DuckPreparedHandle statement);

        [LibraryImport(Lib, EntryPoint = "duckdb_clear_bindings")]
        internal static partial DuckDbState ClearBindings(DuckPreparedHandle statement);

        [LibraryImport(Lib, EntryPoint = "duckdb_execute_prepared")]
        internal static partial DuckDbState Execute(DuckPreparedHandle statement, DuckResultHandle result);
    }

    // https://duckdb.org/docs/stable/clients/c/prepared (bind values); index is 1-based
    internal static unsafe partial class Bind
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_null")] internal static partial DuckDbState Null(DuckPreparedHandle s, ulong i);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_boolean")] internal static partial DuckDbState Boolean(DuckPreparedHandle s, ulong i, byte v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_int8")] internal static partial DuckDbState Int8(DuckPreparedHandle s, ulong i, sbyte v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_int16")] internal static partial DuckDbState Int16(DuckPreparedHandle s, ulong i, short v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_int32")] internal static partial DuckDbState Int32(DuckPreparedHandle s, ulong i, int v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_int64")] internal static partial DuckDbState Int64(DuckPreparedHandle s, ulong i, long v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_uint8")] internal static partial DuckDbState UInt8(DuckPreparedHandle s, ulong i, byte v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_uint16")] internal static partial DuckDbState UInt16(DuckPreparedHandle s, ulong i, ushort v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_uint32")] internal static partial DuckDbState UInt32(DuckPreparedHandle s, ulong i, uint v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_uint64")] internal static partial DuckDbState UInt64(DuckPreparedHandle s, ulong i, ulong v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_hugeint")] internal static partial DuckDbState HugeInt(DuckPreparedHandle s, ulong i, DuckHugeInt v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_uhugeint")] internal static partial DuckDbState UHugeInt(DuckPreparedHandle s, ulong i, DuckUHugeInt v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_decimal")] internal static partial DuckDbState Decimal(DuckPreparedHandle s, ulong i, DuckDecimal v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_float")] internal static partial DuckDbState Float(DuckPreparedHandle s, ulong i, float v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_double")] internal static partial DuckDbState Double(DuckPreparedHandle s, ulong i, double v);
        // duckdb_date / duckdb_time / duckdb_timestamp are one-field structs, passed like their field.
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_date")] internal static partial DuckDbState Date(DuckPreparedHandle s, ulong i, int days);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_time")] internal static partial DuckDbState Time(DuckPreparedHandle s, ulong i, long micros);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_timestamp")] internal static partial DuckDbState Timestamp(DuckPreparedHandle s, ulong i, long micros);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_timestamp_tz")] internal static partial DuckDbState TimestampTz(DuckPreparedHandle s, ulong i, long micros);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_interval")] internal static partial DuckDbState Interval(DuckPreparedHandle s, ulong i, DuckInterval v);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_varchar_length")] internal static partial DuckDbState VarChar(DuckPreparedHandle s, ulong i, byte* utf8, ulong length);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_blob")] internal static partial DuckDbState Blob(DuckPreparedHandle s, ulong i, byte* data, ulong length);
        [LibraryImport(Lib, EntryPoint = "duckdb_bind_value")] internal static partial DuckDbState Value(DuckPreparedHandle s, ulong i, DuckValueHandle v);
    }

    // https://duckdb.org/docs/stable/clients/c/value
    internal static partial class Value
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_create_uuid")]
        internal static partial DuckValueHandle CreateUuid(DuckUHugeInt value);

        [LibraryImport(Lib, EntryPoint = "duckdb_destroy_value")]
        internal static partial void Destroy(ref nint value);
    }

    // https://duckdb.org/docs/stable/clients/c/prepared (pending result)
    internal static partial class Pending
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_pending_prepared_streaming")]
        internal static partial DuckDbState PrepareStreaming(DuckPreparedHandle statement, out DuckPendingHandle pending);

        [LibraryImport(Lib, EntryPoint = "duckdb_pending_error")]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? Error(DuckPendingHandle pending);

        // Runs the query until results can be fetched; blocks, interruptible by duckdb_interrupt.
        [LibraryImport(Lib, EntryPoint = "duckdb_execute_pending")]
        internal static partial DuckDbState Execute(DuckPendingHandle pending, DuckResultHandle result);

        [LibraryImport(Lib, EntryPoint = "duckdb_destroy_pending")]
        internal static partial void Destroy(ref nint pending);
    }

    // https://duckdb.org/docs/stable/clients/c/api (error data)
    internal static partial class ErrorData
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_error_data_has_error")]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static partial bool HasError(DuckErrorDataHandle error);

        [LibraryImport(Lib, EntryPoint = "duckdb_error_data_error_type")]
        internal static partial DuckDbErrorType Type(DuckErrorDataHandle error);

        [LibraryImport(Lib, EntryPoint = "duckdb_error_data_message")]
        [return: MarshalUsing(typeof(DuckDbBorrowedStringMarshaller))]
        internal static partial string? Message(DuckErrorDataHandle error);

        [LibraryImport(Lib, EntryPoint = "duckdb_destroy_error_data")]
        internal static partial void Destroy(ref nint error);
    }
}

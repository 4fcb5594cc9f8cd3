using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace PcapLab.Store.DuckDb;

internal static partial class NativeMethods
{
    // https://duckdb.org/docs/stable/clients/c/data_chunk
    internal static unsafe partial class DataChunk
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_create_data_chunk")]
        internal static partial DuckDataChunkHandle Create(nint* types, ulong columnCount);

        [LibraryImport(Lib, EntryPoint = "duckdb_destroy_data_chunk")]
        internal static partial void Destroy(ref nint chunk);

        // Frees string heaps and validity masks; not trivial, so it keeps the GC transition.
        [LibraryImport(Lib, EntryPoint = "duckdb_data_chunk_reset")]
        internal static partial void Reset(nint chunk);

        [LibraryImport(Lib, EntryPoint = "duckdb_data_chunk_get_size")]
        [SuppressGCTransition]
        internal static partial ulong GetSize(nint chunk);

        [LibraryImport(Lib, EntryPoint = "duckdb_data_chunk_set_size")]
        [SuppressGCTransition]
        internal static partial void SetSize(nint chunk, ulong size);

        [LibraryImport(Lib, EntryPoint = "duckdb_data_chunk_get_vector")]
        [SuppressGCTransition]
        internal static partial nint GetVector(nint chunk, ulong column);
    }

    // https://duckdb.org/docs/stable/clients/c/vector
    internal static unsafe partial class Vector
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_vector_get_data")]
        [SuppressGCTransition]
        internal static partial nint GetData(nint vector);

        [LibraryImport(Lib, EntryPoint = "duckdb_vector_get_validity")]
        [SuppressGCTransition]
        internal static partial ulong* GetValidity(nint vector);

        // Allocates the mask on first use.
        [LibraryImport(Lib, EntryPoint = "duckdb_vector_ensure_validity_writable")]
        internal static partial void EnsureValidityWritable(nint vector);

        // Copies into the vector's string heap (an arena bump, rarely a malloc); skips DuckDB's UTF-8 check, which we do
        // on the managed side. Short, non-blocking and called for most rows, so it runs without a GC transition.
        [LibraryImport(Lib, EntryPoint = "duckdb_unsafe_vector_assign_string_element_len")]
        [SuppressGCTransition]
        internal static partial void AssignStringUnchecked(nint vector, ulong index, byte* str, ulong length);

        [LibraryImport(Lib, EntryPoint = "duckdb_list_vector_get_child")]
        [SuppressGCTransition]
        internal static partial nint ListChild(nint vector);

        [LibraryImport(Lib, EntryPoint = "duckdb_list_vector_get_size")]
        [SuppressGCTransition]
        internal static partial ulong ListSize(nint vector);

        [LibraryImport(Lib, EntryPoint = "duckdb_list_vector_set_size")]
        [SuppressGCTransition]
        internal static partial DuckDbState ListSetSize(nint vector, ulong size);

        // May reallocate the child vector: re-read its data pointer afterwards.
        [LibraryImport(Lib, EntryPoint = "duckdb_list_vector_reserve")]
        internal static partial DuckDbState ListReserve(nint vector, ulong capacity);

        [LibraryImport(Lib, EntryPoint = "duckdb_struct_vector_get_child")]
        [SuppressGCTransition]
        internal static partial nint StructChild(nint vector, ulong index);

        [LibraryImport(Lib, EntryPoint = "duckdb_array_vector_get_child")]
        [SuppressGCTransition]
        internal static partial nint ArrayChild(nint vector);
    }

    // https://duckdb.org/docs/stable/clients/c/vector (validity mask)
    internal static unsafe partial class Validity
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_validity_set_row_invalid")]
        [SuppressGCTransition]
        internal static partial void SetRowInvalid(ulong* validity, ulong row);
    }

    // https://duckdb.org/docs/stable/clients/c/types
    internal static partial class LogicalType
    {
        [LibraryImport(Lib, EntryPoint = "duckdb_get_type_id")]
        internal static partial DuckDbType TypeId(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_logical_type_get_alias")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? Alias(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_decimal_width")]
        internal static partial byte DecimalWidth(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_decimal_scale")]
        internal static partial byte DecimalScale(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_decimal_internal_type")]
        internal static partial DuckDbType DecimalInternalType(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_enum_internal_type")]
        internal static partial DuckDbType EnumInternalType(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_enum_dictionary_size")]
        internal static partial uint EnumDictionarySize(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_enum_dictionary_value")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? EnumDictionaryValue(DuckLogicalTypeHandle type, ulong index);

        [LibraryImport(Lib, EntryPoint = "duckdb_list_type_child_type")]
        internal static partial DuckLogicalTypeHandle ListChild(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_array_type_child_type")]
        internal static partial DuckLogicalTypeHandle ArrayChild(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_array_type_array_size")]
        internal static partial ulong ArraySize(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_map_type_key_type")]
        internal static partial DuckLogicalTypeHandle MapKey(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_map_type_value_type")]
        internal static partial DuckLogicalTypeHandle MapValue(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_struct_type_child_count")]
        internal static partial ulong StructChildCount(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_struct_type_child_name")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? StructChildName(DuckLogicalTypeHandle type, ulong index);

        [LibraryImport(Lib, EntryPoint = "duckdb_struct_type_child_type")]
        internal static partial DuckLogicalTypeHandle StructChild(DuckLogicalTypeHandle type, ulong index);

        [LibraryImport(Lib, EntryPoint = "duckdb_union_type_member_count")]
        internal static partial ulong UnionMemberCount(DuckLogicalTypeHandle type);

        [LibraryImport(Lib, EntryPoint = "duckdb_union_type_member_name")]
        [return: MarshalUsing(typeof(DuckDbOwnedStringMarshaller))]
        internal static partial string? UnionMemberName(DuckLogicalTypeHandle type, ulong index);

        [LibraryImport(Lib, EntryPoint = "duckdb_union_type_member_type")]
        internal static partial DuckLogicalTypeHandle UnionMember(DuckLogicalTypeHandle type, ulong index);

        [LibraryImport(Lib, EntryPoint = "duckdb_destroy_logical_type")]
        internal static partial void Destroy(ref nint type);
    }
}

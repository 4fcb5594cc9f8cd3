using System.Runtime.InteropServices;
using PcapLab.Native;

namespace PcapLab.Store.DuckDb;

/// <summary>
/// P/Invoke declarations for DuckDB's C API (duckdb.h), one nested class per section of the C API documentation
/// (https://duckdb.org/docs/stable/clients/c/api). Internal: the public surface is <see cref="DuckDbDatabase"/> and friends.
/// </summary>
/// <remarks>
/// Handles that own a native object are SafeHandles (DuckDbHandles.cs); borrowed pointers (vectors, validity masks,
/// chunk data) are plain <see cref="nint"/>. Strings returned by DuckDB are marshalled with an explicit ownership
/// marshaller (DuckDbStringMarshallers.cs), never the default one, which would free() memory DuckDB still owns.
/// </remarks>
internal static partial class NativeMethods
{
    private const string Lib = NativeLibraries.DuckDb;
}

/// <summary>duckdb_state.</summary>
internal enum DuckDbState
{
    Success = 0,
    Error = 1,
}

/// <summary>duckdb_error_type; the names (upper case, as in the C enum) become <see cref="DuckDbException.ErrorType"/>.</summary>
internal enum DuckDbErrorType
{
    INVALID = 0, OUT_OF_RANGE = 1, CONVERSION = 2, UNKNOWN_TYPE = 3, DECIMAL = 4, MISMATCH_TYPE = 5, DIVIDE_BY_ZERO = 6,
    OBJECT_SIZE = 7, INVALID_TYPE = 8, SERIALIZATION = 9, TRANSACTION = 10, NOT_IMPLEMENTED = 11, EXPRESSION = 12,
    CATALOG = 13, PARSER = 14, PLANNER = 15, SCHEDULER = 16, EXECUTOR = 17, CONSTRAINT = 18, INDEX = 19, STAT = 20,
    CONNECTION = 21, SYNTAX = 22, SETTINGS = 23, BINDER = 24, NETWORK = 25, OPTIMIZER = 26, NULL_POINTER = 27, IO = 28,
    INTERRUPT = 29, FATAL = 30, INTERNAL = 31, INVALID_INPUT = 32, OUT_OF_MEMORY = 33, PERMISSION = 34,
    PARAMETER_NOT_RESOLVED = 35, PARAMETER_NOT_ALLOWED = 36, DEPENDENCY = 37, HTTP = 38, MISSING_EXTENSION = 39,
    AUTOLOAD = 40, SEQUENCE = 41, INVALID_CONFIGURATION = 42,
}

/// <summary>duckdb_result: a 48-byte struct the caller owns; we keep it in native memory so its address is stable.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbResultStruct
{
    public ulong DeprecatedColumnCount, DeprecatedRowCount, DeprecatedRowsChanged;
    public nint DeprecatedColumns, DeprecatedErrorMessage, InternalData;
}

/// <summary>duckdb_hugeint: value = upper * 2^64 + lower.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckHugeInt
{
    public ulong Lower;
    public long Upper;
    public DuckHugeInt(Int128 v) { Lower = (ulong)v; Upper = (long)(v >> 64); }
    public readonly Int128 ToInt128() => new((ulong)Upper, Lower);
}

/// <summary>duckdb_uhugeint.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckUHugeInt
{
    public ulong Lower, Upper;
    public DuckUHugeInt(UInt128 v) { Lower = (ulong)v; Upper = (ulong)(v >> 64); }
    public readonly UInt128 ToUInt128() => new(Upper, Lower);
}

/// <summary>duckdb_decimal.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDecimal
{
    public byte Width, Scale;
    public DuckHugeInt Value;
}

/// <summary>duckdb_interval.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckInterval
{
    public int Months, Days;
    public long Micros;
}

/// <summary>duckdb_list_entry: a list's slice of the child vector.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckListEntry
{
    public ulong Offset, Length;
}

/// <summary>duckdb_query_progress_type.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckQueryProgress
{
    public double Percentage;
    public ulong RowsProcessed, TotalRowsToProcess;
}

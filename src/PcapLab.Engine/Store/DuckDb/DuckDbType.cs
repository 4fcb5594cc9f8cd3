namespace PcapLab.Store.DuckDb;

/// <summary>DuckDB's type ids, same values as the C API's <c>duckdb_type</c>.</summary>
public enum DuckDbType
{
    /// <summary>Not a type (out-of-range column, unknown).</summary>
    Invalid = 0,
    /// <summary>BOOLEAN (bool, one byte).</summary>
    Boolean = 1,
    /// <summary>TINYINT (sbyte).</summary>
    TinyInt = 2,
    /// <summary>SMALLINT (short).</summary>
    SmallInt = 3,
    /// <summary>INTEGER (int).</summary>
    Integer = 4,
    /// <summary>BIGINT (long).</summary>
    BigInt = 5,
    /// <summary>UTINYINT (byte).</summary>
    UTinyInt = 6,
    /// <summary>USMALLINT (ushort).</summary>
    USmallInt = 7,
    /// <summary>UINTEGER (uint).</summary>
    UInteger = 8,
    /// <summary>UBIGINT (ulong).</summary>
    UBigInt = 9,
    /// <summary>FLOAT (float).</summary>
    Float = 10,
    /// <summary>DOUBLE (double).</summary>
    Double = 11,
    /// <summary>TIMESTAMP: microseconds since 1970-01-01, no time zone (long).</summary>
    Timestamp = 12,
    /// <summary>DATE: days since 1970-01-01 (int).</summary>
    Date = 13,
    /// <summary>TIME: microseconds since midnight (long).</summary>
    Time = 14,
    /// <summary>INTERVAL: months, days, microseconds.</summary>
    Interval = 15,
    /// <summary>HUGEINT (Int128).</summary>
    HugeInt = 16,
    /// <summary>VARCHAR (UTF-8).</summary>
    VarChar = 17,
    /// <summary>BLOB (bytes).</summary>
    Blob = 18,
    /// <summary>DECIMAL(width, scale).</summary>
    Decimal = 19,
    /// <summary>TIMESTAMP_S: seconds since 1970-01-01 (long).</summary>
    TimestampS = 20,
    /// <summary>TIMESTAMP_MS: milliseconds since 1970-01-01 (long).</summary>
    TimestampMs = 21,
    /// <summary>TIMESTAMP_NS: nanoseconds since 1970-01-01 (long).</summary>
    TimestampNs = 22,
    /// <summary>ENUM: a dictionary of strings.</summary>
    Enum = 23,
    /// <summary>LIST: variable-length list (T[]).</summary>
    List = 24,
    /// <summary>STRUCT: named fields.</summary>
    Struct = 25,
    /// <summary>MAP(K, V).</summary>
    Map = 26,
    /// <summary>UUID.</summary>
    Uuid = 27,
    /// <summary>UNION: tagged union.</summary>
    Union = 28,
    /// <summary>BIT string.</summary>
    Bit = 29,
    /// <summary>TIME WITH TIME ZONE.</summary>
    TimeTz = 30,
    /// <summary>TIMESTAMP WITH TIME ZONE: UTC microseconds since 1970-01-01 (long).</summary>
    TimestampTz = 31,
    /// <summary>UHUGEINT (UInt128).</summary>
    UHugeInt = 32,
    /// <summary>ARRAY: fixed-size list (T[n]).</summary>
    Array = 33,
    /// <summary>ANY (function signatures only).</summary>
    Any = 34,
    /// <summary>BIGNUM (arbitrary precision integer, formerly VARINT).</summary>
    BigNum = 35,
    /// <summary>The type of a bare NULL literal.</summary>
    SqlNull = 36,
    /// <summary>A string literal not yet bound to a type.</summary>
    StringLiteral = 37,
    /// <summary>An integer literal not yet bound to a type.</summary>
    IntegerLiteral = 38,
    /// <summary>TIME_NS: nanoseconds since midnight.</summary>
    TimeNs = 39,
    /// <summary>GEOMETRY.</summary>
    Geometry = 40,
    /// <summary>VARIANT.</summary>
    Variant = 41,
}

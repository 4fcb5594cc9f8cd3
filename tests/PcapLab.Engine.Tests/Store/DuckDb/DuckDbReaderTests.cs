using PcapLab.Store.DuckDb;

namespace PcapLab.Engine.Tests.Store.DuckDb;

/// <summary>DuckDB is the oracle: values written as SQL literals, read back through the reader.</summary>
public sealed class DuckDbReaderTests : IDisposable
{
    private readonly DuckDbDatabase _db = DuckDbDatabase.Open(null);
    private readonly DuckDbConnection _con;

    public DuckDbReaderTests() => _con = _db.Connect();

    public void Dispose()
    {
        _con.Dispose();
        _db.Dispose();
    }

    private (object? Value, string TypeName, DuckDbType Type, string DuckTypeOf) One(string literal)
    {
        using var r = _con.Query($"SELECT {literal} AS v, typeof({literal}) AS t");
        Assert.True(r.Read());
        var result = (r.GetValue(0), r.GetTypeName(0), r.GetColumnType(0), r.GetString(1));
        Assert.False(r.Read());
        return result;
    }

    public static TheoryData<string, object, DuckDbType> Scalars => new()
    {
        { "true", true, DuckDbType.Boolean },
        { "(-128)::TINYINT", (sbyte)-128, DuckDbType.TinyInt },
        { "(-32768)::SMALLINT", (short)-32768, DuckDbType.SmallInt },
        { "(-2147483648)::INTEGER", int.MinValue, DuckDbType.Integer },
        { "(-9223372036854775808)::BIGINT", long.MinValue, DuckDbType.BigInt },
        { "255::UTINYINT", (byte)255, DuckDbType.UTinyInt },
        { "65535::USMALLINT", (ushort)65535, DuckDbType.USmallInt },
        { "4294967295::UINTEGER", uint.MaxValue, DuckDbType.UInteger },
        { "18446744073709551615::UBIGINT", ulong.MaxValue, DuckDbType.UBigInt },
        { "1.5::FLOAT", 1.5f, DuckDbType.Float },
        { "-2.25::DOUBLE", -2.25, DuckDbType.Double },
        { "'short'", "short", DuckDbType.VarChar },
        { "'exactly12byt'", "exactly12byt", DuckDbType.VarChar },
        { "'a string longer than twelve bytes, ünïcödé ✓'", "a string longer than twelve bytes, ünïcödé ✓", DuckDbType.VarChar },
        { "''", "", DuckDbType.VarChar },
    };

    [Theory, MemberData(nameof(Scalars))]
    public void Scalar_values_round_trip(string literal, object expected, DuckDbType type)
    {
        var (value, name, id, typeOf) = One(literal);
        Assert.Equal(expected, value);
        Assert.Equal(type, id);
        Assert.Equal(typeOf, name);
    }

    [Fact]
    public void Wide_integers_decimals_and_blobs()
    {
        Assert.Equal(Int128.MinValue, One("(-170141183460469231731687303715884105728)::HUGEINT").Value);
        Assert.Equal(UInt128.MaxValue, One("340282366920938463463374607431768211455::UHUGEINT").Value);
        Assert.Equal(Int128.Parse("-12345678901234567890123"), One("(-12345678901234567890123)::HUGEINT").Value);

        var d = One("123456789012345.678::DECIMAL(18,3)");
        Assert.Equal(123456789012345.678m, d.Value);
        Assert.Equal("DECIMAL(18,3)", d.TypeName);
        Assert.Equal(d.DuckTypeOf, d.TypeName);
        Assert.Equal(-1.5m, One("(-1.5)::DECIMAL(4,1)").Value);                     // SMALLINT storage
        Assert.Equal(12345.6789m, One("12345.6789::DECIMAL(9,4)").Value);          // INTEGER storage
        Assert.Equal(-1234567890123456789012.345678m, One("(-1234567890123456789012.345678)::DECIMAL(38,6)").Value); // HUGEINT storage

        Assert.Equal(new byte[] { 0x00, 0xFF, 0x41 }, One(@"'\x00\xFF\x41'::BLOB").Value);
        var longBlob = One("repeat('ab', 20)::BLOB");
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("ab", 20))), longBlob.Value);
    }

    [Fact]
    public void Dates_times_timestamps_intervals_uuids()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), One("DATE '2024-02-29'").Value);
        Assert.Equal(new DateOnly(1901, 12, 13), One("DATE '1901-12-13'").Value);
        Assert.Equal(new TimeOnly(23, 59, 58, 123, 456), One("TIME '23:59:58.123456'").Value);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 678, 901), One("TIMESTAMP '2024-01-02 03:04:05.678901'").Value);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), One("TIMESTAMP_S '2024-01-02 03:04:05'").Value);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 678), One("TIMESTAMP_MS '2024-01-02 03:04:05.678'").Value);
        var ns = One("TIMESTAMP_NS '2024-01-02 03:04:05.123456789'");
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(1234567), ns.Value); // 100 ns resolution
        Assert.Equal("TIMESTAMP_NS", ns.TypeName);
        Assert.Equal(ns.DuckTypeOf, ns.TypeName);
        Assert.Equal(DateTime.MaxValue, One("'infinity'::TIMESTAMP").Value);
        Assert.Equal(DateTime.MinValue, One("'-infinity'::TIMESTAMP").Value);

        // TIMESTAMPTZ is stored as UTC microseconds; the literal's offset fixes the instant.
        var tz = One("'2024-01-02 03:04:05.5+02:00'::TIMESTAMPTZ");
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 1, 4, 5, 500, TimeSpan.Zero), tz.Value);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", tz.TypeName);
        Assert.Equal(tz.DuckTypeOf, tz.TypeName);

        Assert.Equal(new DuckDbInterval(14, 3, 4_000_005), One("INTERVAL '1 year 2 months 3 days 4.000005 seconds'").Value);
        Assert.Equal(Guid.Parse("0fa8a2e1-7c9b-4d3f-8e2a-1b2c3d4e5f60"), One("'0fa8a2e1-7c9b-4d3f-8e2a-1b2c3d4e5f60'::UUID").Value);
        Assert.Equal(Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"), One("'ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID").Value);
        Assert.Equal(Guid.Empty, One("'00000000-0000-0000-0000-000000000000'::UUID").Value);
    }

    [Fact]
    public void Nested_types_and_enums()
    {
        _con.Execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
        var e = One("'happy'::mood");
        Assert.Equal("happy", e.Value);
        Assert.Equal(DuckDbType.Enum, e.Type);

        var list = One("[1, 2, NULL, 4]");
        Assert.Equal(new object?[] { 1, 2, null, 4 }, (object?[])list.Value!);
        Assert.Equal("INTEGER[]", list.TypeName);
        Assert.Equal(list.DuckTypeOf, list.TypeName);

        var nested = One("[['a', 'bbbbbbbbbbbbbbbbbbbb'], [], NULL]");
        var outer = (object?[])nested.Value!;
        Assert.Equal(new object?[] { "a", "bbbbbbbbbbbbbbbbbbbb" }, (object?[])outer[0]!);
        Assert.Empty((object?[])outer[1]!);
        Assert.Null(outer[2]);
        Assert.Equal("VARCHAR[][]", nested.TypeName);

        var st = One("{'a': 1, 'b': 'x', 'c': NULL::DOUBLE}");
        var fields = (Dictionary<string, object?>)st.Value!;
        Assert.Equal(1, fields["a"]);
        Assert.Equal("x", fields["b"]);
        Assert.Null(fields["c"]);
        Assert.Equal(st.DuckTypeOf, st.TypeName);

        var map = One("MAP {'k1': 10, 'k2': 20}");
        var m = (Dictionary<object, object?>)map.Value!;
        Assert.Equal(10, m["k1"]);
        Assert.Equal(20, m["k2"]);
        Assert.Equal(map.DuckTypeOf, map.TypeName);

        var arr = One("[1.5, 2.5, 3.5]::DOUBLE[3]");
        Assert.Equal(new object?[] { 1.5, 2.5, 3.5 }, (object?[])arr.Value!);
        Assert.Equal(DuckDbType.Array, arr.Type);
        Assert.Equal(arr.DuckTypeOf, arr.TypeName);

        var un = One("union_value(num := 42)::UNION(num INTEGER, str VARCHAR)");
        Assert.Equal(42, un.Value);
    }

    [Fact]
    public void Lists_across_chunk_boundaries_keep_their_rows()
    {
        using var r = _con.Query("SELECT i, [i, i + 1] AS l, {'s': i::VARCHAR || '-long-enough-string'} AS st FROM range(5000) t(i)");
        long n = 0;
        while (r.Read())
        {
            Assert.Equal(n, r.GetInt64(0));
            Assert.Equal(new object?[] { n, n + 1 }, (object?[])r.GetValue(1)!);
            Assert.Equal($"{n}-long-enough-string", ((Dictionary<string, object?>)r.GetValue(2)!)["s"]);
            n++;
        }
        Assert.Equal(5000, n);
    }

    [Fact]
    public void Nulls_and_typed_getters()
    {
        using var r = _con.Query("SELECT NULL::INTEGER a, 7::SMALLINT b, 2.5::FLOAT c, 'txt' d, TIMESTAMP '2020-05-06 07:08:09' e, DATE '2020-05-06' f, false g");
        Assert.True(r.Read());
        Assert.Equal(7, r.FieldCount);
        Assert.Equal("a", r.GetName(0));
        Assert.True(r.IsNull(0));
        Assert.Null(r.GetValue(0));
        Assert.Throws<InvalidCastException>(() => r.GetInt64(0));
        Assert.False(r.IsNull(1));
        Assert.Equal(7L, r.GetInt64(1));
        Assert.Equal(7.0, r.GetDouble(1));
        Assert.Equal(2.5, r.GetDouble(2));
        Assert.Equal("txt", r.GetString(3));
        Assert.Throws<InvalidCastException>(() => r.GetString(1));
        Assert.Equal(new DateTime(2020, 5, 6, 7, 8, 9), r.GetDateTime(4));
        Assert.Equal(new DateTime(2020, 5, 6), r.GetDateTime(5));
        Assert.False(r.GetBoolean(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.GetValue(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.GetName(-1));
        Assert.False(r.Read());
    }

    [Fact]
    public void Streaming_five_million_rows_keeps_memory_bounded()
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        using var r = _con.Query("SELECT range AS i, range * 2 AS j FROM range(5000000)");
        long n = 0, sum = 0;
        long peak = 0;
        while (r.Read())
        {
            sum += r.GetInt64(1);
            if ((++n & 0xFFFFF) == 0) peak = Math.Max(peak, GC.GetTotalMemory(false) - before);
        }
        Assert.Equal(5_000_000, n);
        Assert.Equal(2L * (5_000_000L * 4_999_999L / 2), sum);
        // A materialized result would be ~80 MB; streaming holds one chunk.
        Assert.True(peak < 32 * 1024 * 1024, $"managed memory grew by {peak} bytes");
    }

    [Fact]
    public void Reader_without_rows_and_use_before_read()
    {
        using var r = _con.Query("SELECT 1 AS x WHERE false");
        Assert.Equal(1, r.FieldCount);
        Assert.Equal(DuckDbType.Integer, r.GetColumnType(0));
        Assert.Throws<InvalidOperationException>(() => r.GetValue(0));
        Assert.False(r.Read());
        Assert.False(r.Read());
        r.Dispose();
        Assert.Throws<ObjectDisposedException>(() => r.Read());
    }
}

using PcapLab.Testing;
using System.Diagnostics;
using System.Text;
using PcapLab.Store.DuckDb;
using Xunit.Abstractions;

namespace PcapLab.Engine.Tests.Store.DuckDb;

/// <summary>Appended data is read back through DuckDB's own VARCHAR casts (the oracle), not through our reader.</summary>
public sealed class DuckDbAppenderTests(ITestOutputHelper output) : IDisposable
{
    private readonly DuckDbDatabase _db = DuckDbDatabase.Open(null);
    private DuckDbConnection? _con;
    private DuckDbConnection Con => _con ??= _db.Connect();

    public void Dispose()
    {
        _con?.Dispose();
        _db.Dispose();
    }

    private string[] Column(string sql)
    {
        using var r = Con.Query(sql);
        var rows = new List<string>();
        while (r.Read()) rows.Add(r.IsNull(0) ? "NULL" : r.GetString(0));
        return [.. rows];
    }

    [Fact]
    public void Column_api_writes_fixed_width_strings_blobs_and_nulls_across_chunks()
    {
        Con.Execute("""
            CREATE TABLE p (b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT, u8 UTINYINT, u16 USMALLINT,
                            u32 UINTEGER, u64 UBIGINT, f FLOAT, d DOUBLE, s VARCHAR, bl BLOB, ts TIMESTAMP, tns TIMESTAMP_NS)
            """);
        using (var app = Con.CreateAppender("p"))
        {
            Assert.Equal(15, app.ColumnCount);
            Assert.Equal(2048, app.VectorSize);
            Assert.Equal(DuckDbType.TimestampNs, app.GetColumnType(14));
            int total = 5000, done = 0;
            while (done < total)
            {
                int n = Math.Min(app.VectorSize, total - done);
                var b = app.Column<bool>(0); var i8 = app.Column<sbyte>(1); var i16 = app.Column<short>(2);
                var i32 = app.Column<int>(3); var i64 = app.Column<long>(4); var u8 = app.Column<byte>(5);
                var u16 = app.Column<ushort>(6); var u32 = app.Column<uint>(7); var u64 = app.Column<ulong>(8);
                var f = app.Column<float>(9); var d = app.Column<double>(10); var ts = app.Column<long>(13); var tns = app.Column<long>(14);
                for (int r = 0; r < n; r++)
                {
                    int k = done + r;
                    b[r] = k % 2 == 0; i8[r] = (sbyte)(k % 128); i16[r] = (short)-k; i32[r] = k * 1000; i64[r] = (long)k << 33;
                    u8[r] = (byte)k; u16[r] = (ushort)k; u32[r] = uint.MaxValue - (uint)k; u64[r] = ulong.MaxValue - (ulong)k;
                    f[r] = k + 0.5f; d[r] = k / 4.0; ts[r] = 1_700_000_000_000_000L + k; tns[r] = 1_700_000_000_000_000_123L + k;
                    app.SetString(11, r, k % 3 == 0 ? $"10.0.{k % 256}.{k / 256}" : $"host-{k}.example.org");
                    app.SetBlob(12, r, Encoding.ASCII.GetBytes(k % 2 == 0 ? "blob" : $"a longer blob #{k}"));
                    if (k % 7 == 0) app.SetNull(k % 15, r);
                }
                app.AppendChunk(n);
                done += n;
            }
        }
        Assert.Equal(["5000"], Column("SELECT count(*)::VARCHAR FROM p"));
        var row = Column("""
            SELECT concat_ws('|', b, i8, i16, i32, i64, u8, u16, u32, u64, f, d, s, bl, ts, tns) FROM p
            WHERE rowid IN (1, 2050, 4999) ORDER BY rowid
            """);
        Assert.Equal([
            "false|1|-1|1000|8589934592|1|1|4294967294|18446744073709551614|1.5|0.25|host-1.example.org|a longer blob #1|2023-11-14 22:13:20.000001|2023-11-14 22:13:20.000000124",
            "true|2|-2050|2050000|17609365913600|2|2050|4294965245|18446744073709549565|2050.5|512.5|host-2050.example.org|blob|2023-11-14 22:13:20.00205|2023-11-14 22:13:20.000002173",
            "false|7|-4999|4999000|42941083025408|135|4999|4294962296|18446744073709546616|4999.5|1249.75|host-4999.example.org|a longer blob #4999|2023-11-14 22:13:20.004999|2023-11-14 22:13:20.000005122",
        ], row);
        // Row 0 had column 0 nulled, row 7 column 7, row 14 column 14 (k % 7 == 0 → column k % 15).
        Assert.Equal(["NULL", "NULL", "NULL"], Column("SELECT CASE rowid WHEN 0 THEN b::VARCHAR WHEN 7 THEN u32::VARCHAR ELSE tns::VARCHAR END FROM p WHERE rowid IN (0, 7, 14) ORDER BY rowid"));
        Assert.Equal(["10.0.21.0"], Column("SELECT s FROM p WHERE rowid = 21"));
        Assert.Equal([Enumerable.Range(0, 5000).Count(k => k % 7 == 0).ToString()], Column("SELECT count(*)::VARCHAR FROM p WHERE s IS NULL OR b IS NULL OR i8 IS NULL OR i16 IS NULL OR i32 IS NULL OR i64 IS NULL OR u8 IS NULL OR u16 IS NULL OR u32 IS NULL OR u64 IS NULL OR f IS NULL OR d IS NULL OR bl IS NULL OR ts IS NULL OR tns IS NULL"));
    }

    [Fact]
    public void AppendRow_converts_values_to_column_types()
    {
        Con.Execute("CREATE TYPE sev AS ENUM ('BENIGN', 'SUSPICIOUS', 'MALICIOUS')");
        Con.Execute("""
            CREATE TABLE alerts (id HUGEINT, u UHUGEINT, amount DECIMAL(18,3), small DECIMAL(4,2), big DECIMAL(38,10), day DATE,
                                 t TIME, ts TIMESTAMP, tz TIMESTAMPTZ, ms TIMESTAMP_MS, sec TIMESTAMP_S, iv INTERVAL, g UUID, severity sev,
                                 note VARCHAR, flag BOOLEAN, n INTEGER, raw BLOB)
            """);
        using (var app = Con.CreateAppender("alerts"))
        {
            app.AppendRow(Int128.MinValue, UInt128.MaxValue, 123456789012345.678m, -1.25m, -12345678901234567.0123456789m, new DateOnly(2024, 2, 29),
                new TimeOnly(13, 14, 15), new DateTime(2024, 1, 2, 3, 4, 5, 6), new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
                new DateTime(2024, 1, 2, 3, 4, 5, 6), new DateTime(2024, 1, 2, 3, 4, 5), TimeSpan.FromHours(25), Guid.Parse("0fa8a2e1-7c9b-4d3f-8e2a-1b2c3d4e5f60"),
                "MALICIOUS", "it's \"quoted\"; DROP TABLE alerts", true, (short)12, new byte[] { 0xDE, 0xAD });
            app.AppendRow(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            Assert.Throws<ArgumentException>(() => app.AppendRow(1));
            Assert.Throws<ArgumentException>(() => app.AppendRow(0, 0, 0m, 0m, 0m, null, null, null, null, null, null, null, null, "NOPE", null, null, null, null));
        }
        var expected = string.Join("|", "-170141183460469231731687303715884105728", "340282366920938463463374607431768211455", "123456789012345.678", "-1.25",
            "-12345678901234567.0123456789", "2024-02-29", "13:14:15", "2024-01-02 03:04:05.006", "2024-01-02 01:04:05", "2024-01-02 03:04:05.006",
            "2024-01-02 03:04:05", "1 day 01:00:00", "0fa8a2e1-7c9b-4d3f-8e2a-1b2c3d4e5f60", "MALICIOUS", "it's \"quoted\"; DROP TABLE alerts", "true", "12", @"\xDE\xAD");
        Con.Execute("SET TimeZone = 'UTC'");
        Assert.Equal([expected], Column("""
            SELECT concat_ws('|', id, u, amount, small, big, day, t, ts, strftime(tz AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), ms, sec, iv, g, severity, note, flag, n, raw)
            FROM alerts WHERE id IS NOT NULL
            """));
        Assert.Equal(["18"], Column("SELECT (" + string.Join(" + ", Enumerable.Range(0, 18).Select(i => $"(#{i + 1} IS NULL)::INT")) + ")::VARCHAR FROM (SELECT * FROM alerts WHERE id IS NULL)"));
    }

    [Fact]
    public void Invalid_use_is_rejected_before_native_calls()
    {
        Con.Execute("CREATE TABLE v (i INTEGER, s VARCHAR)");
        var app = Con.CreateAppender("v");
        Assert.Throws<ArgumentOutOfRangeException>(() => app.Column<int>(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => app.SetNull(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => app.SetString(1, app.VectorSize, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => app.AppendChunk(app.VectorSize + 1));
        Assert.Throws<InvalidOperationException>(() => app.Column<long>(0));
        Assert.Throws<InvalidOperationException>(() => app.SetString(0, 0, "x"));
        Assert.Throws<InvalidOperationException>(() => app.SetBlob(1, 0, [1]));
        Assert.Throws<ArgumentException>(() => app.SetString(1, 0, new byte[] { 0xC3, 0x28 }));
        app.Dispose();
        Assert.Throws<ObjectDisposedException>(() => app.Column<int>(0));
        Assert.Throws<ObjectDisposedException>(() => app.AppendChunk(0));

        var missing = Assert.Throws<DuckDbException>(() => Con.CreateAppender("no_such_table"));
        Assert.Contains("no_such_table", missing.Message);
    }

    [Fact]
    public void Constraint_violations_surface_as_DuckDbException_with_DuckDB_message()
    {
        Con.Execute("CREATE TABLE c (id INTEGER PRIMARY KEY, s VARCHAR NOT NULL)");
        var ex = Assert.ThrowsAny<DuckDbException>(() =>
        {
            using var app = Con.CreateAppender("c");
            app.AppendRow(1, "a");
            app.AppendRow(1, "b");
            app.Flush();
        });
        Assert.Contains("constraint", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("CONSTRAINT", ex.ErrorType);

        var nul = Assert.ThrowsAny<DuckDbException>(() =>
        {
            using var app = Con.CreateAppender("c");
            app.Column<int>(0)[0] = 5;
            app.SetNull(1, 0);
            app.AppendChunk(1);
            app.Flush();
        });
        Assert.Contains("NOT NULL", nul.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Steady_state_appending_does_not_allocate()
    {
        Con.Execute("CREATE TABLE a (i BIGINT, s VARCHAR, t VARCHAR)");
        using var app = Con.CreateAppender("a");
        byte[] shortIp = "10.1.2.3"u8.ToArray(), longIp = "192.168.100.200"u8.ToArray();
        void Fill()
        {
            var col = app.Column<long>(0);
            for (int r = 0; r < app.VectorSize; r++)
            {
                col[r] = r;
                app.SetString(1, r, shortIp);
                app.SetString(2, r, longIp);
                if (r % 100 == 0) app.SetNull(1, r);
            }
            app.AppendChunk(app.VectorSize);
        }
        Fill(); // the first validity mask
        Assert.Equal(0, Allocations.SteadyState(() => { for (int c = 0; c < 12; c++) Fill(); }, rounds: 4));
        app.Flush();
        Assert.Equal(["124928"], Column("SELECT count(*)::VARCHAR FROM a")); // 61 chunks of 2048
        Assert.Equal(["192.168.100.200"], Column("SELECT DISTINCT t FROM a"));
    }

    /// <summary>
    /// Throughput probe (not an assertion on time): 10 M rows of 20 mixed columns (12 integer columns, 8 short strings
    /// like IPv4 text). Enabled with PCAPLAB_DUCKDB_PROBE=1; prints rows/s.
    /// </summary>
    [Fact]
    public void Throughput_probe_ten_million_rows_twenty_columns()
    {
        int rows = Environment.GetEnvironmentVariable("PCAPLAB_DUCKDB_PROBE") == "1" ? 10_000_000 : 200_000;
        var cols = Enumerable.Range(0, 12).Select(i => $"n{i} {(i % 3 == 0 ? "BIGINT" : i % 3 == 1 ? "INTEGER" : "USMALLINT")}")
            .Concat(Enumerable.Range(0, 8).Select(i => $"s{i} VARCHAR"));
        Con.Execute($"CREATE TABLE probe ({string.Join(", ", cols)})");
        var ips = Enumerable.Range(0, 4096).Select(i => Encoding.ASCII.GetBytes($"{10 + i % 200}.{i % 256}.{(i * 7) % 256}.{(i * 13) % 256}")).ToArray();
        var clock = Stopwatch.StartNew();
        var appendClock = new Stopwatch();
        using (var app = Con.CreateAppender("probe"))
        {
            int vs = app.VectorSize;
            for (int done = 0; done < rows; done += vs)
            {
                int n = Math.Min(vs, rows - done);
                for (int c = 0; c < 12; c += 3)
                {
                    var a = app.Column<long>(c); var b = app.Column<int>(c + 1); var u = app.Column<ushort>(c + 2);
                    for (int r = 0; r < n; r++) { a[r] = done + r; b[r] = r * c; u[r] = (ushort)(r + c); }
                }
                for (int c = 12; c < 20; c++)
                    for (int r = 0; r < n; r++) app.SetString(c, r, ips[(r + c) & 4095]);
                appendClock.Start();
                app.AppendChunk(n);
                appendClock.Stop();
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"appended {rows:N0} rows x 20 columns in {seconds:F2} s = {rows / seconds:N0} rows/s " +
            $"({appendClock.Elapsed.TotalSeconds:F2} s inside duckdb_append_data_chunk, the rest filling chunks and closing)");
        Assert.Equal([rows.ToString()], Column("SELECT count(*)::VARCHAR FROM probe"));
        Assert.Equal([$"{rows - 1}"], Column("SELECT max(n0)::VARCHAR FROM probe"));
    }
}

public class DuckDbAppenderListTests
{
    [Fact]
    public void List_columns_round_trip_across_chunks()
    {
        using var db = DuckDbDatabase.Open(null);
        using var con = db.Connect();
        con.Execute("CREATE TABLE t (id INTEGER, a INTEGER[], f FLOAT[])");
        using (var app = con.CreateAppender("t"))
        {
            for (int chunk = 0; chunk < 3; chunk++)
            {
                int n = app.VectorSize;
                var ids = app.Column<int>(0);
                for (int r = 0; r < n; r++)
                {
                    int id = chunk * n + r;
                    ids[r] = id;
                    app.SetList<int>(1, r, Enumerable.Range(id % 5, id % 4).ToArray());
                    if (r % 7 == 0) app.SetNull(2, r); else app.SetList<float>(2, r, [id / 2f]);
                }
                app.AppendChunk(n);
            }
        }
        int vs;
        using (var a = con.CreateAppender("t")) vs = a.VectorSize;
        Assert.Equal(3L * vs, con.Scalar<long>("SELECT count(*) FROM t"));
        // DuckDB computes the expected lists itself: range(id % 5, id % 5 + id % 4).
        Assert.Equal(0L, con.Scalar<long>("SELECT count(*) FROM t WHERE a <> range(id % 5, id % 5 + id % 4)::INTEGER[]"));
        Assert.Equal(0L, con.Scalar<long>("SELECT count(*) FROM t WHERE id % 7 <> 0 AND (f <> [id / 2]::FLOAT[])"));
        Assert.Equal((long)Enumerable.Range(0, 3 * vs).Count(i => i % vs % 7 == 0), con.Scalar<long>("SELECT count(*) FROM t WHERE f IS NULL"));
    }
}

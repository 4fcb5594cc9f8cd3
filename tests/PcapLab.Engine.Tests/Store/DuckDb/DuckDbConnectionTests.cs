using System.Diagnostics;
using PcapLab.Store.DuckDb;

namespace PcapLab.Engine.Tests.Store.DuckDb;

public sealed class DuckDbConnectionTests : IDisposable
{
    private readonly DuckDbDatabase _db = DuckDbDatabase.Open(":memory:");
    private readonly DuckDbConnection _con;

    public DuckDbConnectionTests() => _con = _db.Connect();

    public void Dispose()
    {
        _con.Dispose();
        _db.Dispose();
    }

    [Fact]
    public void Library_version_is_the_pinned_one()
    {
        // The pin lives in build.sh.
        string pinned = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(PcapLab.Testing.Repo.Root, "build.sh")),
            @"DUCKDB_NPM_VERSION=(\S+)").Groups[1].Value;
        Assert.NotEmpty(pinned);
        // The npm package version carries a release suffix ("1.5.2-r.1"); the library reports "v1.5.2".
        Assert.Equal("v" + pinned.Split('-')[0], DuckDbDatabase.LibraryVersion);
    }

    [Fact]
    public void Execute_runs_several_statements_and_counts_changed_rows()
    {
        Assert.Equal(0, _con.Execute("CREATE TABLE t (i INTEGER, s VARCHAR); CREATE TABLE u (x INTEGER);"));
        Assert.Equal(3, _con.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')"));
        Assert.Equal(2, _con.Execute("UPDATE t SET s = 'z' WHERE i >= $1", 2));
        Assert.Equal(2, _con.Scalar<long>("SELECT count(*) FROM t WHERE s = 'z'"));
        Assert.Equal(0, _con.Scalar<int>("SELECT count(*) FROM u"));
    }

    public static TheoryData<object?, string> Params => new()
    {
        { null, "NULL" },
        { true, "true" },
        { (sbyte)-5, "-5" },
        { (short)-300, "-300" },
        { -70000, "-70000" },
        { long.MinValue, "-9223372036854775808" },
        { (byte)200, "200" },
        { (ushort)60000, "60000" },
        { 4000000000u, "4000000000" },
        { ulong.MaxValue, "18446744073709551615" },
        { 1.5f, "1.5" },
        { -0.125, "-0.125" },
        { 12345.678m, "12345.678" },
        { -0.001m, "-0.001" },
        { "plain", "plain" },
        { "Robert'); DROP TABLE students;--", "Robert'); DROP TABLE students;--" },
        { "$1 ? '' \" \\ ünï ✓", "$1 ? '' \" \\ ünï ✓" },
        { new DateTime(2024, 3, 4, 5, 6, 7, 890), "2024-03-04 05:06:07.89" },
        { new DateOnly(2023, 12, 31), "2023-12-31" },
        { new TimeOnly(1, 2, 3), "01:02:03" },
        { TimeSpan.FromHours(36.5), "1 day 12:30:00" },
        { new DuckDbInterval(2, 3, 4_000_000), "2 months 3 days 00:00:04" },
        { Guid.Parse("0fa8a2e1-7c9b-4d3f-8e2a-1b2c3d4e5f60"), "0fa8a2e1-7c9b-4d3f-8e2a-1b2c3d4e5f60" },
        { Int128.MinValue, "-170141183460469231731687303715884105728" },
        { UInt128.MaxValue, "340282366920938463463374607431768211455" },
    };

    [Theory, MemberData(nameof(Params))]
    public void Parameters_bind_typed_and_DuckDB_renders_them(object? value, string expected)
    {
        string? text = _con.Scalar<string>("SELECT CASE WHEN $1 IS NULL THEN 'NULL' ELSE $1::VARCHAR END", value);
        Assert.Equal(expected, text);
    }

    [Fact]
    public void Parameter_types_reach_DuckDB()
    {
        Assert.Equal("UUID", _con.Scalar<string>("SELECT typeof($1)", Guid.NewGuid()));
        Assert.Equal("BLOB", _con.Scalar<string>("SELECT typeof($1)", new byte[] { 1 }));
        Assert.Equal("TIMESTAMP WITH TIME ZONE", _con.Scalar<string>("SELECT typeof($1)", DateTimeOffset.UnixEpoch));
        Assert.Equal("HUGEINT", _con.Scalar<string>("SELECT typeof($1)", (Int128)1));
        Assert.Equal(new byte[] { 0, 1, 255 }, _con.Scalar<byte[]>("SELECT $1", new byte[] { 0, 1, 255 }));
        var dto = new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.FromHours(3));
        Assert.Equal(dto, _con.Scalar<DateTimeOffset>("SELECT $1", dto));
        Assert.Equal(42, _con.Scalar<int>("SELECT ?", DayOfWeek.Friday + 37));
    }

    [Fact]
    public void Injection_looking_strings_are_stored_verbatim()
    {
        _con.Execute("CREATE TABLE notes (id INTEGER, body VARCHAR)");
        string[] evil = ["'; DROP TABLE notes; --", "1 OR 1=1", "x'); DELETE FROM notes; SELECT ('", "\0null\0byte", new string('\'', 300)];
        using (var insert = _con.Prepare("INSERT INTO notes VALUES ($1, $2)"))
        {
            Assert.Equal(2, insert.ParameterCount);
            for (int i = 0; i < evil.Length; i++) Assert.Equal(1, insert.Execute(i, evil[i]));
        }
        using var r = _con.Query("SELECT body FROM notes ORDER BY id");
        foreach (var s in evil)
        {
            Assert.True(r.Read());
            Assert.Equal(s, r.GetString(0));
        }
        Assert.False(r.Read());
        Assert.Equal(evil.Length, _con.Scalar<long>("SELECT count(*) FROM notes WHERE body = ?", evil[0]) + evil.Length - 1);
    }

    [Fact]
    public void Wrong_parameter_count_and_unsupported_types_are_rejected_before_DuckDB()
    {
        Assert.Throws<ArgumentException>(() => _con.Scalar<int>("SELECT $1 + $2", 1));
        Assert.Throws<ArgumentException>(() => _con.Scalar<int>("SELECT $1", new object()));
    }

    [Fact]
    public void Prepared_statement_streams_and_reruns()
    {
        using var st = _con.Prepare("SELECT i FROM range($1) t(i)");
        for (int run = 1; run <= 3; run++)
        {
            using var r = st.Query((long)(run * 1000));
            long n = 0;
            while (r.Read()) n++;
            Assert.Equal(run * 1000, n);
        }
    }

    [Fact]
    public void Syntax_error_carries_DuckDB_message_position_and_type()
    {
        var ex = Assert.Throws<DuckDbException>(() => _con.Query("SELECT 1 FORM t"));
        Assert.Contains("syntax error", ex.Message);
        Assert.Contains("FORM", ex.Message);
        Assert.Contains("LINE 1", ex.Message);
        Assert.Equal("PARSER", ex.ErrorType);

        var ex2 = Assert.Throws<DuckDbException>(() => _con.Execute("SELEC 1; SELECT 2"));
        Assert.Contains("syntax error", ex2.Message);
        Assert.Equal("PARSER", ex2.ErrorType);
    }

    [Fact]
    public void Catalog_constraint_and_runtime_errors_have_types()
    {
        var missing = Assert.Throws<DuckDbException>(() => _con.Execute("SELECT * FROM no_such_table"));
        Assert.Contains("no_such_table", missing.Message);
        Assert.Equal("CATALOG", missing.ErrorType);

        _con.Execute("CREATE TABLE k (id INTEGER PRIMARY KEY)");
        _con.Execute("INSERT INTO k VALUES (1)");
        var dup = Assert.Throws<DuckDbException>(() => _con.Execute("INSERT INTO k VALUES ($1)", 1));
        Assert.Equal("CONSTRAINT", dup.ErrorType);

        var conv = Assert.Throws<DuckDbException>(() => _con.Scalar<int>("SELECT 'abc'::INTEGER"));
        Assert.Equal("CONVERSION", conv.ErrorType);

        // An error raised while rows stream (not at prepare time) surfaces from Read().
        var late = Assert.Throws<DuckDbException>(() =>
        {
            using var r = _con.Query("SELECT CASE WHEN i < 100000 THEN i ELSE error('boom at ' || i) END FROM range(200000) t(i)");
            while (r.Read()) { }
        });
        Assert.Contains("boom at", late.Message);
        Assert.Equal(42, _con.Scalar<int>("SELECT 42"));
    }

    [Fact]
    public void Interrupt_from_another_thread_stops_a_long_query_and_the_connection_stays_usable()
    {
        var running = Task.Run(() =>
        {
            using var r = _con.Query("SELECT count(*) FROM range(1000000000) a, range(1000000000) b WHERE a.range + b.range = 7");
            r.Read();
            return r.GetInt64(0);
        });
        var clock = Stopwatch.StartNew();
        while (!running.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(200);
            _con.Interrupt();
        }
        var ex = Assert.Throws<AggregateException>(() => running.Wait(TimeSpan.FromSeconds(30)));
        var duck = Assert.IsType<DuckDbException>(ex.InnerException);
        Assert.Equal("INTERRUPT", duck.ErrorType);
        Assert.True(duck.IsInterrupted);
        Assert.Equal(7L, _con.Scalar<long>("SELECT 7"));
    }

    [Fact]
    public void Settings_are_applied_and_visible()
    {
        var config = new DuckDbConfig { Threads = 1, MemoryLimit = "300MB" };
        config.Options["default_order"] = "DESC";
        using var db = DuckDbDatabase.Open(null, config);
        using var con = db.Connect();
        Assert.Equal("1", con.Scalar<string>("SELECT current_setting('threads')::VARCHAR"));
        Assert.Contains("MiB", con.Scalar<string>("SELECT current_setting('memory_limit')")); // DuckDB renders 300MB as 286.1 MiB
        Assert.Equal("desc", con.Scalar<string>("SELECT lower(current_setting('default_order'))"));

        var defaults = new DuckDbConfig();
        Assert.Equal(Environment.GetEnvironmentVariable("PCAPLAB_DUCKDB_MEMORY") is { Length: > 0 } m ? m : "4GB", defaults.MemoryLimit);
        using var db2 = DuckDbDatabase.Open(null);
        using var con2 = db2.Connect();
        Assert.Equal((long)defaults.Threads!.Value, con2.Scalar<long>("SELECT current_setting('threads')"));

        var bad = new DuckDbConfig();
        bad.Options["no_such_setting_xyz"] = "1";
        var ex = Assert.Throws<DuckDbException>(() => DuckDbDatabase.Open(null, bad));
        Assert.Contains("no_such_setting_xyz", ex.Message);
    }

    [Fact]
    public void File_database_persists_across_reopen()
    {
        string dir = Directory.CreateTempSubdirectory("pcaplab-duckdb-").FullName;
        try
        {
            string path = Path.Combine(dir, "store.duckdb");
            using (var db = DuckDbDatabase.Open(path))
            using (var con = db.Connect())
            {
                con.Execute("CREATE TABLE flows (id BIGINT, proto VARCHAR)");
                con.Execute("INSERT INTO flows VALUES ($1, $2), ($3, $4)", 1L, "tcp", 2L, "udp");
            }
            using (var db = DuckDbDatabase.Open(path))
            using (var con = db.Connect())
            {
                Assert.Equal("tcp,udp", con.Scalar<string>("SELECT string_agg(proto, ',' ORDER BY id) FROM flows"));
            }
            var err = Assert.Throws<DuckDbException>(() => DuckDbDatabase.Open(Path.Combine(dir, "missing-dir", "x.duckdb")));
            Assert.False(string.IsNullOrEmpty(err.Message));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Disposal_in_any_order_is_safe()
    {
        var db = DuckDbDatabase.Open(null);
        var con = db.Connect();
        con.Execute("CREATE TABLE d (i INTEGER)");
        var st = con.Prepare("SELECT i FROM range(10000) t(i)");
        var reader = st.Query();
        var app = con.CreateAppender("d");
        app.AppendRow(5);

        db.Dispose();   // the database stays open for its connection
        con.Dispose();  // ... which stays open for its statement, reader and appender
        Assert.Throws<ObjectDisposedException>(() => con.Execute("SELECT 1"));
        Assert.Throws<ObjectDisposedException>(() => db.Connect());
        Assert.True(reader.Read());
        Assert.Equal(0L, reader.GetInt64(0));
        st.Dispose();
        Assert.True(reader.Read());
        app.Dispose();
        reader.Dispose();
        reader.Dispose();
        app.Dispose();
        con.Interrupt(); // no-op once closed
        Assert.Equal(-1, con.QueryProgress);
    }

    [Fact]
    public void Query_progress_is_readable()
    {
        double p = _con.QueryProgress;
        Assert.True(p == -1 || p is >= 0 and <= 100, $"progress {p}");
    }
}

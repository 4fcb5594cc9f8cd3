using PcapLab.Store.DuckDb;

namespace PcapLab.Export;

/// <summary>How exported rows are split into folders (hive-style <c>key=value/</c> directories).</summary>
public enum ExportPartition
{
    /// <summary>One file set, no partition folders.</summary>
    None,
    /// <summary><c>hour=YYYY-MM-DDTHH/</c> from the table's <c>ts</c> column.</summary>
    Hour,
    /// <summary><c>capture_id=N/</c>.</summary>
    Capture,
}

/// <summary>
/// Writes PcapLab tables out for tools beyond one laptop: hive-partitioned Parquet that Spark, Trino and DuckDB read as
/// one dataset, or CSV. DuckDB's own COPY does the writing.
/// </summary>
public static class TableExport
{
    /// <summary>Exports <paramref name="table"/> to <paramref name="directory"/> and returns the number of rows written.</summary>
    /// <param name="db">The session's connection.</param>
    /// <param name="table">A table or view of the database (checked against the catalog, then quoted).</param>
    /// <param name="format">parquet or csv.</param>
    /// <param name="directory">The output folder; created when missing.</param>
    /// <param name="partition">Partitioning of the output.</param>
    /// <param name="overwrite">Replace files already in the folder.</param>
    public static long Export(DuckDbConnection db, string table, string format, string directory, ExportPartition partition = ExportPartition.None,
        bool overwrite = false)
    {
        if (db.Scalar<long>("SELECT count(*) FROM duckdb_tables() WHERE table_name = $1", table) +
            db.Scalar<long>("SELECT count(*) FROM duckdb_views() WHERE view_name = $1 AND NOT internal", table) == 0)
            throw new ArgumentException($"no table or view named '{table}'; PcapLab's tables are captures, packets, flows, dns, http, tls, ssh, alerts, predictions, weirds");
        format = format.ToLowerInvariant();
        if (format is not ("parquet" or "csv")) throw new ArgumentException($"unknown export format '{format}': use parquet or csv");
        if (partition == ExportPartition.Hour && db.Scalar<long>("SELECT count(*) FROM duckdb_columns() WHERE table_name = $1 AND column_name = 'ts'", table) == 0)
            throw new ArgumentException($"table '{table}' has no ts column to partition by hour; use --partition-by capture or none");
        if (partition == ExportPartition.Capture && db.Scalar<long>("SELECT count(*) FROM duckdb_columns() WHERE table_name = $1 AND column_name = 'capture_id'", table) == 0)
            throw new ArgumentException($"table '{table}' has no capture_id column to partition by; use --partition-by hour or none");
        Directory.CreateDirectory(directory);

        // COPY takes no parameters: the table name is a checked identifier (quoted) and the path a quoted literal.
        string source = partition == ExportPartition.Hour
            ? $"SELECT *, strftime(ts, '%Y-%m-%dT%H') AS hour FROM {Identifier(table)}"
            : $"SELECT * FROM {Identifier(table)}";
        var options = new List<string> { $"FORMAT {format}" };
        if (format == "csv") options.Add("HEADER true");
        if (partition != ExportPartition.None) options.Add($"PARTITION_BY ({(partition == ExportPartition.Hour ? "hour" : "capture_id")})");
        if (overwrite) options.Add("OVERWRITE_OR_IGNORE true");
        string target = partition == ExportPartition.None ? Path.Combine(directory, $"{table}.{format}") : directory;
        return db.Execute($"COPY ({source}) TO {Literal(target)} ({string.Join(", ", options)})");
    }

    internal static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    internal static string Literal(string text) => "'" + text.Replace("'", "''") + "'";
}

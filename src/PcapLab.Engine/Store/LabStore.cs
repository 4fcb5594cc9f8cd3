using PcapLab.Ingest;
using PcapLab.Store.DuckDb;

namespace PcapLab.Store;

/// <summary>Creates PcapLab's tables and keeps the bookkeeping rows of the <c>captures</c> table.</summary>
public static class LabStore
{
    /// <summary>The running PcapLab version, recorded with every capture.</summary>
    public static string Version { get; } =
        typeof(LabStore).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Opens (or creates) a database file, or an in-memory one when <paramref name="path"/> is null, with PcapLab's tables.</summary>
    public static (DuckDbDatabase Database, DuckDbConnection Connection) Open(string? path, DuckDbConfig? config = null)
    {
        var database = DuckDbDatabase.Open(path, config);
        try
        {
            var connection = database.Connect();
            EnsureSchema(connection);
            return (database, connection);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>Creates any missing PcapLab table. Safe to call on every open.</summary>
    public static void EnsureSchema(DuckDbConnection db)
    {
        foreach (var ddl in Schema.All) db.Execute(ddl);
    }

    internal static int? FindCapture(DuckDbConnection db, string sha256) =>
        db.Scalar<int?>("SELECT capture_id FROM captures WHERE sha256 = $1 AND status = 'ok' ORDER BY capture_id LIMIT 1", sha256);

    internal static bool HasCaptureOfSize(DuckDbConnection db, long fileBytes) =>
        db.Scalar<long>("SELECT count(*) FROM captures WHERE file_bytes = $1 AND status = 'ok'", fileBytes) > 0;

    // Files loading at once on several connections must not pick the same capture id.
    private static readonly object CaptureIdGate = new();

    /// <summary>Adds a capture row (status 'reading') under the next free capture id and returns the id.</summary>
    internal static int AddCapture(DuckDbConnection db, string path, string? sha256, long fileBytes)
    {
        lock (CaptureIdGate)
        {
            int id = db.Scalar<int>("SELECT CAST(coalesce(max(capture_id), 0) + 1 AS INTEGER) FROM captures");
            db.Execute("INSERT INTO captures (capture_id, path, sha256, file_bytes, status, loaded_at, pcaplab_version) VALUES ($1, $2, $3, $4, 'reading', now(), $5)",
                id, path, sha256, fileBytes, Version);
            return id;
        }
    }

    /// <summary>Drops the row of a capture that was given an id but never read (its load was cancelled first).</summary>
    internal static void RemoveCapture(DuckDbConnection db, int id) =>
        db.Execute("DELETE FROM captures WHERE capture_id = $1 AND status = 'reading' AND packets IS NULL", id);

    /// <summary>Records a capture file's SHA-256 once it is known (a live capture's file is hashed after it is closed).</summary>
    public static void SetCaptureHash(DuckDbConnection db, int captureId, string? sha256, long fileBytes) =>
        db.Execute("UPDATE captures SET sha256 = $2, file_bytes = $3 WHERE capture_id = $1", captureId, sha256, fileBytes);

    internal static void FinishCapture(DuckDbConnection db, int id, CaptureTotals totals, string status, string? error, long? errorOffset,
        string? format, string[]? linkTypes, bool compressed, string[] warnings)
    {
        db.Execute("""
            UPDATE captures SET format = $2, compressed = $3, link_types = CASE WHEN $4 = '' THEN []::VARCHAR[] ELSE string_split($4, chr(31)) END, packets = $5, bytes = $6,
                first_ts = make_timestamp_ns($7), last_ts = make_timestamp_ns($8), status = $9, error = $10, error_offset = $11,
                warnings = CASE WHEN $12 = '' THEN []::VARCHAR[] ELSE string_split($12, chr(31)) END
            WHERE capture_id = $1
            """,
            id, format, compressed, Joined(linkTypes ?? []), totals.Packets, totals.Bytes,
            totals.Packets > 0 ? totals.FirstTs : null, totals.Packets > 0 ? totals.LastTs : null,
            status, error, errorOffset, Joined(warnings));
    }

    // Lists travel as one parameter joined by the unit separator and are split in SQL, so no text is ever spliced into a query.
    private static string Joined(IEnumerable<string> items) => string.Join('\u001f', items.Select(s => s.Replace('\u001f', ' ')));
}

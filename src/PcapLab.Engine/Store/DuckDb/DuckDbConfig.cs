using System.Globalization;

namespace PcapLab.Store.DuckDb;

/// <summary>
/// Start-up settings for <see cref="DuckDbDatabase.Open"/>. Defaults suit a small shared box (2 cores, 24 GB):
/// all cores and a 4 GB memory limit, overridable with the environment variables PCAPLAB_DUCKDB_THREADS and
/// PCAPLAB_DUCKDB_MEMORY (any DuckDB size, e.g. "8GB", "75%").
/// </summary>
public sealed class DuckDbConfig
{
    /// <summary>DuckDB's <c>memory_limit</c> ("4GB", "512MB", "80%"); null leaves DuckDB's default (80% of RAM).</summary>
    public string? MemoryLimit { get; set; } = Environment.GetEnvironmentVariable("PCAPLAB_DUCKDB_MEMORY") is { Length: > 0 } m ? m : "4GB";

    /// <summary>DuckDB's <c>threads</c>; null leaves DuckDB's default (one per core).</summary>
    public int? Threads { get; set; } = ThreadsFromEnvironment() ?? Environment.ProcessorCount;

    /// <summary>Any other DuckDB setting by name (see <c>SELECT * FROM duckdb_settings()</c>), e.g. <c>["preserve_insertion_order"] = "false"</c>.</summary>
    public IDictionary<string, string> Options { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>All settings as DuckDB name/value pairs, in the order they are applied.</summary>
    internal IEnumerable<KeyValuePair<string, string>> Settings()
    {
        if (Threads is int t) yield return new("threads", t.ToString(CultureInfo.InvariantCulture));
        if (MemoryLimit is { } m) yield return new("memory_limit", m);
        foreach (var kv in Options) yield return kv;
    }

    private static int? ThreadsFromEnvironment()
    {
        string? s = Environment.GetEnvironmentVariable("PCAPLAB_DUCKDB_THREADS");
        if (string.IsNullOrEmpty(s)) return null;
        return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n : throw new InvalidOperationException($"PCAPLAB_DUCKDB_THREADS must be a positive integer, got '{s}'");
    }
}

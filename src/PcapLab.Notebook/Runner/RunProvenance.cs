using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using PcapLab.Store.DuckDb;

namespace PcapLab.Notebook.Runner;

/// <summary>Where and with what a notebook ran: written to the executed notebook's <c>metadata.pcaplab</c> and the report header.</summary>
public sealed class RunProvenance
{
    /// <summary>The notebook run (full path).</summary>
    public required string Notebook { get; init; }

    /// <summary>PcapLab's version (assembly informational version).</summary>
    public string PcapLabVersion { get; init; } = Version;

    /// <summary>libduckdb's version, or "unavailable" when the library cannot be loaded.</summary>
    public string DuckDbVersion { get; init; } = DuckDbLibraryVersion();

    /// <summary>The machine's host name.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>Parameter values injected, as given (before typing).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Parameters { get; init; } = [];

    /// <summary>Captures read by the session, with their SHA-256.</summary>
    public IReadOnlyList<CaptureHash> Captures { get; set; } = [];

    /// <summary>The session's DuckDB file, or null (in-memory).</summary>
    public string? Database { get; init; }

    /// <summary>The directory cells ran in.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>When the run ended (UTC).</summary>
    public DateTimeOffset End { get; set; }

    /// <summary>The run's exit code.</summary>
    public int ExitCode { get; set; }

    /// <summary>PcapLab's version string.</summary>
    public static string Version { get; } =
        typeof(RunProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(RunProvenance).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static string DuckDbLibraryVersion()
    {
        try { return DuckDbDatabase.LibraryVersion is { Length: > 0 } v ? v : "unavailable"; }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException) { return "unavailable"; }
    }

    /// <summary>UTC time as ISO 8601 with a Z (papermill and nbformat timestamps look like this).</summary>
    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The <c>metadata.pcaplab</c> object.</summary>
    public JsonObject ToJson(IReadOnlyList<CellRun> cells)
    {
        var parameters = new JsonObject();
        foreach (var (k, v) in Parameters) parameters[k] = v;
        return new JsonObject
        {
            ["version"] = PcapLabVersion,
            ["duckdb_version"] = DuckDbVersion,
            ["host"] = Host,
            ["input_path"] = Notebook,
            ["cwd"] = WorkingDirectory,
            ["database"] = Database,
            ["parameters"] = parameters,
            ["captures"] = new JsonArray([.. Captures.Select(c => (JsonNode?)new JsonObject { ["path"] = c.Path, ["sha256"] = c.Sha256 })]),
            ["start_time"] = Iso(Start),
            ["end_time"] = Iso(End),
            ["duration"] = Math.Round((End - Start).TotalSeconds, 6),
            ["exit_code"] = ExitCode,
            ["cells"] = new JsonArray([.. cells.Where(c => c.Number > 0).Select(c => (JsonNode?)new JsonObject
            {
                ["id"] = c.Cell.Id,
                ["number"] = c.Number,
                ["status"] = NotebookOutput.StatusName(c.Status),
                ["duration"] = c.Duration is { } d ? Math.Round(d.TotalSeconds, 6) : null,
            })]),
        };
    }

    /// <summary>Rows for the report header, in reading order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToReportRows()
    {
        var rows = new List<KeyValuePair<string, string>> { new("notebook", Notebook) };
        rows.Add(new("parameters", Parameters.Count == 0 ? "(defaults)" : string.Join(", ", Parameters.Select(p => $"{p.Key} = {p.Value ?? "null"}"))));
        if (Captures.Count == 0) rows.Add(new("captures", "none recorded"));
        foreach (var c in Captures) rows.Add(new("capture sha256", $"{c.Sha256}  {c.Path}"));
        rows.Add(new("PcapLab", PcapLabVersion));
        rows.Add(new("DuckDB", DuckDbVersion));
        rows.Add(new("database", Database ?? "in-memory"));
        rows.Add(new("host", Host));
        rows.Add(new("working directory", WorkingDirectory));
        rows.Add(new("started (UTC)", Iso(Start)));
        rows.Add(new("finished (UTC)", Iso(End)));
        rows.Add(new("exit code", ExitCode.ToString(CultureInfo.InvariantCulture)));
        return rows;
    }
}

using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Ml.Labels;

/// <summary>A label source cannot be used: the file or folder is missing, a rule is malformed, the SQL fails. The message says what to fix.</summary>
public sealed class LabelSourceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What labelling the flows gave: a label per flow id (unlabelled flows are absent) and what the analyst should know.</summary>
public sealed class FlowLabels
{
    internal FlowLabels(Dictionary<long, string> byFlow, int unlabeled, IReadOnlyList<string> warnings, IReadOnlyList<int>? captureIds)
    {
        ByFlow = byFlow;
        Unlabeled = unlabeled;
        Warnings = warnings;
        CaptureIds = captureIds;
    }

    /// <summary>Label per flow_id.</summary>
    public IReadOnlyDictionary<long, string> ByFlow { get; }

    /// <summary>Flows no label applied to (excluded from training).</summary>
    public int Unlabeled { get; }

    /// <summary>Rules that matched no flow, flows left out, and the like.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The captures the source is about (a labelled folder's files), or null for every capture in the database.</summary>
    public IReadOnlyList<int>? CaptureIds { get; }

    /// <summary>Flows per label, largest first.</summary>
    public IReadOnlyList<(string Label, int Flows)> Counts =>
        ByFlow.Values.GroupBy(l => l, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).OrderByDescending(p => p.Item2).ThenBy(p => p.Key, StringComparer.Ordinal).ToArray();
}

/// <summary>
/// Where training labels come from: a CSV of rules (<see cref="FromCsv"/>), a folder per label
/// (<see cref="FromDirectory"/>), or a SQL expression over <c>flows</c> (<see cref="FromSql"/>).
/// </summary>
/// <example><code>
/// var labels = LabelSource.Parse("datasets/labels.csv");                         // or a SQL expression
/// var labels2 = LabelSource.FromSql("CASE WHEN resp_p = 22 AND conn_state &lt;&gt; 'SF' THEN 'bruteforce' ELSE 'benign' END");
/// var labels3 = LabelSource.FromDirectory("datasets/train");                        // datasets/train/&lt;label&gt;/*.pcap
/// </code></example>
public abstract class LabelSource
{
    private protected LabelSource() { }

    /// <summary>A short description for reports ("labels.csv (13 rules)", "folder datasets/train", "SQL ...").</summary>
    public abstract string Description { get; }

    /// <summary>Labels the flows in <paramref name="db"/> (a folder source first loads its captures into it).</summary>
    /// <exception cref="LabelSourceException">The source is unusable; the message says why.</exception>
    public abstract FlowLabels Apply(DuckDbConnection db, CancellationToken ct = default);

    /// <summary>Rules from a labels CSV (see <see cref="CsvLabelRules"/>); unmatched flows get <paramref name="defaultLabel"/> or are left out when it is null.</summary>
    public static LabelSource FromCsv(string path, string? defaultLabel = null) => new CsvLabelSource(path, defaultLabel);

    /// <summary>A folder of <c>&lt;label&gt;/*.pcap[ng][.gz]</c>: each file is loaded and all its flows get its folder's name.</summary>
    public static LabelSource FromDirectory(string directory) => new DirectoryLabelSource(directory);

    /// <summary>A SQL expression evaluated per <c>flows</c> row (all its columns in scope); NULL leaves the flow out.</summary>
    public static LabelSource FromSql(string expression) => new SqlLabelSource(expression);

    /// <summary>A labels CSV when <paramref name="csvOrSql"/> names a .csv file (or any existing file), otherwise a SQL expression.</summary>
    public static LabelSource Parse(string csvOrSql, string? defaultLabel = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(csvOrSql);
        var t = csvOrSql.Trim();
        if (t.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || (!t.Contains(' ') && File.Exists(t))) return FromCsv(t, defaultLabel);
        return FromSql(t);
    }
}

/// <summary>Labels from a SQL expression per flow row.</summary>
internal sealed class SqlLabelSource(string expression) : LabelSource
{
    public override string Description => $"SQL {expression}";

    public override FlowLabels Apply(DuckDbConnection db, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(expression)) throw new LabelSourceException("the label SQL expression is empty");
        LabStore.EnsureSchema(db);
        var labels = new Dictionary<long, string>();
        int unlabeled = 0;
        using var stop = ct.Register(db.Interrupt);
        try
        {
            using var r = db.Query($"SELECT flow_id, trim(CAST(({expression}) AS VARCHAR)) FROM flows ORDER BY flow_id");
            while (r.Read())
            {
                if (r.IsNull(1) || r.GetString(1).Length == 0) unlabeled++;
                else labels[r.GetInt64(0)] = r.GetString(1);
            }
        }
        catch (DuckDbException e) when (!ct.IsCancellationRequested)
        {
            throw new LabelSourceException($"the label SQL expression failed on the flows table: {e.Message.Split('\n')[0]}", e);
        }
        var warnings = new List<string>();
        if (unlabeled > 0) warnings.Add($"{unlabeled} flow(s) got a NULL or empty label from the SQL expression and are left out");
        return new FlowLabels(labels, unlabeled, warnings, null);
    }
}

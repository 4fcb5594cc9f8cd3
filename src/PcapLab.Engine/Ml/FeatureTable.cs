using System.Security.Cryptography;
using System.Text;

namespace PcapLab.Ml;

/// <summary>
/// A feature matrix for training or scoring: one row per flow, one column per named feature, values row-major
/// (row r, feature c at <c>Values[r * FeatureNames.Length + c]</c>). NaN means "missing" to XGBoost.
/// Labels are needed to train, GroupKeys (capture id or sha256) to split by capture, TimestampsNs to split by time;
/// RowIds (flow_id) travel along so predictions can be joined back.
/// </summary>
/// <example><code>
/// var t = new FeatureTable(["duration", "orig_bytes"], values) { Labels = labels, GroupKeys = captureIds };
/// var result = Trainer.Train(t, new TrainOptions { Rounds = 50 });
/// </code></example>
public sealed class FeatureTable
{
    private readonly string[]? _labels, _groupKeys;
    private readonly long[]? _timestamps, _rowIds;

    /// <summary>A table of <c>values.Length / featureNames.Length</c> rows.</summary>
    /// <exception cref="ArgumentException">Names are empty, duplicated or contain characters XGBoost refuses ([ ] &lt; ,), or the value count is not a multiple of the feature count.</exception>
    public FeatureTable(string[] featureNames, float[] values)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(values);
        if (featureNames.Length == 0) throw new ArgumentException("a feature table needs at least one feature", nameof(featureNames));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in featureNames)
        {
            if (string.IsNullOrWhiteSpace(n)) throw new ArgumentException("feature names must not be empty", nameof(featureNames));
            if (n.AsSpan().IndexOfAny("[]<,") >= 0) throw new ArgumentException($"feature name '{n}' contains one of [ ] < , which XGBoost refuses", nameof(featureNames));
            if (!seen.Add(n)) throw new ArgumentException($"feature '{n}' appears twice", nameof(featureNames));
        }
        if (values.Length % featureNames.Length != 0)
            throw new ArgumentException($"{values.Length} values is not a whole number of rows of {featureNames.Length} features", nameof(values));
        FeatureNames = featureNames;
        Values = values;
        Rows = values.Length / featureNames.Length;
    }

    /// <summary>Column names, in column order. Models remember this list and its hash.</summary>
    public string[] FeatureNames { get; }

    /// <summary>Feature values, row-major.</summary>
    public float[] Values { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of feature columns.</summary>
    public int Columns => FeatureNames.Length;

    /// <summary>Class label per row (e.g. "benign", "portscan"); required for training.</summary>
    public string[]? Labels { get => _labels; init => _labels = CheckLength(value, nameof(Labels)); }

    /// <summary>Capture id or capture sha256 per row, for splitting by capture.</summary>
    public string[]? GroupKeys { get => _groupKeys; init => _groupKeys = CheckLength(value, nameof(GroupKeys)); }

    /// <summary>Flow start time per row in nanoseconds since the Unix epoch, for splitting by time.</summary>
    public long[]? TimestampsNs { get => _timestamps; init => _timestamps = CheckLength(value, nameof(TimestampsNs)); }

    /// <summary>flow_id per row, carried to predictions.</summary>
    public long[]? RowIds { get => _rowIds; init => _rowIds = CheckLength(value, nameof(RowIds)); }

    /// <summary>One row's features.</summary>
    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Columns, Columns);

    /// <summary>The SHA-256 (lowercase hex) of this table's ordered feature names; see <see cref="HashFeatureNames"/>.</summary>
    public string FeatureHash => HashFeatureNames(FeatureNames);

    /// <summary>
    /// SHA-256, lowercase hex, of the feature names in order, each UTF-8 encoded and followed by '\n'.
    /// Training and scoring compare this hash, so a renamed, added, dropped or reordered feature is caught.
    /// </summary>
    public static string HashFeatureNames(IReadOnlyList<string> names)
    {
        var sb = new StringBuilder();
        foreach (var n in names) sb.Append(n).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>A new table holding the given rows, in the given order, with every per-row column carried along.</summary>
    public FeatureTable Select(IReadOnlyList<int> rows)
    {
        var values = new float[rows.Count * Columns];
        for (var i = 0; i < rows.Count; i++) Row(rows[i]).CopyTo(values.AsSpan(i * Columns, Columns));
        return new FeatureTable(FeatureNames, values)
        {
            Labels = Pick(_labels, rows),
            GroupKeys = Pick(_groupKeys, rows),
            TimestampsNs = Pick(_timestamps, rows),
            RowIds = Pick(_rowIds, rows),
        };
    }

    /// <summary>The same rows with new feature values (same shape), every per-row column carried along.</summary>
    internal FeatureTable WithValues(float[] values) =>
        new(FeatureNames, values) { Labels = _labels, GroupKeys = _groupKeys, TimestampsNs = _timestamps, RowIds = _rowIds };

    private static T[]? Pick<T>(T[]? source, IReadOnlyList<int> rows)
    {
        if (source is null) return null;
        var r = new T[rows.Count];
        for (var i = 0; i < r.Length; i++) r[i] = source[rows[i]];
        return r;
    }

    private T[]? CheckLength<T>(T[]? column, string name) =>
        column is null || column.Length == Rows ? column
            : throw new ArgumentException($"{name} has {column.Length} entries for {Rows} rows", name);
}

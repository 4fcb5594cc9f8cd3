namespace PcapLab.Ml;

/// <summary>The training data cannot train a model (no labels, one class, too few rows, ...); the message says what to fix.</summary>
public sealed class TrainingDataException(string message) : Exception(message);

/// <summary>A model file is missing, unreadable, truncated, corrupt or of the wrong shape; the message names the file and the problem.</summary>
public sealed class ModelFileException(string path, string problem, Exception? inner = null)
    : Exception($"model file '{path}': {problem}", inner)
{
    /// <summary>The model file.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}

/// <summary>The features offered for scoring are not the features the model was trained on (names, order or count).</summary>
public sealed class ModelFeatureMismatchException : Exception
{
    internal ModelFeatureMismatchException(string message, IReadOnlyList<string> missing, IReadOnlyList<string> extra) : base(message)
    {
        Missing = missing;
        Extra = extra;
    }

    /// <summary>Features the model needs that the table lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Features in the table that the model was not trained on.</summary>
    public IReadOnlyList<string> Extra { get; }

    /// <summary>Compares a model's feature list with a table's; throws with both lists named when they differ in any way.</summary>
    internal static void ThrowIfDifferent(IReadOnlyList<string> model, string modelHash, IReadOnlyList<string> table)
    {
        if (FeatureTable.HashFeatureNames(table) == modelHash && model.SequenceEqual(table)) return;
        var missing = model.Except(table, StringComparer.Ordinal).ToArray();
        var extra = table.Except(model, StringComparer.Ordinal).ToArray();
        string detail;
        if (missing.Length > 0 || extra.Length > 0)
            detail = (missing.Length > 0 ? $"missing: {string.Join(", ", missing)}" : "")
                + (missing.Length > 0 && extra.Length > 0 ? "; " : "")
                + (extra.Length > 0 ? $"not in the model: {string.Join(", ", extra)}" : "");
        else if (model.Count == table.Count && FirstDifference(model, table) is var i and >= 0)
            detail = $"same features in a different order (column {i} is '{table[i]}', the model expects '{model[i]}')";
        else detail = "the feature list hash differs from the model card's";
        throw new ModelFeatureMismatchException(
            $"the model was trained on {model.Count} features (hash {modelHash[..Math.Min(12, modelHash.Length)]}), the table has {table.Count} "
            + $"(hash {FeatureTable.HashFeatureNames(table)[..12]}): {detail}. Compute features with the same extractor version the model was trained with.",
            missing, extra);
    }

    private static int FirstDifference(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        for (var i = 0; i < a.Count; i++) if (a[i] != b[i]) return i;
        return -1;
    }
}

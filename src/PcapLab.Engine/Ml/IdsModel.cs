using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;

namespace PcapLab.Ml;

/// <summary>One scored row: the predicted label, its probability, and the row's flow_id when the table had RowIds.</summary>
public readonly record struct Prediction(long? RowId, string Label, float Probability);

/// <summary>
/// A trained XGBoost classifier and its <see cref="ModelCard"/>. Scoring goes through <see cref="PredictProbabilities"/>,
/// which first checks the table's feature names, order and hash against the card, so a model is never fed features it
/// was not trained on. Saved as one JSON file (see <see cref="Save"/>).
/// </summary>
public sealed class IdsModel : IDisposable
{
    /// <summary>The "format" value at the top of every PcapLab model file.</summary>
    public const string FileFormat = "pcaplab-ids-model";

    /// <summary>The model file layout version this PcapLab writes and reads.</summary>
    public const int FileFormatVersion = 1;

    private readonly XgBooster _booster;
    private IReadOnlyList<(string Feature, double Gain)>? _importance;

    internal IdsModel(XgBooster booster, ModelCard card)
    {
        _booster = booster;
        Card = card;
    }

    /// <summary>Features, label map, training captures, parameters and metrics.</summary>
    public ModelCard Card { get; internal set; }

    /// <summary>The label map: class i is <c>Classes[i]</c>.</summary>
    public IReadOnlyList<string> Classes => Card.Classes;

    /// <summary>Feature names the model needs, in column order.</summary>
    public IReadOnlyList<string> Features => Card.Features;

    /// <summary>Average gain of the splits on each feature (XGBoost's "gain" importance), highest first; unused features have 0.</summary>
    public IReadOnlyList<(string Feature, double Gain)> FeatureImportance =>
        _importance ??= [.. _booster.FeatureScores(Card.Features, "gain").Select((g, i) => (Card.Features[i], g))
            .OrderByDescending(p => p.Item2).ThenBy(p => p.Item1, StringComparer.Ordinal)];

    /// <summary>Throws <see cref="ModelFeatureMismatchException"/> naming the missing and extra features when <paramref name="featureNames"/> differ from the model's.</summary>
    public void CheckFeatures(IReadOnlyList<string> featureNames) =>
        ModelFeatureMismatchException.ThrowIfDifferent(Card.Features, Card.FeatureHash, featureNames);

    /// <summary>Class probabilities per row, row-major (<c>Classes.Count</c> per row, summing to 1).</summary>
    /// <exception cref="ModelFeatureMismatchException">The table's features are not the model's.</exception>
    public float[] PredictProbabilities(FeatureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckFeatures(table.FeatureNames);
        if (table.Rows == 0) return [];
        using var m = ModelInput.ToMatrix(table, out _);
        var k = Card.Classes.Length;
        if (k > 2) return _booster.Predict(m, k);
        var p1 = _booster.Predict(m, 1);
        var probs = new float[p1.Length * 2];
        for (var i = 0; i < p1.Length; i++) { probs[2 * i] = 1 - p1[i]; probs[2 * i + 1] = p1[i]; }
        return probs;
    }

    /// <summary>The most probable label and its probability per row.</summary>
    public Prediction[] Predict(FeatureTable table)
    {
        var probs = PredictProbabilities(table);
        var k = Card.Classes.Length;
        var result = new Prediction[table.Rows];
        for (var r = 0; r < result.Length; r++)
        {
            var best = 0;
            for (var c = 1; c < k; c++) if (probs[r * k + c] > probs[r * k + best]) best = c;
            result[r] = new Prediction(table.RowIds?[r], Card.Classes[best], probs[r * k + best]);
        }
        return result;
    }

    /// <summary>Metrics of this model on a labeled table (labels must be among <see cref="Classes"/>).</summary>
    public Evaluation Evaluate(FeatureTable labeled)
    {
        var actual = ModelInput.ClassIndices(labeled, Card.Classes);
        return Evaluation.FromProbabilities(Card.Classes, actual, PredictProbabilities(labeled));
    }

    /// <summary>
    /// Writes the model as one JSON document (replacing the file atomically):
    /// <c>{"format":"pcaplab-ids-model","format_version":1,"card":{…},"xgboost_model_sha256":"…","xgboost_model":{…}}</c>
    /// where card is the <see cref="ModelCard"/> in snake_case and xgboost_model is XGBoost's own JSON model, verbatim,
    /// with the SHA-256 of its bytes. Edit nothing inside xgboost_model: the checksum refuses it.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var xgb = _booster.SaveJson();
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp-" + Environment.ProcessId;
        using (var fs = File.Create(tmp))
        using (var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", FileFormat);
            w.WriteNumber("format_version", FileFormatVersion);
            w.WritePropertyName("card");
            JsonSerializer.Serialize(w, Card, MlJsonContext.Default.ModelCard);
            w.WriteString("xgboost_model_sha256", Convert.ToHexStringLower(SHA256.HashData(xgb)));
            w.WritePropertyName("xgboost_model");
            w.WriteRawValue(xgb, skipInputValidation: false);
            w.WriteEndObject();
        }
        File.Move(tmp, full, overwrite: true);
    }

    /// <summary>Reads a model file written by <see cref="Save"/>, checking every part before XGBoost sees it.</summary>
    /// <exception cref="ModelFileException">The file is missing, unreadable, not JSON, truncated, of another shape, or fails its checksum.</exception>
    public static IdsModel Load(string path) => ModelFile.Read(path);

    /// <summary>Frees the native booster.</summary>
    public void Dispose() => _booster.Dispose();

    internal static string PcapLabVersion =>
        typeof(IdsModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}

/// <summary>The one path from a <see cref="FeatureTable"/> to XGBoost input, shared by training and scoring.</summary>
internal static class ModelInput
{
    /// <summary>A DMatrix of the table's values with ±infinity turned into NaN (missing); <paramref name="infinities"/> counts them.</summary>
    internal static XgMatrix ToMatrix(FeatureTable table, out int infinities)
    {
        infinities = 0;
        float[]? copy = null;
        var v = table.Values;
        for (var i = 0; i < v.Length; i++)
        {
            if (!float.IsInfinity(v[i])) continue;
            copy ??= (float[])v.Clone();
            copy[i] = float.NaN;
            infinities++;
        }
        return new XgMatrix(copy ?? v, table.Rows, table.Columns);
    }

    /// <summary>Each row's label as its index in <paramref name="classes"/>; a missing or unknown label is a clear error.</summary>
    internal static int[] ClassIndices(FeatureTable table, IReadOnlyList<string> classes)
    {
        var labels = table.Labels ?? throw new TrainingDataException("the table has no labels (FeatureTable.Labels)");
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < classes.Count; i++) map[classes[i]] = i;
        var idx = new int[labels.Length];
        for (var r = 0; r < labels.Length; r++)
        {
            if (string.IsNullOrEmpty(labels[r])) throw new TrainingDataException($"row {r} has no label");
            if (!map.TryGetValue(labels[r], out idx[r]))
                throw new TrainingDataException($"row {r} has label '{labels[r]}', which the model does not know (classes: {string.Join(", ", classes)})");
        }
        return idx;
    }
}

using System.Text.Json.Serialization;

namespace PcapLab.Ml;

/// <summary>
/// What a model is and how it was made, stored in the model file beside the trees: the feature list and its hash
/// (scoring refuses a table whose features differ), the label map, the captures it was trained on, its parameters
/// and its held-out metrics.
/// </summary>
public sealed record ModelCard
{
    /// <summary>Feature names in column order.</summary>
    public required string[] Features { get; init; }

    /// <summary><see cref="FeatureTable.HashFeatureNames"/> of <see cref="Features"/>.</summary>
    public required string FeatureHash { get; init; }

    /// <summary>The label map: XGBoost class i is <c>Classes[i]</c>; labels sorted ordinally.</summary>
    public required string[] Classes { get; init; }

    /// <summary>XGBoost objective: binary:logistic for two classes, multi:softprob for more.</summary>
    public required string Objective { get; init; }

    /// <summary>XGBoost parameters as set (name → value), including extra ones.</summary>
    public required Dictionary<string, string> Parameters { get; init; }

    /// <summary>Boosting rounds trained.</summary>
    public required int Rounds { get; init; }

    /// <summary>Group keys (capture ids or sha256) of the rows the model was trained on, sorted; empty if none were given.</summary>
    public required string[] TrainingCaptures { get; init; }

    /// <summary>Group keys of the held-out test rows, sorted; empty unless split by capture.</summary>
    public string[] TestCaptures { get; init; } = [];

    /// <summary>The split actually used (ByCapture, ByTime, Random).</summary>
    public required string Split { get; init; }

    /// <summary>Training rows after deduplication.</summary>
    public int TrainRows { get; init; }

    /// <summary>Held-out test rows.</summary>
    public int TestRows { get; init; }

    /// <summary>Exact duplicate rows removed before splitting.</summary>
    public int DuplicatesRemoved { get; init; }

    /// <summary>Macro-F1 on the held-out test rows.</summary>
    public double TestMacroF1 { get; init; }

    /// <summary>Accuracy on the held-out test rows.</summary>
    public double TestAccuracy { get; init; }

    /// <summary>ROC-AUC on the held-out test rows (NaN when undefined).</summary>
    public double TestRocAuc { get; init; }

    /// <summary>Recall per class on the held-out test rows.</summary>
    public Dictionary<string, double> TestRecall { get; init; } = [];

    /// <summary>Warnings raised while training (random split, conflicting duplicates, ...).</summary>
    public string[] Warnings { get; init; } = [];

    /// <summary>When the model was trained (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>libxgboost version that trained it.</summary>
    [JsonPropertyName("xgboost_version")]
    public required string XgBoostVersion { get; init; }

    /// <summary>PcapLab version that trained it.</summary>
    [JsonPropertyName("pcaplab_version")]
    public required string PcapLabVersion { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(ModelCard))]
internal sealed partial class MlJsonContext : JsonSerializerContext;

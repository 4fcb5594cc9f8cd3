namespace PcapLab.Ml;

/// <summary>How rows are divided into a training set and a held-out test set.</summary>
public enum SplitStrategy
{
    /// <summary>Whole captures (<see cref="FeatureTable.GroupKeys"/>) go to the test set, so no capture is in both. The default.</summary>
    ByCapture,

    /// <summary>The last <see cref="TrainOptions.TestFraction"/> of the time span (<see cref="FeatureTable.TimestampsNs"/>) is the test set.</summary>
    ByTime,

    /// <summary>Rows shuffled at random. Flows of one capture land on both sides and inflate the scores; only when asked, always with a warning.</summary>
    Random,
}

/// <summary>Settings for <see cref="Trainer.Train"/>. The defaults are a reasonable first model.</summary>
public sealed record TrainOptions
{
    /// <summary>How to hold out test rows; by capture unless asked otherwise.</summary>
    public SplitStrategy Split { get; init; } = SplitStrategy.ByCapture;

    /// <summary>Target share of rows (by capture, random) or of the time span (by time) held out for testing.</summary>
    public double TestFraction { get; init; } = 0.25;

    /// <summary>Seed for the split and for XGBoost; the same seed and data give the same model.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Boosting rounds (trees per class).</summary>
    public int Rounds { get; init; } = 100;

    /// <summary>XGBoost max_depth.</summary>
    public int MaxDepth { get; init; } = 6;

    /// <summary>XGBoost eta (learning rate).</summary>
    public double Eta { get; init; } = 0.3;

    /// <summary>XGBoost nthread.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Remove exact duplicate rows (same features, same label) before splitting, so a copy cannot sit on both sides.</summary>
    public bool Deduplicate { get; init; } = true;

    /// <summary>Weight rows so every class carries the same total weight (helps when a flood dwarfs the rest).</summary>
    public bool BalanceClasses { get; init; }

    /// <summary>Further XGBoost parameters by name (e.g. "subsample" = "0.8"); "objective" and "num_class" are chosen from the labels.</summary>
    public IDictionary<string, string>? ExtraParams { get; init; }
}

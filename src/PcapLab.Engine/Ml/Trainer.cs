using System.Globalization;

namespace PcapLab.Ml;

/// <summary>The outcome of <see cref="Trainer.Train"/>: the model, its metrics on held-out and training rows, and what was noticed on the way.</summary>
public sealed class TrainResult
{
    internal TrainResult(IdsModel model, Evaluation test, Evaluation train, IReadOnlyList<string> warnings, DataSplit split, int duplicatesRemoved, int conflicting)
    {
        Model = model;
        Test = test;
        Train = train;
        Warnings = warnings;
        DuplicatesRemoved = duplicatesRemoved;
        ConflictingDuplicates = conflicting;
        SplitUsed = split.Used;
        TrainRows = split.Train.Length;
        TestRows = split.Test.Length;
        TrainCaptures = split.TrainGroups;
        TestCaptures = split.TestGroups;
    }

    /// <summary>The trained model (save it with <see cref="IdsModel.Save"/>).</summary>
    public IdsModel Model { get; }

    /// <summary>Metrics on the held-out test rows: the figures to report.</summary>
    public Evaluation Test { get; }

    /// <summary>Metrics on the training rows; far above <see cref="Test"/> means overfitting.</summary>
    public Evaluation Train { get; }

    /// <summary>Things the analyst should know (random split, fallbacks, conflicting duplicates, infinities, missing classes).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Exact duplicate rows (same features and label) removed before the split.</summary>
    public int DuplicatesRemoved { get; }

    /// <summary>Distinct feature rows that occur with more than one label.</summary>
    public int ConflictingDuplicates { get; }

    /// <summary>The split actually used (it can fall back from ByCapture to ByTime).</summary>
    public SplitStrategy SplitUsed { get; }

    /// <summary>Rows trained on.</summary>
    public int TrainRows { get; }

    /// <summary>Rows held out.</summary>
    public int TestRows { get; }

    /// <summary>Captures trained on (by-capture split only).</summary>
    public IReadOnlyList<string> TrainCaptures { get; }

    /// <summary>Captures held out (by-capture split only).</summary>
    public IReadOnlyList<string> TestCaptures { get; }
}

/// <summary>Trains XGBoost classifiers on feature tables with leakage-aware splits and deduplication.</summary>
public static class Trainer
{
    /// <summary>Fewest rows (after deduplication) a training set may have.</summary>
    public const int MinRows = 10;

    /// <summary>Fewest rows (after deduplication) each class needs.</summary>
    public const int MinRowsPerClass = 2;

    /// <summary>
    /// Validates the labeled table, removes exact duplicates, splits (by capture unless asked), trains XGBoost
    /// (binary:logistic for two classes, multi:softprob for more; labels map to classes in ordinal order) and
    /// evaluates on both sides of the split.
    /// </summary>
    /// <exception cref="TrainingDataException">No labels, one class, too few rows, or a split the data cannot support.</exception>
    public static TrainResult Train(FeatureTable data, TrainOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new TrainOptions();
        CheckOptions(options);
        var warnings = new List<string>();
        CheckLabels(data, "the training data");

        var (keep, removed, conflicting, example) = options.Deduplicate ? Deduplication.Run(data) : (Enumerable.Range(0, data.Rows).ToArray(), 0, 0, null);
        if (conflicting > 0)
            warnings.Add($"{conflicting} distinct feature row(s) carry more than one label (e.g. {example}); no model can tell those rows apart");
        var rows = removed > 0 ? data.Select(keep) : data;
        var classes = CheckLabels(rows, removed > 0 ? $"the training data after removing {removed} duplicate row(s)" : "the training data");

        var split = DataSplit.Make(rows, options.Split, options.TestFraction, options.Seed, warnings);
        var train = rows.Select(split.Train);
        var test = rows.Select(split.Test);
        var trainY = ModelInput.ClassIndices(train, classes);
        var testY = ModelInput.ClassIndices(test, classes);
        foreach (var c in classes)
        {
            if (!train.Labels!.Contains(c)) warnings.Add($"class '{c}' has no rows in the training set; the model cannot learn it");
            if (!test.Labels!.Contains(c)) warnings.Add($"class '{c}' has no rows in the test set; its recall is not measured");
        }

        using var dtrain = ModelInput.ToMatrix(train, out var infTrain);
        using var dtest = ModelInput.ToMatrix(test, out var infTest);
        if (infTrain + infTest > 0)
            warnings.Add($"{infTrain + infTest} infinite feature value(s) treated as missing (NaN)");
        dtrain.SetFloatInfo("label", Array.ConvertAll(trainY, y => (float)y));
        if (options.BalanceClasses) dtrain.SetFloatInfo("weight", BalancedWeights(trainY, classes.Length));

        var booster = XgBooster.Create(dtrain);
        try
        {
            var parameters = Parameters(options, classes.Length);
            foreach (var (k, v) in parameters) booster.SetParam(k, v);
            booster.SetFeatureNames(data.FeatureNames);
            // A second record of the feature list inside the checksummed XGBoost part, cross-checked on load.
            booster.SetAttr(ModelFile.FeatureHashAttribute, data.FeatureHash);
            for (var i = 0; i < options.Rounds; i++)
            {
                ct.ThrowIfCancellationRequested();
                booster.UpdateOneIter(i, dtrain);
            }
            // The returned model is the saved JSON loaded afresh: it holds no training matrix, and it is exactly what Save writes.
            var trained = booster.SaveJson();
            booster.Dispose();
            booster = XgBooster.LoadJson(trained);
            booster.SetParam("nthread", parameters["nthread"]);
            var model = new IdsModel(booster, null!);
            var card = new ModelCard
            {
                Features = data.FeatureNames,
                FeatureHash = data.FeatureHash,
                Classes = classes,
                Objective = parameters["objective"],
                Parameters = parameters,
                Rounds = options.Rounds,
                TrainingCaptures = train.GroupKeys?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray() ?? [],
                TestCaptures = split.TestGroups,
                Split = split.Used.ToString(),
                TrainRows = train.Rows,
                TestRows = test.Rows,
                DuplicatesRemoved = removed,
                CreatedUtc = DateTimeOffset.UtcNow,
                XgBoostVersion = XgBooster.Version,
                PcapLabVersion = IdsModel.PcapLabVersion,
                Warnings = [.. warnings],
            };
            model.Card = card;
            var testEval = Evaluation.FromProbabilities(classes, testY, model.PredictProbabilities(test));
            var trainEval = Evaluation.FromProbabilities(classes, trainY, model.PredictProbabilities(train));
            model.Card = card with
            {
                TestMacroF1 = testEval.MacroF1,
                TestAccuracy = testEval.Accuracy,
                TestRocAuc = testEval.RocAuc,
                TestRecall = classes.Select((c, i) => (c, i)).Where(p => testEval.Support[p.i] > 0).ToDictionary(p => p.c, p => testEval.Recall[p.i]),
            };
            return new TrainResult(model, testEval, trainEval, warnings, split, removed, conflicting);
        }
        catch
        {
            booster.Dispose();
            throw;
        }
    }

    /// <summary>Checks labels are present and sufficient; returns the sorted class list.</summary>
    private static string[] CheckLabels(FeatureTable data, string what)
    {
        var labels = data.Labels ?? throw new TrainingDataException("training needs a label per row (FeatureTable.Labels); none were given");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 0; r < labels.Length; r++)
        {
            if (string.IsNullOrWhiteSpace(labels[r]))
                throw new TrainingDataException($"row {r} has no label; every training row needs one (drop unlabeled rows or label them)");
            counts[labels[r]] = counts.GetValueOrDefault(labels[r]) + 1;
        }
        if (counts.Count == 0) throw new TrainingDataException($"{what} has no rows");
        if (counts.Count == 1)
            throw new TrainingDataException($"training needs at least two classes; found only '{counts.Keys.Single()}'");
        if (data.Rows < MinRows)
            throw new TrainingDataException($"too few samples: {what} has {data.Rows} row(s); training needs at least {MinRows}");
        var thin = counts.Where(p => p.Value < MinRowsPerClass).Select(p => $"'{p.Key}' ({p.Value})").ToArray();
        if (thin.Length > 0)
            throw new TrainingDataException($"too few samples: each class needs at least {MinRowsPerClass} rows in {what}; {string.Join(", ", thin)}");
        return [.. counts.Keys.Order(StringComparer.Ordinal)];
    }

    private static void CheckOptions(TrainOptions o)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(o.Rounds, nameof(o.Rounds));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(o.MaxDepth, nameof(o.MaxDepth));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(o.Threads, nameof(o.Threads));
        if (!(o.Eta > 0 && o.Eta <= 1)) throw new ArgumentOutOfRangeException(nameof(o.Eta), o.Eta, "Eta must be in (0, 1]");
        if (o.ExtraParams?.Keys.FirstOrDefault(k => k is "objective" or "num_class") is { } bad)
            throw new ArgumentException($"'{bad}' is chosen from the labels and cannot be set in ExtraParams", nameof(o.ExtraParams));
    }

    private static Dictionary<string, string> Parameters(TrainOptions o, int classes)
    {
        var inv = CultureInfo.InvariantCulture;
        var p = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["objective"] = classes == 2 ? "binary:logistic" : "multi:softprob",
            ["eval_metric"] = classes == 2 ? "logloss" : "mlogloss",
            ["max_depth"] = o.MaxDepth.ToString(inv),
            ["eta"] = o.Eta.ToString("R", inv),
            ["nthread"] = o.Threads.ToString(inv),
            ["seed"] = o.Seed.ToString(inv),
            ["tree_method"] = "hist",
            ["verbosity"] = "0",
        };
        if (classes > 2) p["num_class"] = classes.ToString(inv);
        if (o.ExtraParams is not null)
            foreach (var (k, v) in o.ExtraParams) p[k] = v;
        return p;
    }

    // Each class gets total weight rows/classes, so a 10 000-flow flood and 50 brute-force flows pull equally.
    private static float[] BalancedWeights(int[] y, int classes)
    {
        var counts = new int[classes];
        foreach (var c in y) counts[c]++;
        var present = counts.Count(n => n > 0);
        return Array.ConvertAll(y, c => (float)((double)y.Length / (present * counts[c])));
    }
}

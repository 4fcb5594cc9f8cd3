using PcapLab.Ml.Features;
using PcapLab.Ml.Labels;
using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Ml;

/// <summary>What <see cref="FlowModels.Train"/> did: the labels it used, the core training result, and where the model went.</summary>
public sealed class FlowTrainResult
{
    internal FlowTrainResult(TrainResult training, FlowLabels labels, string modelPath, int rows)
    {
        Training = training;
        Labels = labels;
        ModelPath = modelPath;
        LabeledRows = rows;
    }

    /// <summary>The model, its held-out and training metrics, the split and the trainer's warnings.</summary>
    public TrainResult Training { get; }

    /// <summary>The labels applied (counts per label, label-source warnings).</summary>
    public FlowLabels Labels { get; }

    /// <summary>The saved model file (with its card).</summary>
    public string ModelPath { get; }

    /// <summary>Labelled flows handed to the trainer (before deduplication).</summary>
    public int LabeledRows { get; }

    /// <summary>Label-source warnings followed by the trainer's.</summary>
    public IReadOnlyList<string> Warnings => [.. Labels.Warnings, .. Training.Warnings];
}

/// <summary>What <see cref="FlowModels.Evaluate"/> measured on labelled flows the model never saw.</summary>
/// <param name="Evaluation">Confusion matrix, per-class precision/recall/F1, macro-F1, ROC-AUC.</param>
/// <param name="Labels">The labels applied.</param>
/// <param name="Warnings">Label warnings, and labels the model does not know (those flows are left out).</param>
public sealed record FlowEvaluation(Evaluation Evaluation, FlowLabels Labels, IReadOnlyList<string> Warnings);

/// <summary>What <see cref="FlowModels.Score"/> wrote.</summary>
/// <param name="Model">The <c>predictions.model</c> value: model file name and the first 12 hex digits of its feature hash.</param>
/// <param name="Rule">The <c>alerts.rule</c> value: <c>model:&lt;file name&gt;</c>.</param>
/// <param name="Flows">Flows scored (one predictions row each).</param>
/// <param name="ByLabel">Flows per predicted label.</param>
/// <param name="Alerts">Alert rows raised above the threshold.</param>
public sealed record ScoreResult(string Model, string Rule, int Flows, IReadOnlyDictionary<string, int> ByLabel, long Alerts);

/// <summary>What <see cref="FlowModels.Anomalies"/> wrote.</summary>
/// <param name="Model">The <c>anomalies.model</c> value (seed and feature hash).</param>
/// <param name="Flows">Flows scored.</param>
public sealed record AnomalyResult(string Model, int Flows);

/// <summary>
/// Trains and applies flow models on a PcapLab database: labels from a <see cref="LabelSource"/>, features from
/// <see cref="FlowFeatures"/> (the same code at training and scoring time), models through <see cref="Trainer"/> and
/// <see cref="IdsModel"/>. Results land in the <c>predictions</c>, <c>alerts</c> and <c>anomalies</c> tables.
/// </summary>
/// <example><code>
/// var r = FlowModels.Train(Lab.Connection, LabelSource.FromDirectory("datasets/train"), new TrainOptions(), "models/ids.json");
/// Console.WriteLine(r.Training.Test);
/// FlowModels.Score(Lab.Connection, "models/ids.json", alertThreshold: 0.8);
/// </code></example>
public static class FlowModels
{
    /// <summary>The label that means "no attack": predictions with it never raise alerts.</summary>
    public const string BenignLabel = "benign";

    /// <summary>Probability from which a model alert is MALICIOUS rather than SUSPICIOUS (or the threshold, if higher).</summary>
    public const double MaliciousProbability = 0.95;

    /// <summary>DDL of the anomaly table (one row per flow and isolation-forest model).</summary>
    public const string AnomaliesDdl = """
        CREATE TABLE IF NOT EXISTS anomalies (
            flow_id  BIGINT NOT NULL,
            score    DOUBLE NOT NULL,   -- isolation-forest anomaly score in (0, 1]; above 0.6 is unusual
            model    VARCHAR NOT NULL,  -- isolation-forest, its seed and feature hash
            scored_at TIMESTAMP
        );
        """;

    /// <summary>
    /// Labels the flows, extracts <see cref="FlowFeatures"/>, trains (split by capture unless asked, duplicates removed)
    /// and saves the model with its card to <paramref name="modelPath"/>.
    /// </summary>
    /// <exception cref="LabelSourceException">The label source is missing or malformed.</exception>
    /// <exception cref="TrainingDataException">No flow labelled, one class, too few samples; the message says what to fix.</exception>
    public static FlowTrainResult Train(DuckDbConnection db, LabelSource labels, TrainOptions? options, string modelPath, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        var (table, applied) = Labelled(db, labels, ct);
        TrainResult result;
        try { result = Trainer.Train(table, options, ct); }
        catch (TrainingDataException e) when (applied.Warnings.Count > 0)
        {
            // The label warnings usually say why (a rule matching nothing leaves one class), so they travel with the refusal.
            throw new TrainingDataException($"{e.Message} (labels from {labels.Description}: {string.Join("; ", applied.Warnings.Take(5))})");
        }
        try { result.Model.Save(modelPath); }
        catch { result.Model.Dispose(); throw; }
        return new FlowTrainResult(result, applied, modelPath, table.Rows);
    }

    /// <summary>Metrics of a saved model on labelled flows (a held-out capture); labels the model does not know are left out with a warning.</summary>
    /// <exception cref="ModelFileException">The model file is missing or corrupt.</exception>
    /// <exception cref="ModelFeatureMismatchException">The model was trained on another feature set.</exception>
    public static FlowEvaluation Evaluate(DuckDbConnection db, LabelSource labels, string modelPath, CancellationToken ct = default)
    {
        using var model = LoadChecked(modelPath);
        var (table, applied) = Labelled(db, labels, ct);
        var warnings = applied.Warnings.ToList();
        var known = new HashSet<string>(model.Classes, StringComparer.Ordinal);
        var keep = Enumerable.Range(0, table.Rows).Where(r => known.Contains(table.Labels![r])).ToArray();
        var unknown = table.Labels!.Where(l => !known.Contains(l)).Distinct().ToArray();
        if (unknown.Length > 0)
            warnings.Add($"{table.Rows - keep.Length} flow(s) labelled {string.Join(", ", unknown)} are not classes of the model and are left out");
        if (keep.Length == 0) throw new TrainingDataException("no labelled flow has a label the model knows (" + string.Join(", ", model.Classes) + ")");
        var kept = keep.Length == table.Rows ? table : Relabel(table.Select(keep), keep.Select(r => table.Labels![r]).ToArray());
        return new FlowEvaluation(model.Evaluate(kept), applied, warnings);
    }

    /// <summary>
    /// Scores every flow with the model: replaces this model's rows of <c>predictions</c> (flow_id, label, probability,
    /// model = file name + feature hash, scored_at) and of <c>alerts</c> (rule <c>model:&lt;file&gt;</c>): one alert per
    /// predicted attack label, source and destination whose probability reaches <paramref name="alertThreshold"/>,
    /// MALICIOUS from <see cref="MaliciousProbability"/>, SUSPICIOUS below, evidence the flow ids, score the highest probability.
    /// </summary>
    /// <exception cref="ModelFileException">The model file is missing or corrupt.</exception>
    /// <exception cref="ModelFeatureMismatchException">The model was trained on another feature set (another extractor version).</exception>
    public static ScoreResult Score(DuckDbConnection db, string modelPath, double alertThreshold = 0.8, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!(alertThreshold is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(alertThreshold), alertThreshold, "the alert threshold is a probability in [0, 1]");
        using var model = LoadChecked(modelPath);
        var table = FlowFeatures.Extract(db, null, ct);
        var predictions = model.Predict(table);
        var file = Path.GetFileName(modelPath);
        var name = $"{file}#{model.Card.FeatureHash[..12]}";
        var rule = $"model:{file}";
        var scoredAt = DateTime.UtcNow;
        using var stop = ct.Register(db.Interrupt);
        db.Execute("BEGIN TRANSACTION");
        try
        {
            db.Execute("DELETE FROM predictions WHERE model = $1", name);
            using (var a = db.CreateAppender("predictions"))
                foreach (var p in predictions) a.AppendRow(p.RowId, p.Label, (double)p.Probability, name, scoredAt);
            db.Execute("DELETE FROM alerts WHERE rule = $1", rule);
            db.Execute("""
                INSERT INTO alerts (alert_id, ts, last_ts, severity, rule, src, dst, summary, flow_ids, score)
                SELECT (SELECT coalesce(max(alert_id), 0) FROM alerts) + row_number() OVER (ORDER BY min(f.ts), f.orig_h, f.resp_h, p.label),
                       min(f.ts), max(f.last_ts),
                       CASE WHEN max(p.probability) >= greatest($4, $5) THEN 'MALICIOUS' ELSE 'SUSPICIOUS' END,
                       $2, f.orig_h, f.resp_h,
                       format('model {} predicts {}: {} flow(s) {} -> {}, probability up to {:.3f}', $6, p.label, count(*), f.orig_h, f.resp_h, max(p.probability)),
                       list(f.flow_id ORDER BY f.ts, f.flow_id)[1:100],
                       max(p.probability)
                FROM predictions p JOIN flows f USING (flow_id)
                WHERE p.model = $1 AND p.label <> $3 AND p.probability >= $4
                GROUP BY p.label, f.orig_h, f.resp_h
                """, name, rule, BenignLabel, alertThreshold, MaliciousProbability, file);
            db.Execute("COMMIT");
        }
        catch
        {
            db.Execute("ROLLBACK");
            throw;
        }
        var byLabel = predictions.GroupBy(p => p.Label).ToDictionary(g => g.Key, g => g.Count());
        var alerts = db.Scalar<long>("SELECT count(*) FROM alerts WHERE rule = $1", rule);
        return new ScoreResult(name, rule, predictions.Length, byLabel, alerts);
    }

    /// <summary>
    /// Isolation-forest anomaly scores for every flow, for captures without labels: fits on the flows' own
    /// <see cref="FlowFeatures"/> (deterministic for a seed) and replaces this model's rows of <c>anomalies</c>.
    /// </summary>
    public static AnomalyResult Anomalies(DuckDbConnection db, int seed = 42, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var table = FlowFeatures.Extract(db, null, ct);
        var model = $"isolation-forest(seed={seed})#{FlowFeatures.Hash[..12]}";
        db.Execute(AnomaliesDdl);
        if (table.Rows == 0) return new AnomalyResult(model, 0);
        // Isolation forests split on a uniform value between a column's min and max, so NaN (missing) is read as 0.
        var values = (float[])table.Values.Clone();
        for (var i = 0; i < values.Length; i++) if (!float.IsFinite(values[i])) values[i] = 0;
        var forest = IsolationForest.Fit(values, table.Rows, table.Columns, seed: seed);
        ct.ThrowIfCancellationRequested();
        var scores = forest.Score(values, table.Rows);
        var scoredAt = DateTime.UtcNow;
        db.Execute("BEGIN TRANSACTION");
        try
        {
            db.Execute("DELETE FROM anomalies WHERE model = $1", model);
            using (var a = db.CreateAppender("anomalies"))
                for (var r = 0; r < table.Rows; r++) a.AppendRow(table.RowIds![r], scores[r], model, scoredAt);
            db.Execute("COMMIT");
        }
        catch
        {
            db.Execute("ROLLBACK");
            throw;
        }
        return new AnomalyResult(model, table.Rows);
    }

    /// <summary>Loads a model and refuses it up front when it was trained on another feature set than <see cref="FlowFeatures"/>.</summary>
    /// <exception cref="ModelFileException">Missing or corrupt file.</exception>
    /// <exception cref="ModelFeatureMismatchException">Another feature set.</exception>
    public static IdsModel LoadChecked(string modelPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        var model = IdsModel.Load(modelPath);
        try { model.CheckFeatures(FlowFeatures.Names); }
        catch { model.Dispose(); throw; }
        return model;
    }

    // Labels the flows and keeps the feature rows that got a label.
    private static (FeatureTable Table, FlowLabels Labels) Labelled(DuckDbConnection db, LabelSource labels, CancellationToken ct)
    {
        LabStore.EnsureSchema(db);
        var applied = labels.Apply(db, ct);
        if (applied.ByFlow.Count == 0)
            throw new TrainingDataException($"{labels.Description} labelled no flow ({db.Scalar<long>("SELECT count(*) FROM flows")} flow(s) in the database)"
                + (applied.Warnings.Count > 0 ? ": " + string.Join("; ", applied.Warnings.Take(5)) : ""));
        var all = FlowFeatures.Extract(db, applied.CaptureIds?.ToArray(), ct);
        var rows = new List<int>(all.Rows);
        var names = new List<string>(all.Rows);
        for (var r = 0; r < all.Rows; r++)
            if (applied.ByFlow.TryGetValue(all.RowIds![r], out var l)) { rows.Add(r); names.Add(l); }
        return (Relabel(all.Select(rows), [.. names]), applied);
    }

    private static FeatureTable Relabel(FeatureTable t, string[] labels) =>
        new(t.FeatureNames, t.Values) { Labels = labels, GroupKeys = t.GroupKeys, TimestampsNs = t.TimestampsNs, RowIds = t.RowIds };
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PcapLab.Charts;
using PcapLab.Ml;
using PcapLab.Ml.Labels;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;
using PcapLab.Store;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary>
/// <c>#!train --labeled-dir datasets/train --model models/ids.json</c> or <c>#!train --labels labels.csv --model ...</c>:
/// labels the session's flows, trains XGBoost on the flow features, saves the model with its card, and shows the
/// held-out metrics, the feature importance and the card.
/// </summary>
internal sealed class TrainMagic : Magic
{
    public override string Name => "train";
    public override string Description => "Trains an XGBoost flow classifier on labelled flows and saves it with a model card: #!train --labeled-dir datasets/train --model models/ids.json";
    public override IReadOnlyList<MagicOption> Options =>
    [
        new("labels", "A labels CSV (start,end,src_cidr,dst_cidr,dst_port,proto,label[,capture]; first match wins) or a SQL expression per flows row", ValueName: "csv|sql"),
        new("labeled-dir", "A folder <dir>/<label>/*.pcap[ng]: loads each capture into the session and labels its flows by folder", ValueName: "dir"),
        new("model", "Where to write the model file", ValueName: "file", Required: true),
        new("default-label", "Label for flows no CSV rule matches (default: leave them out)", ValueName: "label"),
        new("split", "capture (default), time, or random (leaks between train and test; warned)", ValueName: "how"),
        new("rounds", "Boosting rounds (default 100)", ValueName: "n"),
        new("max-depth", "Tree depth (default 6)", ValueName: "n"),
        new("seed", "Seed for the split and XGBoost (default 42)", ValueName: "n"),
        new("no-balance", "Weight flows equally instead of classes (by default each class carries the same weight, so a flood does not drown the rest)", IsFlag: true),
        new("holdout-dir", "Also evaluate on a labelled folder recorded separately (loaded into a scratch database, never trained on)", ValueName: "dir"),
    ];

    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        var model = EngineMagics.Required(this, inv, "model");
        string? labels = inv.Get("labels"), dir = inv.Get("labeled-dir");
        if ((labels is null) == (dir is null)) throw new MagicUsageException(Name, "give exactly one label source: --labeled-dir <dir> or --labels <labels.csv | SQL>");
        var source = dir is not null ? LabelSource.FromDirectory(dir) : LabelSource.Parse(labels!, inv.Get("default-label"));
        var options = new TrainOptions
        {
            Split = inv.Get("split") switch
            {
                null or "capture" => SplitStrategy.ByCapture,
                "time" => SplitStrategy.ByTime,
                "random" => SplitStrategy.Random,
                var other => throw new MagicUsageException(Name, $"--split '{other}': use capture, time or random"),
            },
            Rounds = Positive(inv, "rounds", 100),
            MaxDepth = Positive(inv, "max-depth", 6),
            Seed = (int)inv.GetInt64("seed", 42),
            BalanceClasses = !inv.Has("no-balance"),
        };
        FlowTrainResult result;
        using (EngineMagics.InterruptDuckDb(cell.Session, ct))
            result = ModelDisplay.Guard(() => FlowModels.Train(cell.Session.Lab.Connection, source, options, model, ct));
        using (result.Training.Model)
        {
            var t = result.Training;
            cell.Display(ModelDisplay.Table(["label", "flows"], result.Labels.Counts.Select(c => new object?[] { c.Label, c.Flows })));
            foreach (var w in result.Warnings) cell.WriteError($"warning: {w}\n");
            cell.Display(MimeBundle.Markdown(string.Create(CultureInfo.InvariantCulture,
                $"**Test set** (split {t.SplitUsed}: {t.TrainRows} train / {t.TestRows} test flows, {t.TestCaptures.Count} held-out capture(s), {t.DuplicatesRemoved} duplicates removed)")));
            ModelDisplay.Metrics(cell, t.Test);
            ModelDisplay.Importance(cell, t.Model);
            cell.Display(ModelDisplay.Card(t.Model.Card, result.ModelPath));
        }
        if (inv.Get("holdout-dir") is { } holdout)
        {
            var (database, db) = LabStore.Open(null);
            using (database) using (db)
            using (ct.Register(db.Interrupt))
            {
                var eval = ModelDisplay.Guard(() => FlowModels.Evaluate(db, LabelSource.FromDirectory(holdout), model, ct));
                foreach (var w in eval.Warnings) cell.WriteError($"warning: {w}\n");
                cell.Display(MimeBundle.Markdown($"**Held-out evaluation** on `{holdout}` (captures never trained on)"));
                ModelDisplay.Metrics(cell, eval.Evaluation);
            }
        }
        return Task.CompletedTask;
    }

    private int Positive(MagicInvocation inv, string option, int fallback)
    {
        var v = inv.GetInt64(option, fallback);
        return v is > 0 and <= int.MaxValue ? (int)v : throw new MagicUsageException(Name, $"--{option} must be a positive number");
    }
}

/// <summary>How the model magics show metrics, importance and cards; and the one place their engine errors become cell errors.</summary>
internal static class ModelDisplay
{
    /// <summary>Runs model work, turning the engine's "your input cannot do this" exceptions into a cell error with the message alone.</summary>
    public static T Guard<T>(Func<T> work)
    {
        try { return work(); }
        catch (LabelSourceException e) { throw Failure("LabelError", e.Message); }
        catch (TrainingDataException e) { throw Failure("TrainingDataError", e.Message); }
        catch (ModelFileException e) { throw Failure("ModelFileError", e.Message); }
        catch (ModelFeatureMismatchException e) { throw Failure("ModelFeatureMismatch", e.Message); }
        catch (Store.DuckDb.DuckDbException e) when (!e.IsInterrupted) { throw Failure("SqlError", e.Message.Split('\n')[0]); }
        catch (Store.DuckDb.DuckDbException) { throw CellFailure.Interrupted(); }
    }

    private static CellFailure Failure(string name, string message) => new(name, message, [$"{name}: {message}"]);

    public static MimeBundle Table(IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        var list = rows.Select(r => (IReadOnlyList<object?>)r).ToList();
        return TableFormatter.Format(columns, list.Take(TableFormatter.DefaultMaxRows).ToList(), list.Count);
    }

    /// <summary>Per-class precision/recall/F1/support, the averages, and the confusion matrix, as tables.</summary>
    public static void Metrics(CellContext cell, Evaluation e)
    {
        var inv = CultureInfo.InvariantCulture;
        cell.Display(Table(["class", "precision", "recall", "f1", "support"],
            e.Classes.Select((c, i) => new object?[] { c, Math.Round(e.Precision[i], 3), Math.Round(e.Recall[i], 3), Math.Round(e.F1[i], 3), e.Support[i] })));
        cell.Display(MimeBundle.PlainText(string.Create(inv, $"accuracy {e.Accuracy:F3}   macro-F1 {e.MacroF1:F3}   ROC-AUC {e.RocAuc:F3}   rows {e.Rows}")));
        cell.Display(Table(["true \\ predicted", .. e.Classes],
            e.Classes.Select((c, i) => new object?[] { c }.Concat(e.Classes.Select((_, j) => (object?)e.ConfusionMatrix[i, j])).ToArray())));
    }

    /// <summary>A horizontal bar chart of the top features by gain.</summary>
    public static void Importance(CellContext cell, IdsModel model, int top = 20)
    {
        var items = model.FeatureImportance.Where(p => p.Gain > 0).Take(top).ToArray();
        if (items.Length == 0) return;
        var figure = Chart.Bar(items.Select(p => p.Feature).ToArray(), items.Select(p => p.Gain).ToArray(), horizontal: true)
            .WithTitle($"Feature importance (gain), top {items.Length}")
            .WithAxisTitles("gain", null)
            .WithLayout(l => l.Height = 120 + 22 * items.Length);
        cell.Display(Bundle(figure.ToMimeBundle(cell.Session.Plotly)));
    }

    /// <summary>A Figure's representations as a display bundle.</summary>
    public static MimeBundle Bundle(IReadOnlyDictionary<string, object> data)
    {
        var b = new MimeBundle();
        foreach (var (mime, value) in data)
        {
            if (value is string s) b.Add(mime, s);
            else if (value is JsonElement j) b.Add(mime, JsonNode.Parse(j.GetRawText())!);
        }
        return b;
    }

    /// <summary>The model card as a key/value table.</summary>
    public static MimeBundle Card(ModelCard c, string path)
    {
        var inv = CultureInfo.InvariantCulture;
        return Table(["model card", "value"],
        [
            ["file", Path.GetFullPath(path)],
            ["classes", string.Join(", ", c.Classes)],
            ["features", $"{c.Features.Length} (hash {c.FeatureHash[..12]})"],
            ["objective", c.Objective],
            ["rounds / max_depth / eta", $"{c.Rounds} / {c.Parameters.GetValueOrDefault("max_depth")} / {c.Parameters.GetValueOrDefault("eta")}"],
            ["split", c.Split],
            ["training captures", string.Join(", ", c.TrainingCaptures.Select(h => h.Length > 12 ? h[..12] : h))],
            ["test captures", string.Join(", ", c.TestCaptures.Select(h => h.Length > 12 ? h[..12] : h))],
            ["train / test rows", $"{c.TrainRows} / {c.TestRows}"],
            ["test macro-F1", c.TestMacroF1.ToString("F3", inv)],
            ["test ROC-AUC", c.TestRocAuc.ToString("F3", inv)],
            ["created", c.CreatedUtc.ToString("u", inv)],
            ["xgboost / pcaplab", $"{c.XgBoostVersion} / {c.PcapLabVersion}"],
        ]);
    }
}

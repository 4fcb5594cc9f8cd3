using System.CommandLine;
using System.Globalization;
using PcapLab.Ml;
using PcapLab.Ml.Labels;
using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Cli.Commands.Train;

/// <summary>`pcaplab train`: label flows, train an XGBoost model on the flow features and save it with its model card.</summary>
internal sealed class TrainCommand : Command
{
    public readonly Option<string?> LabeledDir = new("--labeled-dir") { Description = "A folder <dir>/<label>/*.pcap[ng]: each capture is loaded and its flows get the folder's name" };
    public readonly Option<string?> Labels = new("--labels") { Description = "A labels CSV (start,end,src_cidr,dst_cidr,dst_port,proto,label[,capture]; first match wins) or a SQL expression per flows row" };
    public readonly Option<string?> Db = new("--db") { Description = "The PcapLab database (required with --labels; with --labeled-dir captures are loaded into it, else into memory)" };
    public readonly Option<string> Model = new("--model") { Description = "Where to write the model file (JSON with its model card)", Required = true };
    public readonly Option<string?> DefaultLabel = new("--default-label") { Description = "Label for flows no CSV rule matches (default: leave them out)" };
    public readonly Option<string> Split = new("--split") { Description = "How to hold out test flows: capture (default), time, or random (leaks; warned)", DefaultValueFactory = _ => "capture" };
    public readonly Option<int> Rounds = new("--rounds") { Description = "Boosting rounds", DefaultValueFactory = _ => 100 };
    public readonly Option<int> MaxDepth = new("--max-depth") { Description = "Tree depth", DefaultValueFactory = _ => 6 };
    public readonly Option<int> Seed = new("--seed") { Description = "Seed for the split and XGBoost", DefaultValueFactory = _ => 42 };
    public readonly Option<bool> NoBalance = new("--no-balance") { Description = "Weight flows equally instead of classes (by default every class carries the same weight, so a 10,000-flow flood does not drown 100 brute-force flows)" };
    public readonly Option<string?> HoldoutDir = new("--holdout-dir") { Description = "Also evaluate the saved model on a labelled folder recorded separately (never trained on)" };

    public TrainCommand() : base("train", "Train an XGBoost flow classifier on labelled captures and save it with a model card")
    {
        Split.AcceptOnlyFromAmong("capture", "time", "random");
        foreach (var o in new Option[] { LabeledDir, Labels, Db, Model, DefaultLabel, Split, Rounds, MaxDepth, Seed, NoBalance, HoldoutDir }) Options.Add(o);
        Validators.Add(r =>
        {
            bool dir = r.GetValue(LabeledDir) is not null, labels = r.GetValue(Labels) is not null;
            if (dir == labels) r.AddError("give exactly one label source: --labeled-dir <dir> or --labels <labels.csv | SQL>");
            if (labels && r.GetValue(Db) is null) r.AddError("--labels needs --db <database> (the flows to label)");
        });
        SetAction((pr, ct) => Task.FromResult(Run(pr, ct)));
    }

    private int Run(ParseResult pr, CancellationToken ct)
    {
        var dbPath = pr.GetValue(Db);
        if (pr.GetValue(Rounds) <= 0 || pr.GetValue(MaxDepth) <= 0) { Console.Error.WriteLine("pcaplab train: --rounds and --max-depth must be positive"); return ExitCodes.BadArguments; }
        LabelSource source;
        if (pr.GetValue(LabeledDir) is { } dir) source = LabelSource.FromDirectory(dir);
        else
        {
            if (!File.Exists(dbPath)) { Console.Error.WriteLine($"pcaplab train: database '{dbPath}' does not exist (create it with 'pcaplab ingest ... --db {dbPath}')"); return ExitCodes.BadArguments; }
            source = LabelSource.Parse(pr.GetValue(Labels)!, pr.GetValue(DefaultLabel));
        }
        var options = new TrainOptions
        {
            Split = pr.GetValue(Split) switch { "time" => SplitStrategy.ByTime, "random" => SplitStrategy.Random, _ => SplitStrategy.ByCapture },
            Rounds = pr.GetValue(Rounds),
            MaxDepth = pr.GetValue(MaxDepth),
            Seed = pr.GetValue(Seed),
            BalanceClasses = !pr.GetValue(NoBalance),
        };
        var modelPath = pr.GetValue(Model)!;
        var (database, db) = LabStore.Open(dbPath);
        using (database) using (db)
        {
            try
            {
                var result = FlowModels.Train(db, source, options, modelPath, ct);
                using var model = result.Training.Model;
                Print(result);
                if (pr.GetValue(HoldoutDir) is { } holdout) return Holdout(holdout, modelPath, ct);
                return ExitCodes.Ok;
            }
            catch (LabelSourceException e) { Console.Error.WriteLine($"pcaplab train: {e.Message}"); return ExitCodes.BadArguments; }
            catch (TrainingDataException e) { Console.Error.WriteLine($"pcaplab train: {e.Message}"); return ExitCodes.Failed; }
            catch (DuckDbException e) { Console.Error.WriteLine($"pcaplab train: {e.Message}"); return ExitCodes.Failed; }
        }
    }

    private static int Holdout(string dir, string modelPath, CancellationToken ct)
    {
        var (database, db) = LabStore.Open(null);
        using (database) using (db)
        {
            var eval = FlowModels.Evaluate(db, LabelSource.FromDirectory(dir), modelPath, ct);
            foreach (var w in eval.Warnings) Console.Error.WriteLine($"warning: {w}");
            Console.WriteLine($"\nHeld-out evaluation on {dir} (captures never trained on):");
            Console.Write(eval.Evaluation.ToString());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"held-out macro-F1 {eval.Evaluation.MacroF1:F3}"));
            return ExitCodes.Ok;
        }
    }

    private static void Print(FlowTrainResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var t = r.Training;
        Console.WriteLine($"labelled flows: {string.Join(", ", r.Labels.Counts.Select(c => $"{c.Label} {c.Flows}"))}");
        foreach (var w in r.Warnings) Console.Error.WriteLine($"warning: {w}");
        Console.WriteLine(string.Create(inv, $"split {t.SplitUsed}: {t.TrainRows} train / {t.TestRows} test flow(s), {t.DuplicatesRemoved} duplicate(s) removed; test captures: {t.TestCaptures.Count}"));
        Console.WriteLine("\nTest set (held out by the split):");
        Console.Write(t.Test.ToString());
        Console.WriteLine("\nFeature importance (gain), top 10:");
        foreach (var (f, g) in t.Model.FeatureImportance.Take(10)) Console.WriteLine(string.Create(inv, $"  {f,-32} {g,12:F2}"));
        Console.WriteLine(string.Create(inv, $"\nmodel written to {r.ModelPath} ({t.Model.Classes.Count} classes, {t.Model.Features.Count} features, hash {t.Model.Card.FeatureHash[..12]}; test macro-F1 {t.Test.MacroF1:F3})"));
    }
}

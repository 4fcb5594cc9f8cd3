using System.CommandLine;
using System.Globalization;
using PcapLab.Ml;
using PcapLab.Store.DuckDb;

namespace PcapLab.Cli.Commands.Score;

/// <summary>`pcaplab score`: apply a saved model to every flow of a database, writing predictions and alerts.</summary>
internal sealed class ScoreCommand : Command
{
    public readonly Option<string> Db = new("--db") { Description = "The PcapLab database", Required = true };
    public readonly Option<string> Model = new("--model") { Description = "A model file written by 'pcaplab train'", Required = true };
    public readonly Option<double> Threshold = new("--threshold") { Description = "Alert when an attack label's probability reaches this", DefaultValueFactory = _ => 0.8 };

    public ScoreCommand() : base("score", "Score every flow with a trained model into the predictions table, alerting above a threshold")
    {
        Options.Add(Db); Options.Add(Model); Options.Add(Threshold);
        SetAction((pr, ct) => Task.FromResult(Run(pr, ct)));
    }

    private int Run(ParseResult pr, CancellationToken ct)
    {
        var modelPath = pr.GetValue(Model)!;
        if (pr.GetValue(Threshold) is < 0 or > 1) { Console.Error.WriteLine("pcaplab score: --threshold is a probability between 0 and 1"); return ExitCodes.BadArguments; }
        if (!File.Exists(modelPath)) { Console.Error.WriteLine($"pcaplab score: model file '{modelPath}' does not exist (train one with 'pcaplab train')"); return ExitCodes.BadArguments; }
        if (!ExistingDatabase.TryOpen("score", pr.GetValue(Db)!, out var database, out var db)) return ExitCodes.BadArguments;
        using (database) using (db)
        {
            try
            {
                var r = FlowModels.Score(db!, modelPath, pr.GetValue(Threshold), ct);
                Console.WriteLine($"scored {r.Flows} flow(s) with {r.Model}:");
                foreach (var (label, n) in r.ByLabel.OrderByDescending(p => p.Value)) Console.WriteLine($"  {label,-16} {n,10}");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Alerts} alert(s) with rule '{r.Rule}' at probability >= {pr.GetValue(Threshold):0.###}"));
                return ExitCodes.Ok;
            }
            catch (ModelFileException e) { Console.Error.WriteLine($"pcaplab score: {e.Message}"); return ExitCodes.Failed; }
            catch (ModelFeatureMismatchException e) { Console.Error.WriteLine($"pcaplab score: {e.Message}"); return ExitCodes.Failed; }
            catch (DuckDbException e) { Console.Error.WriteLine($"pcaplab score: {e.Message}"); return ExitCodes.Failed; }
        }
    }
}

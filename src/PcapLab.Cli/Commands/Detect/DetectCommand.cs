using System.CommandLine;
using PcapLab.Detect;
using Spectre.Console;

namespace PcapLab.Cli.Commands.Detect;

/// <summary>`pcaplab detect`: run the detection rules over a database and fill its alerts table.</summary>
internal sealed class DetectCommand : Command
{
    public readonly Option<string?> Db = new("--db") { Description = "The PcapLab database (required unless --show-defaults)" };
    public readonly Option<string?> Rules = new("--rules") { Description = "A YAML file of rule thresholds, merged over the documented defaults" };
    public readonly Option<bool> ShowDefaults = new("--show-defaults") { Description = "Print the default rules file (every threshold, documented) and exit" };

    public DetectCommand() : base("detect", "Run the detection rules (scans, floods, brute force, DNS tunnelling, beaconing, web attacks) into the alerts table")
    {
        Options.Add(Db); Options.Add(Rules); Options.Add(ShowDefaults);
        Validators.Add(r => { if (r.GetResult(Db) is null && r.GetResult(ShowDefaults) is null) r.AddError("Option '--db' is required."); });
        SetAction((pr, ct) =>
        {
            if (pr.GetValue(ShowDefaults)) { Console.Write(DetectionRules.DefaultYaml); return Task.FromResult(ExitCodes.Ok); }
            DetectionRules rules;
            try { rules = DetectionRules.Load(pr.GetValue(Rules)); }
            catch (DetectionRulesException e) { Console.Error.WriteLine($"pcaplab detect: {e.Message}"); return Task.FromResult(ExitCodes.BadArguments); }
            if (!ExistingDatabase.TryOpen("detect", pr.GetValue(Db)!, out var database, out var db)) return Task.FromResult(ExitCodes.BadArguments);
            using (database) using (db)
            {
                try
                {
                    var result = Detector.Run(db!, rules, ct);
                    var table = new Table().AddColumns("rule", "alerts");
                    foreach (var (rule, n) in result.AlertsByRule.OrderBy(kv => kv.Key)) table.AddRow(rule, n.ToString());
                    AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }).Write(table);
                    Console.WriteLine($"{result.Total} alert(s) in {result.Elapsed.TotalSeconds:F2}s; query them with: pcaplab sql --db {pr.GetValue(Db)} \"select * from alerts order by severity, ts\"");
                    return Task.FromResult(ExitCodes.Ok);
                }
                catch (Store.DuckDb.DuckDbException e) { Console.Error.WriteLine($"pcaplab detect: {e.Message}"); return Task.FromResult(ExitCodes.Failed); }
            }
        });
    }
}

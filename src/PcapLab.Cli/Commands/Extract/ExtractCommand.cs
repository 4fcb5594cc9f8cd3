using System.CommandLine;
using PcapLab.Export;

namespace PcapLab.Cli.Commands.Extract;

/// <summary>`pcaplab extract`: carve the original packets of matching flows into a new capture.</summary>
internal sealed class ExtractCommand : Command
{
    public readonly Option<string> Db = new("--db") { Description = "The PcapLab database", Required = true };
    public readonly Option<string?> Where = new("--where") { Description = "SQL condition over the flows table, e.g. \"conn_state = 'REJ'\"" };
    public readonly Option<long?> Flow = new("--flow") { Description = "One flow id instead of --where" };
    public readonly Option<string> Out = new("--out", "-o") { Description = "The capture to write (same format as the source: pcap or pcapng)", Required = true };

    public ExtractCommand() : base("extract", "Carve the exact original packets of matching flows out of their source captures")
    {
        Options.Add(Db); Options.Add(Where); Options.Add(Flow); Options.Add(Out);
        Validators.Add(r =>
        {
            if ((r.GetValue(Where) is null) == (r.GetValue(Flow) is null)) r.AddError("give exactly one of --where or --flow");
        });
        SetAction((pr, ct) =>
        {
            if (!ExistingDatabase.TryOpen("extract", pr.GetValue(Db)!, out var database, out var db)) return Task.FromResult(ExitCodes.BadArguments);
            using (database) using (db)
            {
                try
                {
                    var result = pr.GetValue(Flow) is long id
                        ? PacketCarver.CarveFlow(db!, id, pr.GetValue(Out)!, ct)
                        : PacketCarver.CarveFlows(db!, pr.GetValue(Where)!, pr.GetValue(Out)!, ct);
                    Console.WriteLine($"{result.OutputPath}: {result.Packets} packets of {result.Flows} flow(s), {result.Format}");
                    return Task.FromResult(ExitCodes.Ok);
                }
                catch (Exception e) when (e is CarveException or Store.DuckDb.DuckDbException or IOException)
                {
                    Console.Error.WriteLine($"pcaplab extract: {e.Message}");
                    return Task.FromResult(ExitCodes.Failed);
                }
            }
        });
    }
}

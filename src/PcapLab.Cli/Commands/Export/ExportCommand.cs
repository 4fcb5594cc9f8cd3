using System.CommandLine;
using PcapLab.Export;

namespace PcapLab.Cli.Commands.Export;

/// <summary>`pcaplab export`: write a table as hive-partitioned Parquet (or CSV) for Spark, Trino or DuckDB.</summary>
internal sealed class ExportCommand : Command
{
    public readonly Option<string> Db = new("--db") { Description = "The PcapLab database", Required = true };
    public readonly Option<string> Table = new("--table", "-t") { Description = "Table to export (packets, flows, dns, http, tls, ...)", Required = true };
    public readonly Option<string> Format = new("--format", "-f") { Description = "Output format", DefaultValueFactory = _ => "parquet" };
    public readonly Option<string> Out = new("--out", "-o") { Description = "Output folder", Required = true };
    public readonly Option<string> PartitionBy = new("--partition-by") { Description = "Hive partitioning of the output", DefaultValueFactory = _ => "none" };
    public readonly Option<bool> Overwrite = new("--overwrite") { Description = "Replace files already in the output folder" };

    public ExportCommand() : base("export", "Export a table as (hive-partitioned) Parquet or CSV")
    {
        Format.AcceptOnlyFromAmong("parquet", "csv");
        PartitionBy.AcceptOnlyFromAmong("none", "hour", "capture");
        Options.Add(Db); Options.Add(Table); Options.Add(Format); Options.Add(Out); Options.Add(PartitionBy); Options.Add(Overwrite);
        SetAction(pr =>
        {
            if (!ExistingDatabase.TryOpen("export", pr.GetValue(Db)!, out var database, out var db)) return ExitCodes.BadArguments;
            using (database) using (db)
            {
                try
                {
                    var partition = Enum.Parse<ExportPartition>(pr.GetValue(PartitionBy)!, ignoreCase: true);
                    long rows = TableExport.Export(db!, pr.GetValue(Table)!, pr.GetValue(Format)!, pr.GetValue(Out)!, partition, pr.GetValue(Overwrite));
                    Console.WriteLine($"{rows} rows of {pr.GetValue(Table)} written to {pr.GetValue(Out)}");
                    return ExitCodes.Ok;
                }
                catch (ArgumentException e) { Console.Error.WriteLine($"pcaplab export: {e.Message}"); return ExitCodes.BadArguments; }
                catch (Store.DuckDb.DuckDbException e) { Console.Error.WriteLine($"pcaplab export: {e.Message}"); return ExitCodes.Failed; }
            }
        });
    }
}

using PcapLab.Export;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary><c>#!export --table T --format parquet --out DIR</c>: hive-partitioned Parquet or CSV for Spark, Trino or DuckDB.</summary>
internal sealed class ExportMagic : Magic
{
    public override string Name => "export";
    public override string Description => "Exports a table as (hive-partitioned) Parquet or CSV that Spark, Trino and DuckDB read as one dataset";
    public override IReadOnlyList<MagicOption> Options =>
    [
        new("table", "Table to export (packets, flows, dns, http, tls, alerts, ...)", ValueName: "name", Required: true),
        new("format", "parquet (default) or csv", ValueName: "format"),
        new("out", "Output folder", ValueName: "dir", Required: true),
        new("partition-by", "none (default), hour or capture", ValueName: "key"),
        new("overwrite", "Replace files already in the folder", IsFlag: true),
    ];

    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        var partitionText = inv.Get("partition-by") ?? "none";
        if (!Enum.TryParse<ExportPartition>(partitionText, ignoreCase: true, out var partition))
            throw new MagicUsageException(Name, $"--partition-by must be none, hour or capture, not '{partitionText}'");
        long rows;
        try
        {
            using (EngineMagics.InterruptDuckDb(cell.Session, ct))
                rows = TableExport.Export(cell.Session.Lab.Connection, EngineMagics.Required(this, inv, "table"), inv.Get("format") ?? "parquet",
                    EngineMagics.Required(this, inv, "out"), partition, inv.Has("overwrite"));
        }
        catch (ArgumentException e) { throw new MagicUsageException(Name, e.Message); }
        catch (Store.DuckDb.DuckDbException e) { throw new CellFailure("SqlError", e.Message.Split('\n')[0], ["SqlError: " + e.Message]); }
        cell.Display(MimeBundle.PlainText($"{rows:N0} rows written to {Path.GetFullPath(inv.Get("out")!)}"));
        return Task.CompletedTask;
    }
}

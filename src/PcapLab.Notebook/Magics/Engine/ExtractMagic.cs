using PcapLab.Export;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary><c>#!extract --where "..." --out carved.pcap</c>: the pivot from flows to their original packets.</summary>
internal sealed class ExtractMagic : Magic
{
    public override string Name => "extract";
    public override string Description => "Carves the exact original packets of matching flows into a new capture (same format as the source)";
    public override IReadOnlyList<MagicOption> Options =>
    [
        new("where", "SQL condition over the flows table, e.g. \"conn_state = 'REJ'\"", ValueName: "condition"),
        new("flow", "One flow id instead of --where", ValueName: "id"),
        new("out", "The capture file to write", ValueName: "file", Required: true),
    ];

    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        var output = EngineMagics.Required(this, inv, "out");
        string? where = inv.Get("where");
        long flow = inv.GetInt64("flow", 0);
        if ((where is null) == (flow == 0)) throw new MagicUsageException(Name, "give exactly one of --where or --flow");
        var db = cell.Session.Lab.Connection;
        CarveResult result;
        try
        {
            using (EngineMagics.InterruptDuckDb(cell.Session, ct))
                result = where is null ? PacketCarver.CarveFlow(db, flow, output, ct) : PacketCarver.CarveFlows(db, where, output, ct);
        }
        catch (CarveException e) { throw new CellFailure("ExtractError", e.Message, ["ExtractError: " + e.Message]); }
        catch (Store.DuckDb.DuckDbException e) { throw new CellFailure("SqlError", e.Message.Split('\n')[0], ["SqlError: " + e.Message]); }
        cell.Display(MimeBundle.PlainText($"{Path.GetFullPath(result.OutputPath)}: {result.Packets} packets of {result.Flows} flow(s), {result.Format}"));
        return Task.CompletedTask;
    }
}

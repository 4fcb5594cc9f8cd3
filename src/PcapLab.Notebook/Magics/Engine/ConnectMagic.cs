using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary><c>#!connect --db file.duckdb</c>: switches the session from its in-memory database to a file.</summary>
internal sealed class ConnectMagic : Magic
{
    public override string Name => "connect";
    public override string Description => "Switches the session to a DuckDB file (created when missing); later loads and queries use it.";
    public override IReadOnlyList<MagicOption> Options => [new("db", "The database file", ValueName: "file", Required: true)];

    public override Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        var path = EngineMagics.Required(this, inv, "db");
        try { cell.Session.Lab.Connect(path); }
        catch (Store.DuckDb.DuckDbException e) { throw new CellFailure("ConnectError", $"cannot open '{path}': {e.Message}", [$"ConnectError: cannot open '{path}': {e.Message}"]); }
        cell.Display(MimeBundle.PlainText($"connected to {Path.GetFullPath(path)}"));
        cell.Display(cell.Session.Lab.Tables());
        return Task.CompletedTask;
    }
}

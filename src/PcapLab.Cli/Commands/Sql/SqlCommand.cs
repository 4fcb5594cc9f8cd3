using System.CommandLine;

namespace PcapLab.Cli.Commands.Sql;

/// <summary>`pcaplab sql`: run one query against a PcapLab database.</summary>
internal sealed class SqlCommand : Command
{
    public readonly Argument<string> Query = new("query") { Description = "The SQL to run (DuckDB dialect), e.g. \"select conn_state, count(*) from flows group by 1\"" };
    public readonly Option<string> Db = new("--db") { Description = "The DuckDB file to query", Required = true };
    public readonly Option<string> Format = new("--format", "-f") { Description = "Output format", DefaultValueFactory = _ => "table" };
    public readonly Option<int?> MaxRows = new("--max-rows") { Description = "Stop after this many rows (table format defaults to all)" };

    public SqlCommand() : base("sql", "Run a SQL query on a PcapLab database and print the result")
    {
        Format.AcceptOnlyFromAmong("table", "csv", "json");
        Arguments.Add(Query);
        Options.Add(Db); Options.Add(Format); Options.Add(MaxRows);
        SetAction((pr, ct) => Task.FromResult(SqlAction.Run(this, pr, ct)));
    }
}

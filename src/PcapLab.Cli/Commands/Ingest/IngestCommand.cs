using System.CommandLine;

namespace PcapLab.Cli.Commands.Ingest;

/// <summary>`pcaplab ingest`: load captures into a DuckDB file.</summary>
internal sealed class IngestCommand : Command
{
    public readonly Argument<string[]> Paths = new("paths")
    {
        Description = "Capture files or globs (pcap, pcapng, gzip-compressed either), e.g. evidence/*.pcapng",
        Arity = ArgumentArity.OneOrMore,
    };
    public readonly Option<string?> Db = new("--db") { Description = "The DuckDB file to load into (created when missing); required unless --parquet is given" };
    public readonly Option<string?> Parquet = new("--parquet") { Description = "Also write every table as Parquet under this folder, one hive partition per input file (DIR/<table>/capture_id=N/)" };
    public readonly Option<int?> Parallel = new("--parallel", "-j") { Description = "Files loaded at once (default: one per core when several files are given)" };
    public readonly Option<bool> Json = new("--json") { Description = "Print the summary as JSON on stdout" };
    public readonly Option<bool> Reload = new("--reload") { Description = "Load files again even when the same bytes (SHA-256) are already stored" };
    public readonly Option<bool> NoFlows = new("--no-flows") { Description = "Store packets only: no flows, no application records (faster; for measuring the packet path)" };
    public readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "No progress output" };

    public IngestCommand() : base("ingest", "Load capture files into DuckDB tables (captures, packets, flows, dns, http, tls, ...)")
    {
        // A path argument swallows any token; one that looks like an option is a typo, not a file to load.
        Paths.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (token.Value.StartsWith('-') && !File.Exists(token.Value))
                    result.AddError($"unknown option '{token.Value}' (see 'pcaplab ingest --help')");
        });
        Arguments.Add(Paths);
        // Checked on the tokens, not the values: reading a value that failed to parse would throw here.
        Validators.Add(r =>
        {
            if (r.GetResult(Db) is null && r.GetResult(Parquet) is null) r.AddError("give --db <file.duckdb>, --parquet <dir>, or both");
        });
        Parallel.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out int n) && n < 1) r.AddError("--parallel must be at least 1");
        });
        Options.Add(Db); Options.Add(Parquet); Options.Add(Parallel); Options.Add(Json); Options.Add(Reload); Options.Add(NoFlows); Options.Add(Quiet);
        SetAction((pr, ct) => Task.FromResult(IngestAction.Run(this, pr, ct)));
    }
}

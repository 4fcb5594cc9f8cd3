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
    public readonly Option<string> Db = new("--db") { Description = "The DuckDB file to load into (created when missing)", Required = true };
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
        Options.Add(Db); Options.Add(Json); Options.Add(Reload); Options.Add(NoFlows); Options.Add(Quiet);
        SetAction((pr, ct) => Task.FromResult(IngestAction.Run(this, pr, ct)));
    }
}

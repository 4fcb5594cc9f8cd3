using System.CommandLine;

namespace PcapLab.Cli.Commands.Run;

/// <summary>`pcaplab run`: execute a notebook headless (papermill-style parameters, timeouts, executed notebook, HTML and JUnit).</summary>
/// <remarks>Every value is read as text and checked by <see cref="RunAction"/>, so any bad argument exits 4 (this verb's code)
/// rather than the parser's generic code.</remarks>
internal sealed class RunCommand : Command
{
    public readonly Argument<string?> Notebook = new("notebook")
    {
        Description = "The notebook to run: .ipynb (nbformat 4) or .dib (polyglot; cells split at #!csharp, #!sql, #!markdown)",
        Arity = ArgumentArity.ZeroOrOne,
    };
    public readonly Option<string[]> Parameters = new("--parameter", "-p")
    {
        Description = "A parameter value, name=value (repeatable); typed by the default in the cell tagged 'parameters'",
        Arity = ArgumentArity.ZeroOrMore,
    };
    public readonly Option<string?> ParametersFile = new("--parameters-file", "-f") { Description = "A YAML file of name: value parameters (-p values win)", Arity = ArgumentArity.ZeroOrOne };
    public readonly Option<string?> Output = new("--output", "-o") { Description = "Write the executed notebook here (.ipynb, nbformat 4.5)", Arity = ArgumentArity.ZeroOrOne };
    public readonly Option<string?> Html = new("--html") { Description = "Write a self-contained HTML report here", Arity = ArgumentArity.ZeroOrOne };
    public readonly Option<string?> JUnit = new("--junit") { Description = "Write JUnit XML here (one testcase per code cell)", Arity = ArgumentArity.ZeroOrOne };
    public readonly Option<string?> Timeout = new("--timeout") { Description = "Seconds the whole notebook may take (exit 3 when exceeded)", Arity = ArgumentArity.ZeroOrOne };
    public readonly Option<string?> CellTimeout = new("--cell-timeout") { Description = "Seconds each cell may take (exit 3 when exceeded)", Arity = ArgumentArity.ZeroOrOne };
    public readonly Option<bool> AllowCapture = new("--allow-capture") { Description = "Allow #!capture cells to capture live traffic (off by default so a report can be reproduced from files)" };
    public readonly Option<bool> AllowErrors = new("--allow-errors") { Description = "Run every cell even when some fail; record the errors and exit 0 (timeouts still stop the run)" };
    public readonly Option<string?> Db = new("--db") { Description = "The session's DuckDB file (default: in-memory)", Arity = ArgumentArity.ZeroOrOne };
    public readonly Option<string?> Cwd = new("--cwd") { Description = "The working directory the cells run in (output paths stay relative to the current one)", Arity = ArgumentArity.ZeroOrOne };
    public readonly Option<bool> Describe = new("--describe") { Description = "List the notebook's parameters with their types and defaults, and exit" };

    public RunCommand() : base("run", "Run a notebook headless: progress on stderr; exit 0 ok, 2 a cell failed, 3 timeout, 4 bad notebook or arguments")
    {
        TreatUnmatchedTokensAsErrors = false;
        Arguments.Add(Notebook);
        Options.Add(Parameters); Options.Add(ParametersFile); Options.Add(Output); Options.Add(Html); Options.Add(JUnit);
        Options.Add(Timeout); Options.Add(CellTimeout); Options.Add(AllowErrors); Options.Add(AllowCapture); Options.Add(Db); Options.Add(Cwd); Options.Add(Describe);
        SetAction((pr, ct) => RunAction.RunAsync(this, pr, ct));
    }
}

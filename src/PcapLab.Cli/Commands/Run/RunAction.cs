using System.CommandLine;
using System.Globalization;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Runner;

namespace PcapLab.Cli.Commands.Run;

/// <summary>Runs `pcaplab run`: checks the arguments (exit 4 on any problem), then hands over to <see cref="NotebookRunner"/>.</summary>
internal static class RunAction
{
    public static async Task<int> RunAsync(RunCommand cmd, ParseResult pr, CancellationToken ct)
    {
        var stdout = Console.Out;
        // Cells write to Console; the routing sends it into the cell, and our own lines to the real stderr.
        CellConsole.Install();
        var stderr = CellConsole.Log;
        RunOptions options;
        bool describe = pr.GetValue(cmd.Describe);
        try { options = Options(cmd, pr, stderr); }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"pcaplab run: {e.Message}");
            stderr.WriteLine("Run 'pcaplab run --help' for usage.");
            return RunExitCodes.BadInput;
        }
        if (describe) return DescribeParameters(options.NotebookPath, stdout, stderr);
        var result = await NotebookRunner.RunAsync(options, ct);
        return result.ExitCode;
    }

    private static RunOptions Options(RunCommand cmd, ParseResult pr, TextWriter log)
    {
        if (pr.UnmatchedTokens.Count > 0)
            throw new ArgumentException($"unexpected argument '{pr.UnmatchedTokens[0]}' (one notebook per run; options take one value each)");
        var notebook = pr.GetValue(cmd.Notebook);
        if (string.IsNullOrEmpty(notebook)) throw new ArgumentException("no notebook given: pcaplab run <notebook.ipynb | notebook.dib>");
        if (notebook.StartsWith('-') && !File.Exists(notebook)) throw new ArgumentException($"unknown option '{notebook}'");
        var parameters = new List<KeyValuePair<string, string?>>();
        foreach (var p in pr.GetValue(cmd.Parameters) ?? [])
        {
            try { parameters.Add(NotebookParameters.ParseAssignment(p)); }
            catch (ParameterException e) { throw new ArgumentException(e.Message); }
        }
        if (pr.GetResult(cmd.Parameters) is { } pres && pres.Tokens.Count == 0) throw new ArgumentException("-p needs a value: -p name=value");
        return new RunOptions
        {
            NotebookPath = notebook,
            Parameters = parameters,
            ParametersFile = Value(pr, cmd.ParametersFile),
            OutputPath = Value(pr, cmd.Output),
            HtmlPath = Value(pr, cmd.Html),
            JUnitPath = Value(pr, cmd.JUnit),
            Timeout = Seconds(pr, cmd.Timeout),
            CellTimeout = Seconds(pr, cmd.CellTimeout),
            AllowErrors = pr.GetValue(cmd.AllowErrors),
            AllowCapture = pr.GetValue(cmd.AllowCapture),
            DatabasePath = Value(pr, cmd.Db),
            WorkingDirectory = Value(pr, cmd.Cwd),
            Log = log,
        };
    }

    // An option given without its value is an error, not "not given".
    private static string? Value(ParseResult pr, Option<string?> option)
    {
        if (pr.GetResult(option) is not { } r) return null;
        var v = pr.GetValue(option);
        return string.IsNullOrEmpty(v) ? throw new ArgumentException($"{option.Name} needs a value") : v;
    }

    private static TimeSpan? Seconds(ParseResult pr, Option<string?> option)
    {
        var text = Value(pr, option);
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || !double.IsFinite(s) || s <= 0 || s > TimeSpan.MaxValue.TotalSeconds / 2)
            throw new ArgumentException($"{option.Name} '{text}': expected a number of seconds more than 0");
        return TimeSpan.FromSeconds(s);
    }

    private static int DescribeParameters(string path, TextWriter stdout, TextWriter stderr)
    {
        NotebookCell? cell;
        IReadOnlyList<NotebookParameter> parameters;
        try { (cell, parameters) = NotebookRunner.Describe(path); }
        catch (NotebookFormatException e)
        {
            stderr.WriteLine($"pcaplab run: {e.Message}");
            return RunExitCodes.BadInput;
        }
        if (cell is null)
        {
            stdout.WriteLine($"{Path.GetFileName(path)}: no cell tagged 'parameters'");
            return RunExitCodes.Ok;
        }
        stdout.WriteLine($"{Path.GetFileName(path)}: parameters (set with -p name=value or -f params.yaml)");
        int nameWidth = Math.Max(4, parameters.Select(p => p.Name.Length).DefaultIfEmpty().Max());
        int typeWidth = Math.Max(4, parameters.Select(p => (p.Type ?? "(not settable)").Length).DefaultIfEmpty().Max());
        stdout.WriteLine($"  {"name".PadRight(nameWidth)}  {"type".PadRight(typeWidth)}  default");
        foreach (var p in parameters)
            stdout.WriteLine($"  {p.Name.PadRight(nameWidth)}  {(p.Type ?? "(not settable)").PadRight(typeWidth)}  {p.Default}");
        stdout.Flush();
        return RunExitCodes.Ok;
    }
}

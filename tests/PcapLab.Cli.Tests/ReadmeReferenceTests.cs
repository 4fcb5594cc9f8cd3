using System.Text;
using PcapLab.Notebook.Cells;
using PcapLab.Testing;

namespace PcapLab.Cli.Tests;

/// <summary>
/// The README's magic-command and CLI references are generated from the parsers' own help text, so they cannot drift:
/// this test fails when they are stale. Regenerate with PCAPLAB_UPDATE_README=1 dotnet test --filter ReadmeReference.
/// </summary>
public class ReadmeReferenceTests
{
    private static string ReadmePath => Path.Combine(Repo.Root, "README.md");

    [Fact]
    public void Magic_reference_matches_the_magics_help() => Check("magics", MagicReference());

    [Fact]
    public void Cli_reference_matches_the_commands_help() => Check("cli", CliReference());

    internal static string MagicReference()
    {
        var session = new NotebookSession();
        var sb = new StringBuilder();
        foreach (var magic in session.Magics.All.OrderBy(m => m.Name, StringComparer.Ordinal))
            sb.Append("#### `#!").Append(magic.Name).Append("`\n\n```text\n").Append(magic.Help.TrimEnd()).Append("\n```\n\n");
        return sb.ToString().TrimEnd() + "\n";
    }

    internal static string CliReference()
    {
        var sb = new StringBuilder();
        var root = PcapLabCli.Build();
        var verbs = new List<string[]> { Array.Empty<string>() };
        foreach (var verb in root.Subcommands.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            verbs.Add([verb.Name]);
            foreach (var sub in verb.Subcommands.OrderBy(c => c.Name, StringComparer.Ordinal)) verbs.Add([verb.Name, sub.Name]);
        }
        foreach (var words in verbs)
        {
            var help = CliRunner.Run([.. words, "--help"]).Stdout.Replace("\r", "").TrimEnd();
            sb.Append("#### `pcaplab").Append(words.Length > 0 ? " " + string.Join(' ', words) : "").Append("`\n\n```text\n").Append(help).Append("\n```\n\n");
        }
        return sb.ToString().TrimEnd() + "\n";
    }

    private static void Check(string section, string generated)
    {
        string begin = $"<!-- {section}:begin (generated: see tests/PcapLab.Cli.Tests/ReadmeReferenceTests.cs) -->\n", end = $"<!-- {section}:end -->";
        var readme = File.ReadAllText(ReadmePath);
        int a = readme.IndexOf(begin, StringComparison.Ordinal), b = readme.IndexOf(end, StringComparison.Ordinal);
        Assert.True(a >= 0 && b > a, $"README.md has no {section} reference section ({begin.Trim()} ... {end})");
        var current = readme[(a + begin.Length)..b];
        if (current != generated && Environment.GetEnvironmentVariable("PCAPLAB_UPDATE_README") == "1")
        {
            File.WriteAllText(ReadmePath, readme[..(a + begin.Length)] + generated + readme[b..]);
            return;
        }
        Assert.True(current == generated,
            $"the README's {section} reference is stale; regenerate it with PCAPLAB_UPDATE_README=1 dotnet test tests/PcapLab.Cli.Tests --filter ReadmeReference");
    }
}

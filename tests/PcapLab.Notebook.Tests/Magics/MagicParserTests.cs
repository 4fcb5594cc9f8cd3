using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Magics;

namespace PcapLab.Notebook.Tests.Magics;

public class MagicParserTests
{
    private sealed class LoadMagic : Magic
    {
        public override string Name => "pcapx";
        public override string Description => "Test definition shaped like #!pcap load.";
        public override IReadOnlyList<MagicOption> Options =>
            [new("db", "database file", ValueName: "file"), new("limit", "row limit", ShortName: "n", ValueName: "n"), new("verbose", "more output", IsFlag: true)];
        public override IReadOnlyList<MagicArgument> Arguments =>
            [new("verb", "what to do", Required: true), new("paths", "files", Variadic: true)];
        public override Task ExecuteAsync(MagicInvocation invocation, CellContext cell, CancellationToken ct) => Task.CompletedTask;
    }

    private static readonly Dictionary<string, object?> Vars = new() { ["pcap"] = "/data/a b.pcap", ["n"] = 25L };

    private static MagicInvocation Parse(string args) =>
        MagicParser.Parse(new LoadMagic(), args, "", 1, name => Vars.TryGetValue(name, out var v) ? (true, v) : (false, null));

    [Fact]
    public void QuotesFlagsOptionsAndPositionals()
    {
        var inv = Parse("load \"my file.pcap\" 'it''s' --db=x.duckdb --verbose -n 5 plain\\path");
        Assert.Equal(["load", "my file.pcap", "its", "plain\\path"], inv.Positionals.Select(p => p.Text));
        Assert.Equal("x.duckdb", inv.Get("db"));
        Assert.Equal(5, inv.GetInt64("limit", 0));
        Assert.True(inv.Has("verbose"));
        Assert.False(inv.HelpRequested);
    }

    [Fact]
    public void EscapedQuoteInsideDoubleQuotes()
    {
        var inv = Parse("load \"say \\\"hi\\\"\" --db \"a=b\"");
        Assert.Equal("say \"hi\"", inv.Positionals[1].Text);
        Assert.Equal("a=b", inv.Get("db"));
    }

    [Fact]
    public void NegativeNumberIsAValueNotAnOption() => Assert.Equal(-5, Parse("load --limit -5").GetInt64("limit", 0));

    [Fact]
    public void NonIntegerValueIsNamed() =>
        Assert.Contains("--limit", Assert.Throws<MagicUsageException>(() => Parse("load --limit ten").GetInt64("limit", 0)).Message);

    [Fact]
    public void UnknownOptionIsNamed()
    {
        var ex = Assert.Throws<MagicUsageException>(() => Parse("load --bogus 3"));
        Assert.Contains("'--bogus'", ex.Message);
        Assert.Contains("--db", ex.Message);
    }

    [Fact]
    public void MissingValueIsNamed()
    {
        var ex = Assert.Throws<MagicUsageException>(() => Parse("load x --db"));
        Assert.Contains("'--db' needs a value", ex.Message);
        ex = Assert.Throws<MagicUsageException>(() => Parse("load --db --verbose"));
        Assert.Contains("'--db' needs a value", ex.Message);
    }

    [Fact]
    public void MissingRequiredArgument()
    {
        var ex = Assert.Throws<MagicUsageException>(() => Parse("--verbose"));
        Assert.Contains("<verb>", ex.Message);
    }

    [Fact]
    public void FlagWithValueIsAnError() =>
        Assert.Contains("flag", Assert.Throws<MagicUsageException>(() => Parse("load --verbose=yes")).Message);

    [Fact]
    public void UnterminatedQuote() =>
        Assert.Contains("unterminated", Assert.Throws<MagicUsageException>(() => Parse("load \"abc")).Message);

    [Theory]
    [InlineData("-h")]
    [InlineData("load --bogus --help")]
    public void HelpWinsOverEverythingElse(string args) => Assert.True(Parse(args).HelpRequested);

    [Fact]
    public void HelpTextIsGeneratedFromTheDefinition()
    {
        var help = MagicHelp.Format(new LoadMagic());
        Assert.StartsWith("Usage: #!pcapx [options] <verb> [<paths>...]", help);
        Assert.Contains("-n, --limit <n>", help);
        Assert.Contains("--db <file>", help);
        Assert.Contains("-h, --help", help);
    }

    [Fact]
    public void AtNameResolvesSessionVariables()
    {
        var inv = Parse("load @pcap --limit @n \"@pcap\"");
        Assert.Equal("/data/a b.pcap", inv.Positionals[1].Text);
        Assert.Equal("pcap", inv.Positionals[1].Variable);
        Assert.Equal(25, inv.GetInt64("limit", 0));
        Assert.Equal("@pcap", inv.Positionals[2].Text); // quoted: literal
        var ex = Assert.Throws<MagicUsageException>(() => Parse("load @nothere"));
        Assert.Contains("'@nothere'", ex.Message);
    }

    [Theory]
    [InlineData("#!sql --name x\nselect 1", "sql", "--name x", "select 1")]
    [InlineData("#!lsmagic", "lsmagic", "", "")]
    [InlineData("#!time\r\n#!who", "time", "", "#!who")]
    public void SplitsTheFirstLine(string cell, string name, string args, string body)
    {
        Assert.True(MagicParser.TrySplitCell(cell, out var n, out var a, out var b));
        Assert.Equal((name, args, body), (n, a, b));
    }

    [Theory]
    [InlineData("var x = 1;")]
    [InlineData("// #!sql")]
    [InlineData("#! sql")]
    [InlineData("#region x")]
    public void CSharpIsNotAMagicLine(string cell) => Assert.False(MagicParser.TrySplitCell(cell, out _, out _, out _));
}

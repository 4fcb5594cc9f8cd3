using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;
using PcapLab.Notebook.Magics;

namespace PcapLab.Notebook.Tests.Cells;

/// <summary>Records outputs in order, as a client would see them.</summary>
internal sealed class RecordingOutput : ICellOutput
{
    public readonly List<(string Kind, string Text)> Items = [];
    public void Stream(string name, string text) { lock (Items) Items.Add((name, text)); }
    public void DisplayData(MimeBundle bundle, string? displayId) { lock (Items) Items.Add(("display", bundle.PlainTextOrEmpty)); }
    public void UpdateDisplayData(MimeBundle bundle, string displayId) { lock (Items) Items.Add(("update", bundle.PlainTextOrEmpty)); }
    public void ClearOutput(bool wait) { lock (Items) Items.Add(("clear", "")); }
}

/// <summary>Runs one cell in a session the way the kernel does, off the test thread, and keeps what it produced.</summary>
internal static class CellRunner
{
    public static async Task<(CellContext Cell, RecordingOutput Out, CellFailure? Failure)> Run(NotebookSession s, string code,
        CancellationToken ct = default, long limit = CellContext.DefaultOutputLimit)
    {
        var output = new RecordingOutput();
        var cell = new CellContext(s, output, 1, ct, limit);
        CellFailure? failure = null;
        try { await Task.Run(() => s.RunCellAsync(code, cell)); }
        catch (CellFailure f) { failure = f; }
        cell.Dispose();
        return (cell, output, failure);
    }
}

public class CellTests
{
    private static Task<(CellContext Cell, RecordingOutput Out, CellFailure? Failure)> Run(NotebookSession s, string code, long limit = CellContext.DefaultOutputLimit) =>
        CellRunner.Run(s, code, CancellationToken.None, limit);

    [Fact]
    public async Task CSharpStateStreamsAndResult()
    {
        CellConsole.Install();
        var s = new NotebookSession();
        await Run(s, "var a = 40;");
        var (cell, output, failure) = await Run(s, "Console.Write(\"x\"); Console.Error.Write(\"e\"); Console.Write(\"y\");\na + 2");
        Assert.Null(failure);
        Assert.Equal(42, cell.Result);
        Assert.Equal([("stdout", "x"), ("stderr", "e"), ("stdout", "y")], output.Items);
    }

    [Fact]
    public async Task CompileErrorNamesCellLineAfterMagicLine()
    {
        var s = new NotebookSession();
        var (_, _, failure) = await Run(s, "#!csharp\nvar ok = 1;\nundefinedName + 1");
        Assert.NotNull(failure);
        Assert.Equal("CompilationError", failure!.Name);
        Assert.Contains("(line 3, column 1)", failure.Traceback[0]);
        Assert.Contains("CS0103", failure.Traceback[0]);
    }

    [Fact]
    public async Task OutputBeyondTheLimitIsTruncatedWithANotice()
    {
        CellConsole.Install();
        var s = new NotebookSession();
        var (_, output, failure) = await Run(s, "for (int i = 0; i < 1000; i++) Console.Write(new string('x', 100));", limit: 10_000);
        Assert.Null(failure);
        Assert.Equal(10_000, output.Items.Where(i => i.Kind == "stdout").Sum(i => i.Text.Length));
        Assert.Contains(output.Items, i => i.Kind == "stderr" && i.Text.Contains("output truncated"));
    }

    [Fact]
    public async Task MagicValuesReachCSharpAndAtNames()
    {
        var s = new NotebookSession();
        await s.SetVariableAsync("stored", new List<int> { 1, 2, 3 });
        var (cell, _, failure) = await Run(s, "stored.Sum()");
        Assert.Null(failure);
        Assert.Equal(6, cell.Result);
        Assert.True(s.TryGetVariable("stored", out var v));
        Assert.IsType<List<int>>(v);
    }

    [Fact]
    public void CompletionIsExactForConsoleWriteLi()
    {
        var s = new NotebookSession();
        var (matches, start, end) = s.Complete("Console.WriteLi", 15);
        Assert.Equal(["WriteLine"], matches);
        Assert.Equal((8, 15), (start, end));
        Assert.Contains("#!lsmagic", s.Complete("#!l", 3).Matches);
    }

    private sealed class UpperMagic : Magic, ICompletingMagic
    {
        public override string Name => "upper";
        public override string Description => "Test language magic.";
        public override bool ConsumesCellBody => true;
        public override Task ExecuteAsync(MagicInvocation i, CellContext c, CancellationToken ct) { c.Write(i.Body.ToUpperInvariant()); return Task.CompletedTask; }
        public (IReadOnlyList<string> Matches, int Start, int End) CompleteBody(string body, int position, NotebookSession session) =>
            (["SELECT"], 0, position);
    }

    [Fact]
    public async Task LanguageMagicsCompleteTheirBodyAndAtNamesCompleteVariables()
    {
        var s = new NotebookSession();
        s.Magics.Register(new UpperMagic());
        var code = "#!upper\nsel";
        var (matches, start, end) = s.Complete(code, 11);
        Assert.Equal(["SELECT"], matches);
        Assert.Equal((8, 11), (start, end));
        await s.SetVariableAsync("capture_path", "/tmp/x.pcap");
        Assert.Equal(["@capture_path"], s.Complete("#!upper @cap", 12).Matches);
    }

    [Fact]
    public void FormatterBoundsRowsAndCutsLongValues()
    {
        var bundle = Formatter.ToMimeBundle(Enumerable.Range(0, 500).Select(i => new { Id = i, Text = new string('a', 200) }).ToList());
        var html = (string)bundle.Data["text/html"]!;
        Assert.Contains("450 more rows", html);
        Assert.Contains("title=\"" + new string('a', 200) + "\"", html);
        Assert.Equal(TableFormatter.DefaultMaxRows + 1, html.Split("<tr>").Length - 1);
    }
}

public class InterruptTests
{
    [Theory]
    [InlineData("Console.Write(\"go\");\nwhile (true) { }")]
    [InlineData("long n = 0; Console.Write(\"go\");\nfor (;;) n++;")]
    [InlineData("var xs = Enumerable.Range(0, 10); Console.Write(\"go\");\nwhile (true) foreach (var x in xs) { }")]
    public async Task BusyLoopsStopOnInterrupt(string code)
    {
        var s = new NotebookSession();
        using var cts = new CancellationTokenSource();
        var output = new RecordingOutput();
        var cell = new CellContext(s, output, 1, cts.Token);
        CellConsole.Install();
        var run = Task.Run(() => s.RunCellAsync(code, cell));
        for (int i = 0; i < 600 && !run.IsCompleted && output.Items.Count == 0; i++) await Task.Delay(50); // until the loop runs
        Assert.Equal([("stdout", "go")], output.Items);
        Assert.False(run.IsCompleted);
        cts.Cancel();
        var failure = await Assert.ThrowsAsync<CellFailure>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("KeyboardInterrupt", failure.Name);
    }

    [Fact]
    public async Task RuntimeErrorInsideALoopKeepsItsLine()
    {
        var s = new NotebookSession();
        var cell = new CellContext(s, new RecordingOutput(), 1, default);
        var failure = await Assert.ThrowsAsync<CellFailure>(() => Task.Run(() => s.RunCellAsync("int z = 0;\nfor (int i = 0; i < 3; i++)\n  z = 1 / z;", cell)));
        Assert.Equal(["System.DivideByZeroException: Attempted to divide by zero.", "   at cell line 3", "      z = 1 / z;"], failure.Traceback);
    }

    [Fact]
    public async Task CompileErrorInALoopCellReportsOriginalColumns()
    {
        var s = new NotebookSession();
        var cell = new CellContext(s, new RecordingOutput(), 1, default);
        var failure = await Assert.ThrowsAsync<CellFailure>(() => Task.Run(() => s.RunCellAsync("while (true) { nope(); }", cell)));
        Assert.Contains("(line 1, column 16)", failure.Traceback[0]);
    }
}

public class EngineInCellsTests
{
    [Fact]
    public async Task CellsUseTheEngineAndInspectShowsItsDocs()
    {
        var s = new NotebookSession();
        var cell = new CellContext(s, new RecordingOutput(), 1, default);
        await Task.Run(() => s.RunCellAsync("using PcapLab.Dissect;\nIpAddr.Parse(\"10.0.0.1\").ToString()", cell));
        Assert.Equal("10.0.0.1", cell.Result);
        var info = s.Inspect("PcapLab.Dissect.IpAddr.Parse(\"::1\")", 25);
        Assert.NotNull(info);
        Assert.Contains("IpAddr.Parse(string)", info);
        Assert.Contains("Parses dotted-quad IPv4", info);
    }

    [Fact]
    public void InspectShowsFrameworkDocsFromTheReferencePack()
    {
        var info = new NotebookSession().Inspect("Math.Sqrt(2.0)", 6);
        Assert.Contains("Math.Sqrt(double)", info);
        Assert.Contains("square root", info);
    }
}

public class IsCompleteTests
{
    [Theory]
    [InlineData("6*7", "complete")]
    [InlineData("", "complete")]
    [InlineData("if (true) {", "incomplete")]
    [InlineData("#!time\nif (true) {", "incomplete")]
    [InlineData("#!csharp\nvar x = 1;", "complete")]
    [InlineData("#!markdown\n# {", "complete")]
    [InlineData("var x = 1 +;", "invalid")]
    public void ClassifiesCells(string code, string status) => Assert.Equal(status, new NotebookSession().IsComplete(code));
}

public class ProgressDisplayTests
{
    private sealed class ManualTime : TimeProvider
    {
        public long Now;
        public override long TimestampFrequency => 1000;
        public override long GetTimestamp() => Now;
    }

    [Fact]
    public void UpdatesAtMostOncePerIntervalAndAlwaysOnComplete()
    {
        var output = new RecordingOutput();
        var cell = new CellContext(new NotebookSession(), output, 1, default);
        var time = new ManualTime();
        var progress = new ProgressDisplay(cell, "0 packets", TimeSpan.FromMilliseconds(250), time);
        int rendered = 0;
        for (int i = 1; i <= 1000; i++)
        {
            time.Now = i; // 1 ms per report
            progress.Report(() => { rendered++; return $"{i} packets"; });
        }
        progress.Complete("done: 1000 packets");
        Assert.Equal(4, rendered); // at 250, 500, 750, 1000 ms
        Assert.Equal([("display", "0 packets"), ("update", "250 packets"), ("update", "500 packets"), ("update", "750 packets"),
            ("update", "1000 packets"), ("update", "done: 1000 packets")], output.Items);
    }
}

using System.Text.Json.Nodes;
using PcapLab.Charts;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;
using PcapLab.Testing;

namespace PcapLab.Notebook.Tests.Charts;

/// <summary>Keeps every output bundle of a cell, in order.</summary>
internal sealed class BundleOutput : ICellOutput
{
    public readonly List<MimeBundle> Displays = [];
    public readonly List<(string Name, string Text)> Streams = [];
    public void Stream(string name, string text) { lock (Streams) Streams.Add((name, text)); }
    public void DisplayData(MimeBundle bundle, string? displayId) { lock (Displays) Displays.Add(bundle); }
    public void UpdateDisplayData(MimeBundle bundle, string displayId) { lock (Displays) Displays.Add(bundle); }
    public void ClearOutput(bool wait) { }
}

/// <summary>What one cell produced: its displays, streams, result and failure.</summary>
internal sealed record CellRun(BundleOutput Output, CellContext Cell, CellFailure? Failure)
{
    /// <summary>The figures displayed (application/vnd.plotly.v1+json) by the cell.</summary>
    public List<JsonObject> Figures => Output.Displays.Where(d => d.Data.ContainsKey(PcapLab.Charts.Figure.PlotlyMimeType))
        .Select(d => d.Data[PcapLab.Charts.Figure.PlotlyMimeType]!.AsObject()).ToList();

    /// <summary>The single figure the cell displayed.</summary>
    public JsonObject Figure => Assert.Single(Figures);

    /// <summary>text/plain of every display, joined.</summary>
    public string Text => string.Join("\n", Output.Displays.Select(d => d.PlainTextOrEmpty));

    /// <summary>Everything written to stdout.</summary>
    public string Stdout => string.Concat(Output.Streams.Where(s => s.Name == "stdout").Select(s => s.Text));
}

/// <summary>A notebook session with the real loopback captures of tests/data/records loaded (DNS, HTTP, TLS, SSH, fragments).</summary>
public sealed class ChartSession : IDisposable
{
    public static IReadOnlyList<string> Captures { get; } =
        Directory.GetFiles(Path.Combine(Repo.TestData, "records"), "*.pcap").Order(StringComparer.Ordinal).ToArray();

    internal NotebookSession Session { get; } = new(() => new Lab());

    public ChartSession()
    {
        Session.Lab.Load([.. Captures]);
    }

    internal Task<CellRun> Run(string code) => RunIn(Session, code);

    internal static async Task<CellRun> RunIn(NotebookSession session, string code)
    {
        var output = new BundleOutput();
        var cell = new CellContext(session, output, 1, CancellationToken.None);
        CellFailure? failure = null;
        try { await Task.Run(() => session.RunCellAsync(code, cell)); }
        catch (CellFailure f) { failure = f; }
        cell.Dispose();
        return new CellRun(output, cell, failure);
    }

    public void Dispose() => Session.Lab.Dispose();
}

using System.Diagnostics;

namespace PcapLab.Testing;

/// <summary>Runs tshark, the dissection oracle, and returns its -T fields output as rows of columns.</summary>
public static class Tshark
{
    /// <summary>One row per frame; each cell holds every occurrence of the field, comma-separated (tshark's -E occurrence=a).</summary>
    public static List<string[]> Fields(string capture, params string[] fields) => Fields(capture, [], fields);

    /// <summary>As <see cref="Fields(string, string[])"/>, with extra tshark options first (preferences, decode-as).</summary>
    public static List<string[]> Fields(string capture, IEnumerable<string> options, params string[] fields)
    {
        var args = new List<string> { "-n", "-r", capture, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=," };
        args.InsertRange(0, options);
        foreach (var f in fields) { args.Add("-e"); args.Add(f); }
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("tshark did not start");
        var stderr = p.StandardError.ReadToEndAsync();
        var rows = new List<string[]>();
        while (p.StandardOutput.ReadLine() is { } line) rows.Add(line.Split('\t'));
        p.WaitForExit();
        _ = stderr.Result;
        return rows;
    }
}

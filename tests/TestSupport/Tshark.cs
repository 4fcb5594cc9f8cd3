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
        var r = Tool.Run("tshark", args);
        var rows = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToList();
        // tshark exits non-zero on a capture cut short after printing its whole frames; only silence is a failure.
        if (r.ExitCode != 0 && rows.Count == 0) throw new Xunit.Sdk.XunitException($"tshark on {capture} exited {r.ExitCode}: {r.Stderr}");
        return rows;
    }
}

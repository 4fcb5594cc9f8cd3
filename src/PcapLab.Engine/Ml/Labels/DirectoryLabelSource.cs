using PcapLab.Ingest;
using PcapLab.Store.DuckDb;

namespace PcapLab.Ml.Labels;

/// <summary>Labels from a folder layout <c>&lt;dir&gt;/&lt;label&gt;/*.pcap[ng][.gz]</c>: every flow of a file gets its folder's name.</summary>
internal sealed class DirectoryLabelSource(string directory) : LabelSource
{
    private static readonly string[] Patterns = ["*.pcap", "*.pcapng", "*.cap", "*.pcap.gz", "*.pcapng.gz"];

    public override string Description => $"folder {directory}";

    /// <summary>The capture files per label folder, in a stable order.</summary>
    internal static IReadOnlyList<(string Label, string File)> Files(string directory)
    {
        if (!Directory.Exists(directory)) throw new LabelSourceException($"labelled folder '{directory}' does not exist");
        var files = new List<(string, string)>();
        foreach (var sub in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var label = Path.GetFileName(sub);
            if (label.StartsWith('.')) continue;
            foreach (var f in Patterns.SelectMany(p => Directory.EnumerateFiles(sub, p, SearchOption.AllDirectories)).Distinct().Order(StringComparer.Ordinal))
                files.Add((label, f));
        }
        if (files.Count == 0)
            throw new LabelSourceException($"labelled folder '{directory}' has no captures: expected <label>/*.pcap or *.pcapng files (e.g. {directory}/benign/web.pcap)");
        return files;
    }

    public override FlowLabels Apply(DuckDbConnection db, CancellationToken ct = default)
    {
        var files = Files(directory);
        var warnings = new List<string>();
        var captureLabel = new Dictionary<int, string>();
        var capturePath = new Dictionary<int, string>();
        foreach (var group in files.GroupBy(f => f.Label))
        {
            var summary = Ingestor.Load(db, group.Select(g => g.File), new IngestOptions(), ct);
            ct.ThrowIfCancellationRequested();
            foreach (var c in summary.Captures)
            {
                if (c.Error is not null) warnings.Add($"{c.Path}: {c.Error}");
                if (captureLabel.TryGetValue(c.CaptureId, out var other) && other != group.Key)
                    throw new LabelSourceException($"'{c.Path}' has the same bytes as a capture under '{other}/'; one capture cannot carry two labels");
                captureLabel[c.CaptureId] = group.Key;
                capturePath[c.CaptureId] = c.Path;
            }
        }
        var labels = new Dictionary<long, string>();
        var perCapture = new Dictionary<int, int>();
        using (var r = db.Query("SELECT flow_id, capture_id FROM flows ORDER BY flow_id"))
        {
            while (r.Read())
            {
                var capture = (int)r.GetInt64(1);
                if (!captureLabel.TryGetValue(capture, out var label)) continue;
                labels[r.GetInt64(0)] = label;
                perCapture[capture] = perCapture.GetValueOrDefault(capture) + 1;
            }
        }
        foreach (var (capture, label) in captureLabel)
            if (!perCapture.ContainsKey(capture))
                warnings.Add($"'{capturePath[capture]}' has no flows; label '{label}' matched no flow there");
        return new FlowLabels(labels, 0, warnings, [.. captureLabel.Keys.Order()]);
    }
}

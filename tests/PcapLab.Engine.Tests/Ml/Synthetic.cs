using PcapLab.Ml;

namespace PcapLab.Engine.Tests.Ml;

/// <summary>Seeded synthetic feature tables: Gaussian blobs per class spread over several "captures".</summary>
internal static class Synthetic
{
    internal static readonly string[] Features = ["pkt_rate", "syn_share", "noise"];

    /// <summary>
    /// Classes benign/flood/scan with means on pkt_rate and syn_share (unit variance, overlapping), a pure-noise
    /// column, and a per-capture offset so captures differ a little, as real ones do.
    /// </summary>
    internal static FeatureTable Blobs(int captures = 6, int rowsPerClassPerCapture = 30, int seed = 7, string[]? classes = null)
    {
        classes ??= ["benign", "flood", "scan"];
        double[][] means = [[0, 0], [3.5, 0.5], [0.5, 3.5], [3.5, 3.5]];
        var rng = new Random(seed);
        var values = new List<float>();
        var labels = new List<string>();
        var groups = new List<string>();
        var ts = new List<long>();
        var ids = new List<long>();
        for (var g = 0; g < captures; g++)
        {
            var offset = Normal(rng) * 0.3;
            for (var c = 0; c < classes.Length; c++)
                for (var i = 0; i < rowsPerClassPerCapture; i++)
                {
                    values.Add((float)(means[c][0] + offset + Normal(rng)));
                    values.Add((float)(means[c][1] - offset + Normal(rng)));
                    values.Add((float)Normal(rng));
                    labels.Add(classes[c]);
                    groups.Add($"capture-{g}");
                    ts.Add((g * 1000L + i * 10 + c) * 1_000_000_000L);
                    ids.Add(ids.Count + 1);
                }
        }
        return new FeatureTable(Features, [.. values]) { Labels = [.. labels], GroupKeys = [.. groups], TimestampsNs = [.. ts], RowIds = [.. ids] };
    }

    internal static double Normal(Random rng)
    {
        // Box–Muller; 1 − NextDouble() avoids log(0).
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

namespace PcapLab.Ml;

/// <summary>Finds rows with identical features: exact copies (same label) to drop, and conflicts (different labels) to report.</summary>
internal static class Deduplication
{
    /// <summary>Row indices to keep (first of each feature+label copy), how many were dropped, and how many distinct
    /// feature rows carry more than one label, with an example pair of labels.</summary>
    internal static (int[] Keep, int Removed, int Conflicting, string? ConflictExample) Run(FeatureTable data)
    {
        var labels = data.Labels!;
        var byFeatures = new Dictionary<int, List<int>>(); // features-only hash → first row of each distinct (features, label)
        var keep = new List<int>(data.Rows);
        var removed = 0;
        var conflicting = 0;
        string? example = null;
        for (var r = 0; r < data.Rows; r++)
        {
            var row = data.Row(r);
            var h = Hash(row);
            if (!byFeatures.TryGetValue(h, out var reps)) byFeatures[h] = reps = [];
            var duplicate = false;
            var sameFeatures = 0;
            foreach (var q in reps)
            {
                if (!SameFeatures(row, data.Row(q))) continue;
                if (labels[q] == labels[r]) { duplicate = true; break; }
                sameFeatures++;
                example ??= $"'{labels[q]}' and '{labels[r]}'";
            }
            if (duplicate) { removed++; continue; }
            // A feature row counts as conflicting once, when its second label first appears.
            if (sameFeatures == 1) conflicting++;
            reps.Add(r);
            keep.Add(r);
        }
        return ([.. keep], removed, conflicting, example);
    }

    // Features compare as values: NaN equals NaN (both "missing") and -0 equals 0.
    private static bool SameFeatures(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        for (var i = 0; i < a.Length; i++)
            if (Canonical(a[i]) != Canonical(b[i])) return false;
        return true;
    }

    private static int Hash(ReadOnlySpan<float> row)
    {
        var h = new HashCode();
        foreach (var v in row) h.Add(Canonical(v));
        return h.ToHashCode();
    }

    private static int Canonical(float v) => float.IsNaN(v) ? int.MinValue + 1 : v == 0 ? 0 : BitConverter.SingleToInt32Bits(v);
}

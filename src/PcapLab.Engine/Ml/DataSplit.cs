namespace PcapLab.Ml;

/// <summary>Train/test row indices and how they were chosen.</summary>
internal sealed record DataSplit(int[] Train, int[] Test, SplitStrategy Used, string[] TestGroups, string[] TrainGroups)
{
    internal const string RandomSplitWarning =
        "random split: flows of one capture in both train and test inflate scores; use SplitStrategy.ByCapture or ByTime for figures you report";

    /// <summary>Splits rows per the strategy, falling back (with a warning) when the data cannot support it.</summary>
    internal static DataSplit Make(FeatureTable data, SplitStrategy strategy, double testFraction, int seed, List<string> warnings)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "TestFraction must be between 0 and 1 (exclusive)");
        switch (strategy)
        {
            case SplitStrategy.ByCapture:
                if (data.GroupKeys is null)
                    throw new TrainingDataException("split by capture needs a capture id or sha256 per row (FeatureTable.GroupKeys); "
                        + "provide it, or choose SplitStrategy.ByTime (needs TimestampsNs) or SplitStrategy.Random");
                var groups = data.GroupKeys.Distinct(StringComparer.Ordinal).Count();
                if (groups >= 2) return ByGroup(data, testFraction, seed);
                warnings.Add("split by capture: all rows come from one capture; split by time instead (the last "
                    + $"{testFraction:P0} of its time span is the test set)");
                goto case SplitStrategy.ByTime;
            case SplitStrategy.ByTime:
                if (data.TimestampsNs is null)
                    throw new TrainingDataException("split by time needs a timestamp per row (FeatureTable.TimestampsNs); "
                        + "provide it, or ask for SplitStrategy.Random explicitly");
                return ByTime(data, testFraction, warnings);
            case SplitStrategy.Random:
                warnings.Add(RandomSplitWarning);
                return Random(data, testFraction, seed);
            default:
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null);
        }
    }

    /// <summary>Whole groups to test, in a seeded shuffled order, until the test share reaches the target; at least one group each side.</summary>
    private static DataSplit ByGroup(FeatureTable data, double testFraction, int seed)
    {
        var keys = data.GroupKeys!;
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var k in keys) sizes[k] = sizes.GetValueOrDefault(k) + 1;
        // Sorting first makes the shuffle depend on the seed and the group names only, not on row order.
        var order = sizes.Keys.Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(order);
        var target = testFraction * data.Rows;
        var test = new HashSet<string>(StringComparer.Ordinal);
        var testRows = 0;
        foreach (var g in order)
        {
            if (test.Count == order.Length - 1) break;
            // Take a group if it brings the test share closer to the target (always take the first).
            if (test.Count > 0 && Math.Abs(testRows + sizes[g] - target) >= Math.Abs(testRows - target)) continue;
            test.Add(g);
            testRows += sizes[g];
        }
        var trainIdx = new List<int>(data.Rows - testRows);
        var testIdx = new List<int>(testRows);
        for (var r = 0; r < data.Rows; r++) (test.Contains(keys[r]) ? testIdx : trainIdx).Add(r);
        return new DataSplit([.. trainIdx], [.. testIdx], SplitStrategy.ByCapture,
            [.. test.Order(StringComparer.Ordinal)], [.. order.Where(g => !test.Contains(g)).Order(StringComparer.Ordinal)]);
    }

    /// <summary>Rows at or after start + (1 − f)·span go to test; when the times are too lumpy for that, the latest f of rows.</summary>
    private static DataSplit ByTime(FeatureTable data, double testFraction, List<string> warnings)
    {
        var ts = data.TimestampsNs!;
        long min = ts.Min(), max = ts.Max();
        var cut = min + (long)((1 - testFraction) * (max - min));
        var test = new List<int>();
        var train = new List<int>();
        for (var r = 0; r < data.Rows; r++) (ts[r] >= cut && max > min ? test : train).Add(r);
        if (test.Count == 0 || train.Count == 0 || test.Count > data.Rows * 0.9)
        {
            warnings.Add("split by time: timestamps are too bunched to cut the time span; the latest "
                + $"{testFraction:P0} of rows (by time) are the test set");
            var order = Enumerable.Range(0, data.Rows).OrderBy(r => ts[r]).ThenBy(r => r).ToArray();
            var nTest = Math.Clamp((int)Math.Round(testFraction * data.Rows), 1, data.Rows - 1);
            train = [.. order[..^nTest].Order()];
            test = [.. order[^nTest..].Order()];
        }
        return new DataSplit([.. train], [.. test], SplitStrategy.ByTime, [], []);
    }

    private static DataSplit Random(FeatureTable data, double testFraction, int seed)
    {
        var order = Enumerable.Range(0, data.Rows).ToArray();
        new Random(seed).Shuffle(order);
        var nTest = Math.Clamp((int)Math.Round(testFraction * data.Rows), 1, data.Rows - 1);
        return new DataSplit([.. order[nTest..].Order()], [.. order[..nTest].Order()], SplitStrategy.Random, [], []);
    }
}

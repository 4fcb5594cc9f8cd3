namespace PcapLab.Ml;

/// <summary>
/// Isolation forest (Liu, Ting, Zhou, ICDM 2008) in managed code, for flows without labels: anomalies are isolated by
/// fewer random splits. Scores are s(x, ψ) = 2^(−E[h(x)] / c(ψ)) in (0, 1]: near 1 is anomalous, well below 0.5 is
/// normal, around 0.5 everywhere means nothing stands out. The same seed and data give the same forest and scores.
/// Missing values (NaN) always go to the left branch; split points are drawn from finite values, and ±∞ fall on their side.
/// </summary>
public sealed class IsolationForest
{
    private const double EulerGamma = 0.5772156649;

    private readonly Tree[] _trees;

    private IsolationForest(Tree[] trees, int columns, int sampleSize)
    {
        _trees = trees;
        Columns = columns;
        SampleSize = sampleSize;
    }

    /// <summary>Feature columns the forest was fitted on.</summary>
    public int Columns { get; }

    /// <summary>Rows sub-sampled per tree (ψ): the requested sample size, or the row count if smaller.</summary>
    public int SampleSize { get; }

    /// <summary>Number of trees.</summary>
    public int Trees => _trees.Length;

    /// <summary>
    /// Fits a forest on row-major values (<paramref name="rows"/> × <paramref name="cols"/>): each tree grows on ψ rows
    /// drawn without replacement, to a height limit of ceil(log2 ψ).
    /// </summary>
    public static IsolationForest Fit(float[] values, int rows, int cols, int trees = 100, int sampleSize = 256, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trees);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleSize);
        if ((long)rows * cols != values.Length)
            throw new ArgumentException($"{rows} rows of {cols} columns need {(long)rows * cols} values, got {values.Length}", nameof(values));
        var psi = Math.Min(sampleSize, rows);
        var heightLimit = (int)Math.Ceiling(Math.Log2(Math.Max(psi, 2)));
        var rng = new Random(seed);
        var pool = new int[rows];
        var forest = new Tree[trees];
        for (var t = 0; t < trees; t++)
        {
            for (var i = 0; i < rows; i++) pool[i] = i;
            // Partial Fisher–Yates: the first ψ entries are a uniform sample without replacement.
            for (var i = 0; i < psi; i++)
            {
                var j = rng.Next(i, rows);
                (pool[i], pool[j]) = (pool[j], pool[i]);
            }
            var builder = new TreeBuilder(values, cols, rng);
            builder.Grow(pool.AsSpan(0, psi).ToArray(), 0, heightLimit);
            forest[t] = builder.ToTree();
        }
        return new IsolationForest(forest, cols, psi);
    }

    /// <summary>Fits on a feature table's values.</summary>
    public static IsolationForest Fit(FeatureTable table, int trees = 100, int sampleSize = 256, int seed = 42) =>
        Fit(table.Values, table.Rows, table.Columns, trees, sampleSize, seed);

    /// <summary>Anomaly score in (0, 1] per row of row-major values with <see cref="Columns"/> columns.</summary>
    public double[] Score(float[] values, int rows)
    {
        ArgumentNullException.ThrowIfNull(values);
        if ((long)rows * Columns != values.Length)
            throw new ArgumentException($"{rows} rows of {Columns} columns need {(long)rows * Columns} values, got {values.Length}", nameof(values));
        var cn = AveragePathLength(SampleSize);
        var scores = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var x = values.AsSpan(r * Columns, Columns);
            double sum = 0;
            foreach (var tree in _trees) sum += tree.PathLength(x);
            // With ψ = 1 there is nothing to compare against; 0.5 is the score of "no distinct anomaly".
            scores[r] = cn == 0 ? 0.5 : Math.Pow(2, -(sum / _trees.Length) / cn);
        }
        return scores;
    }

    /// <summary>Scores a feature table's rows.</summary>
    public double[] Score(FeatureTable table) => Score(table.Values, table.Rows);

    /// <summary>c(n): the average path length of an unsuccessful binary-search-tree search among n points,
    /// 2H(n−1) − 2(n−1)/n with H(i) ≈ ln(i) + γ; c(2) = 1, c(n ≤ 1) = 0.</summary>
    public static double AveragePathLength(int n) => n switch
    {
        <= 1 => 0,
        2 => 1,
        _ => 2 * (Math.Log(n - 1) + EulerGamma) - 2.0 * (n - 1) / n,
    };

    /// <summary>One isolation tree in flat arrays; a node with Feature −1 is external and holds its training size.</summary>
    private sealed class Tree(int[] feature, float[] threshold, int[] left, int[] right, int[] size)
    {
        internal double PathLength(ReadOnlySpan<float> x)
        {
            var node = 0;
            var depth = 0;
            while (feature[node] >= 0)
            {
                var v = x[feature[node]];
                node = float.IsNaN(v) || v < threshold[node] ? left[node] : right[node];
                depth++;
            }
            return depth + AveragePathLength(size[node]);
        }
    }

    private sealed class TreeBuilder(float[] values, int cols, Random rng)
    {
        private readonly List<int> _feature = [], _left = [], _right = [], _size = [];
        private readonly List<float> _threshold = [];
        private readonly List<int> _candidates = [];

        internal int Grow(int[] rows, int depth, int limit)
        {
            var node = _feature.Count;
            _feature.Add(-1); _threshold.Add(0); _left.Add(-1); _right.Add(-1); _size.Add(rows.Length);
            if (depth >= limit || rows.Length <= 1) return node;

            // Only features that vary here can split; when none does, the node is external (identical rows).
            _candidates.Clear();
            Span<float> lo = cols <= 256 ? stackalloc float[cols] : new float[cols];
            Span<float> hi = cols <= 256 ? stackalloc float[cols] : new float[cols];
            for (var c = 0; c < cols; c++)
            {
                float min = float.PositiveInfinity, max = float.NegativeInfinity;
                foreach (var r in rows)
                {
                    var v = values[r * cols + c];
                    if (!float.IsFinite(v)) continue; // split points come from finite values; ±∞ still fall on their side
                    if (v < min) min = v;
                    if (v > max) max = v;
                }
                lo[c] = min; hi[c] = max;
                if (min < max) _candidates.Add(c);
            }
            if (_candidates.Count == 0) return node;
            var q = _candidates[rng.Next(_candidates.Count)];
            var p = (float)(lo[q] + rng.NextDouble() * ((double)hi[q] - lo[q]));
            if (!(p > lo[q])) p = MathF.BitIncrement(lo[q]); // keep both sides non-empty when rounding lands on the minimum

            var leftRows = rows.Where(r => values[r * cols + q] is var v && (float.IsNaN(v) || v < p)).ToArray();
            var rightRows = rows.Where(r => values[r * cols + q] is var v && !float.IsNaN(v) && v >= p).ToArray();
            _feature[node] = q;
            _threshold[node] = p;
            var l = Grow(leftRows, depth + 1, limit);
            var rr = Grow(rightRows, depth + 1, limit);
            _left[node] = l;
            _right[node] = rr;
            return node;
        }

        internal Tree ToTree() => new([.. _feature], [.. _threshold], [.. _left], [.. _right], [.. _size]);
    }
}

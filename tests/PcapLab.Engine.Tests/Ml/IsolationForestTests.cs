using PcapLab.Ml;

namespace PcapLab.Engine.Tests.Ml;

public sealed class IsolationForestTests
{
    /// <summary>1000 inliers from a 2-D standard Gaussian, then 30 outliers on a ring of radius 5–8.</summary>
    private static (float[] Values, bool[] Outlier) GaussianWithOutliers(int seed)
    {
        var rng = new Random(seed);
        var values = new List<float>();
        var outlier = new List<bool>();
        for (var i = 0; i < 1000; i++)
        {
            values.Add((float)Synthetic.Normal(rng));
            values.Add((float)Synthetic.Normal(rng));
            outlier.Add(false);
        }
        for (var i = 0; i < 30; i++)
        {
            var angle = rng.NextDouble() * 2 * Math.PI;
            var radius = 5 + 3 * rng.NextDouble();
            values.Add((float)(radius * Math.Cos(angle)));
            values.Add((float)(radius * Math.Sin(angle)));
            outlier.Add(true);
        }
        return ([.. values], [.. outlier]);
    }

    [Fact]
    public void OutliersScoreAboveInliers()
    {
        var (values, outlier) = GaussianWithOutliers(seed: 11);
        var forest = IsolationForest.Fit(values, outlier.Length, 2, seed: 5);
        var scores = forest.Score(values, outlier.Length);
        var auc = Metrics.RocAuc(scores, outlier);
        Assert.True(auc > 0.95, $"AUC {auc}");
        Assert.True(scores.Where((_, i) => outlier[i]).Average() > 0.6);
        Assert.True(scores.Where((_, i) => !outlier[i]).Average() < 0.5);
    }

    [Fact]
    public void SameSeedSameScoresOtherSeedOtherForest()
    {
        var (values, outlier) = GaussianWithOutliers(seed: 3);
        var a = IsolationForest.Fit(values, outlier.Length, 2, trees: 50, seed: 9).Score(values, outlier.Length);
        var b = IsolationForest.Fit(values, outlier.Length, 2, trees: 50, seed: 9).Score(values, outlier.Length);
        var c = IsolationForest.Fit(values, outlier.Length, 2, trees: 50, seed: 10).Score(values, outlier.Length);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void ScoresLieInZeroToOne()
    {
        var (values, outlier) = GaussianWithOutliers(seed: 4);
        var forest = IsolationForest.Fit(values, outlier.Length, 2, trees: 30, sampleSize: 64, seed: 1);
        Assert.Equal(64, forest.SampleSize);
        Assert.All(forest.Score(values, outlier.Length), s => Assert.InRange(s, double.Epsilon, 1.0));
        // A point far outside everything is cut off within a few splits in every tree: above every inlier.
        var far = forest.Score([1e6f, -1e6f], 1)[0];
        var scores = forest.Score(values, outlier.Length);
        Assert.True(far > scores.Where((_, i) => !outlier[i]).Max(), $"far {far}");
        Assert.True(far > 0.7, $"far {far}");
    }

    [Fact]
    public void IdenticalRowsDoNotCrashAndScoreOneHalf()
    {
        var values = Enumerable.Repeat(3.25f, 200 * 3).ToArray();
        var forest = IsolationForest.Fit(values, 200, 3, trees: 10, seed: 1);
        // Every tree is one external node of size ψ, so h = c(ψ) and s = 2^-1.
        Assert.All(forest.Score(values, 200), s => Assert.Equal(0.5, s, 12));
        Assert.All(IsolationForest.Fit([1f, 2f], 1, 2).Score([1f, 2f], 1), s => Assert.Equal(0.5, s));
    }

    [Fact]
    public void MissingAndInfiniteValuesAreScored()
    {
        var (values, outlier) = GaussianWithOutliers(seed: 8);
        values[0] = float.NaN;
        values[3] = float.PositiveInfinity;
        var forest = IsolationForest.Fit(values, outlier.Length, 2, trees: 20, seed: 2);
        Assert.All(forest.Score(values, outlier.Length), s => Assert.InRange(s, double.Epsilon, 1.0));
    }

    [Fact]
    public void AveragePathLengthFollowsThePaper()
    {
        // c(n) = 2H(n−1) − 2(n−1)/n, H(i) ≈ ln(i) + 0.5772156649; c(256) ≈ 10.2448 as tabulated in implementations of the paper.
        Assert.Equal(0, IsolationForest.AveragePathLength(1));
        Assert.Equal(1, IsolationForest.AveragePathLength(2));
        Assert.Equal(2 * (Math.Log(255) + 0.5772156649) - 2.0 * 255 / 256, IsolationForest.AveragePathLength(256), 12);
        Assert.Equal(10.2448, IsolationForest.AveragePathLength(256), 3);
    }

    [Fact]
    public void ShapeMismatchesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => IsolationForest.Fit(new float[5], 2, 3));
        var forest = IsolationForest.Fit(new float[6], 2, 3);
        Assert.Throws<ArgumentException>(() => forest.Score(new float[5], 2));
    }
}

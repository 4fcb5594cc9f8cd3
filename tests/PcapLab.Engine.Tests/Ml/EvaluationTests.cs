using PcapLab.Ml;

namespace PcapLab.Engine.Tests.Ml;

public sealed class EvaluationTests
{
    [Fact]
    public void MatchesScikitLearnClassificationReportExample()
    {
        // scikit-learn's classification_report docstring: y_true = [0, 1, 2, 2, 2], y_pred = [0, 0, 2, 2, 1] prints
        // precision 0.50/0.00/1.00, recall 1.00/0.00/0.67, f1 0.67/0.00/0.80, support 1/1/3, accuracy 0.60, macro avg f1 0.49.
        var e = Evaluation.FromPredictions(["class 0", "class 1", "class 2"], [0, 1, 2, 2, 2], [0, 0, 2, 2, 1]);
        Assert.Equal([0.50, 0.00, 1.00], e.Precision.Select(v => Math.Round(v, 2)));
        Assert.Equal([1.00, 0.00, 0.67], e.Recall.Select(v => Math.Round(v, 2)));
        Assert.Equal([0.67, 0.00, 0.80], e.F1.Select(v => Math.Round(v, 2)));
        Assert.Equal([1L, 1, 3], e.Support);
        Assert.Equal(0.60, e.Accuracy, 10);
        Assert.Equal(0.49, Math.Round(e.MacroF1, 2));
        Assert.True(double.IsNaN(e.RocAuc));
    }

    [Fact]
    public void MatchesScikitLearnConfusionMatrixExample()
    {
        // scikit-learn's confusion_matrix docstring: y_true = [2, 0, 2, 2, 0, 1], y_pred = [0, 0, 2, 2, 0, 2]
        // gives [[2, 0, 0], [0, 0, 1], [1, 0, 2]] (rows true, columns predicted).
        var e = Evaluation.FromPredictions(["0", "1", "2"], [2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]);
        Assert.Equal(new long[,] { { 2, 0, 0 }, { 0, 0, 1 }, { 1, 0, 2 } }, e.ConfusionMatrix);
    }

    [Fact]
    public void BinaryRocAucMatchesTheTextbookExample()
    {
        // scikit-learn's roc_auc_score docstring: y_true = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8] → 0.75.
        Assert.Equal(0.75, Metrics.RocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 12);
        Assert.Equal(1.0, Metrics.RocAuc([0.1, 0.2, 0.9], [false, false, true]), 12);
        Assert.Equal(0.5, Metrics.RocAuc([0.3, 0.3, 0.3, 0.3], [false, true, false, true]), 12); // all tied
        Assert.True(double.IsNaN(Metrics.RocAuc([0.3, 0.5], [true, true])));
    }

    [Fact]
    public void RocAucEqualsMannWhitneyUOverPairs()
    {
        // Property: AUC = U / (n1·n0) where U counts positive-above-negative pairs, ties as one half.
        var rng = new Random(2024);
        for (var trial = 0; trial < 50; trial++)
        {
            var n = rng.Next(2, 80);
            var scores = Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextDouble(), 1)).ToArray(); // rounding forces ties
            var pos = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.4).ToArray();
            double u = 0;
            long n1 = 0, n0 = 0;
            for (var i = 0; i < n; i++)
            {
                if (pos[i]) n1++; else n0++;
                if (!pos[i]) continue;
                for (var j = 0; j < n; j++)
                    if (!pos[j]) u += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
            var auc = Metrics.RocAuc(scores, pos);
            if (n1 == 0 || n0 == 0) Assert.True(double.IsNaN(auc));
            else Assert.Equal(u / (n1 * n0), auc, 12);
        }
    }

    [Fact]
    public void MulticlassRocAucIsTheMacroOfOneVsRest()
    {
        // One-vs-rest AUCs by counting pairs by hand: class 0 = 6.5/8, class 1 = 6.5/8, class 2 = 8/8 → macro 0.875.
        float[] probs =
        [
            0.7f, 0.2f, 0.1f,
            0.3f, 0.4f, 0.3f,
            0.2f, 0.6f, 0.2f,
            0.5f, 0.3f, 0.2f,
            0.1f, 0.2f, 0.7f,
            0.3f, 0.3f, 0.4f,
        ];
        var e = Evaluation.FromProbabilities(["a", "b", "c"], [0, 0, 1, 1, 2, 2], probs);
        Assert.Equal(0.875, e.RocAuc, 6);
        Assert.Equal(4.0 / 6, e.Accuracy, 12);
        Assert.Equal(new long[,] { { 1, 1, 0 }, { 1, 1, 0 }, { 0, 0, 2 } }, e.ConfusionMatrix);
    }

    [Fact]
    public void MacroF1SkipsClassesNeitherTrueNorPredicted()
    {
        var e = Evaluation.FromPredictions(["a", "b", "unseen"], [0, 0, 1, 1], [0, 0, 1, 1]);
        Assert.Equal(1.0, e.MacroF1);
        Assert.Equal(0, e.Support[2]);
    }

    [Fact]
    public void TextReportShowsEveryClassAndTheMatrix()
    {
        var text = Evaluation.FromPredictions(["benign", "scan"], [0, 0, 1, 1], [0, 1, 1, 1]).ToString();
        var lines = text.Split('\n');
        Assert.StartsWith("benign", lines[1]);
        Assert.Contains("0.667", lines[1]); // benign precision 1, recall 0.5, f1 0.667
        Assert.Contains("accuracy 0.750", text);
        Assert.EndsWith("     1      1", lines[^3]); // confusion row for benign: 1 right, 1 called scan
    }
}

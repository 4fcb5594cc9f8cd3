namespace PcapLab.Ml;

/// <summary>
/// How well a model's predictions match the true labels on one set of rows, computed in managed code:
/// confusion matrix, per-class precision/recall/F1/support, macro-F1, accuracy and ROC-AUC.
/// </summary>
public sealed class Evaluation
{
    private Evaluation(string[] classes, long[,] confusion, double[] precision, double[] recall, double[] f1, long[] support,
        double macroF1, double accuracy, double rocAuc)
    {
        Classes = classes;
        ConfusionMatrix = confusion;
        Precision = precision;
        Recall = recall;
        F1 = f1;
        Support = support;
        MacroF1 = macroF1;
        Accuracy = accuracy;
        RocAuc = rocAuc;
    }

    /// <summary>Class names; index i is row/column i of the confusion matrix and of the per-class arrays.</summary>
    public string[] Classes { get; }

    /// <summary>Counts by [true class, predicted class].</summary>
    public long[,] ConfusionMatrix { get; }

    /// <summary>Per class: true positives / predicted positives (0 when the class was never predicted).</summary>
    public double[] Precision { get; }

    /// <summary>Per class: true positives / actual positives (0 when the class has no rows).</summary>
    public double[] Recall { get; }

    /// <summary>Per class: harmonic mean of precision and recall (0 when both are 0).</summary>
    public double[] F1 { get; }

    /// <summary>Per class: number of rows whose true label is that class.</summary>
    public long[] Support { get; }

    /// <summary>Unweighted mean of F1 over the classes that occur as a true or a predicted label (as scikit-learn's average='macro').</summary>
    public double MacroF1 { get; }

    /// <summary>Share of rows predicted correctly.</summary>
    public double Accuracy { get; }

    /// <summary>
    /// Area under the ROC curve: for two classes, of the second class's probability; for more, the unweighted mean of
    /// one-vs-rest AUCs over classes that have both positive and negative rows. NaN when no class allows it.
    /// </summary>
    public double RocAuc { get; }

    /// <summary>Total rows evaluated.</summary>
    public long Rows => Support.Sum();

    /// <summary>Recall of the named class (NaN when the class is unknown).</summary>
    public double RecallOf(string label) => Array.IndexOf(Classes, label) is var i and >= 0 ? Recall[i] : double.NaN;

    /// <summary>A plain-text report: per-class precision/recall/F1/support, accuracy, macro-F1, ROC-AUC, then the confusion matrix.</summary>
    public override string ToString()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var w = Math.Max(9, Classes.Max(c => c.Length));
        var sb = new System.Text.StringBuilder();
        sb.Append("".PadRight(w)).Append(inv, $"{"precision",11}{"recall",9}{"f1",9}{"support",9}\n");
        for (var c = 0; c < Classes.Length; c++)
            sb.Append(Classes[c].PadRight(w)).Append(inv, $"{Precision[c],11:F3}{Recall[c],9:F3}{F1[c],9:F3}{Support[c],9}\n");
        sb.Append(inv, $"accuracy {Accuracy:F3}   macro-F1 {MacroF1:F3}   ROC-AUC {RocAuc:F3}   rows {Rows}\n");
        sb.Append("confusion (rows true, columns predicted):\n").Append("".PadRight(w));
        foreach (var c in Classes) sb.Append(' ').Append(c.PadLeft(Math.Max(6, c.Length)));
        sb.Append('\n');
        for (var i = 0; i < Classes.Length; i++)
        {
            sb.Append(Classes[i].PadRight(w));
            for (var j = 0; j < Classes.Length; j++) sb.Append(' ').Append(ConfusionMatrix[i, j].ToString(inv).PadLeft(Math.Max(6, Classes[j].Length)));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Metrics from true class indices and class probabilities (row-major, <c>classes.Count</c> per row); the predicted
    /// class is the most probable one (the first on ties).
    /// </summary>
    public static Evaluation FromProbabilities(IReadOnlyList<string> classes, ReadOnlySpan<int> actual, ReadOnlySpan<float> probabilities)
    {
        var k = classes.Count;
        if (k < 2) throw new ArgumentException("evaluation needs at least two classes", nameof(classes));
        if (probabilities.Length != (long)actual.Length * k)
            throw new ArgumentException($"{actual.Length} rows of {k} classes need {(long)actual.Length * k} probabilities, got {probabilities.Length}", nameof(probabilities));
        var predicted = new int[actual.Length];
        for (var r = 0; r < actual.Length; r++)
        {
            var row = probabilities.Slice(r * k, k);
            var best = 0;
            for (var c = 1; c < k; c++) if (row[c] > row[best]) best = c;
            predicted[r] = best;
        }
        var auc = MacroRocAuc(k, actual, probabilities);
        return FromPredictions(classes, actual, predicted, auc);
    }

    /// <summary>Metrics from true and predicted class indices; ROC-AUC is supplied by the caller (NaN when unknown).</summary>
    public static Evaluation FromPredictions(IReadOnlyList<string> classes, ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, double rocAuc = double.NaN)
    {
        var k = classes.Count;
        if (actual.Length != predicted.Length) throw new ArgumentException($"{actual.Length} true labels but {predicted.Length} predictions", nameof(predicted));
        var cm = new long[k, k];
        for (var i = 0; i < actual.Length; i++)
        {
            if ((uint)actual[i] >= (uint)k || (uint)predicted[i] >= (uint)k) throw new ArgumentOutOfRangeException(nameof(actual), $"class index out of range at row {i}");
            cm[actual[i], predicted[i]]++;
        }
        var precision = new double[k];
        var recall = new double[k];
        var f1 = new double[k];
        var support = new long[k];
        long correct = 0;
        double f1Sum = 0;
        var present = 0;
        for (var c = 0; c < k; c++)
        {
            long tp = cm[c, c], actualPos = 0, predictedPos = 0;
            for (var j = 0; j < k; j++) { actualPos += cm[c, j]; predictedPos += cm[j, c]; }
            support[c] = actualPos;
            correct += tp;
            precision[c] = predictedPos == 0 ? 0 : (double)tp / predictedPos;
            recall[c] = actualPos == 0 ? 0 : (double)tp / actualPos;
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
            if (actualPos > 0 || predictedPos > 0) { f1Sum += f1[c]; present++; }
        }
        var accuracy = actual.Length == 0 ? double.NaN : (double)correct / actual.Length;
        return new Evaluation([.. classes], cm, precision, recall, f1, support, present == 0 ? double.NaN : f1Sum / present, accuracy, rocAuc);
    }

    private static double MacroRocAuc(int k, ReadOnlySpan<int> actual, ReadOnlySpan<float> probabilities)
    {
        var n = actual.Length;
        var scores = new double[n];
        var pos = new bool[n];
        if (k == 2)
        {
            for (var r = 0; r < n; r++) { scores[r] = probabilities[r * 2 + 1]; pos[r] = actual[r] == 1; }
            return Metrics.RocAuc(scores, pos);
        }
        double sum = 0;
        var counted = 0;
        for (var c = 0; c < k; c++)
        {
            for (var r = 0; r < n; r++) { scores[r] = probabilities[r * k + c]; pos[r] = actual[r] == c; }
            var auc = Metrics.RocAuc(scores, pos);
            if (double.IsNaN(auc)) continue;
            sum += auc;
            counted++;
        }
        return counted == 0 ? double.NaN : sum / counted;
    }
}

/// <summary>Metric functions usable on their own (e.g. on isolation-forest scores against known labels).</summary>
public static class Metrics
{
    /// <summary>
    /// ROC-AUC of scores against binary truth, by ranks (Mann–Whitney U / (n1·n0)), ties given their average rank.
    /// NaN when either class is absent.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length) throw new ArgumentException($"{scores.Length} scores but {positive.Length} labels", nameof(positive));
        var n = scores.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        double rankSumPos = 0;
        long nPos = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && keys[j + 1] == keys[i]) j++;
            var avgRank = (i + j + 2) / 2.0; // ranks are 1-based; ties share the mean of ranks i+1..j+1
            for (var t = i; t <= j; t++)
                if (positive[order[t]]) { rankSumPos += avgRank; nPos++; }
            i = j + 1;
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) return double.NaN;
        var u = rankSumPos - nPos * (nPos + 1) / 2.0;
        return u / ((double)nPos * nNeg);
    }
}

using PcapLab.Ml;

namespace PcapLab.Engine.Tests.Ml;

public sealed class TrainerTests
{
    private static readonly TrainOptions Fast = new() { Rounds = 30, MaxDepth = 4 };

    [Fact]
    public void LearnsBlobsAndHoldsUpOnUnseenCaptures()
    {
        var result = Trainer.Train(Synthetic.Blobs(), Fast);
        using var model = result.Model;
        Assert.Equal(SplitStrategy.ByCapture, result.SplitUsed);
        Assert.Equal(["benign", "flood", "scan"], model.Classes);
        Assert.True(result.Test.MacroF1 > 0.85, $"macro-F1 {result.Test.MacroF1}");
        Assert.True(result.Test.RocAuc > 0.95, $"ROC-AUC {result.Test.RocAuc}");
        Assert.Empty(result.Warnings);
        Assert.Equal(result.Test.MacroF1, model.Card.TestMacroF1);
        Assert.Equal(result.Test.Recall[1], model.Card.TestRecall["flood"]);
        Assert.Equal("multi:softprob", model.Card.Objective);
        Assert.Equal(result.TrainRows + result.TestRows, Synthetic.Blobs().Rows);
        Assert.Equal(result.TestRows, result.Test.Rows);
    }

    [Fact]
    public void TwoClassesUseBinaryLogisticAndProbabilitiesSumToOne()
    {
        var result = Trainer.Train(Synthetic.Blobs(classes: ["attack", "benign"]), Fast);
        using var model = result.Model;
        Assert.Equal("binary:logistic", model.Card.Objective);
        Assert.True(result.Test.RocAuc > 0.95, $"ROC-AUC {result.Test.RocAuc}");
        var probs = model.PredictProbabilities(Synthetic.Blobs(captures: 1, classes: ["attack", "benign"], seed: 99));
        for (var i = 0; i < probs.Length; i += 2) Assert.Equal(1f, probs[i] + probs[i + 1], 5);
    }

    [Fact]
    public void SameSeedSameModel()
    {
        using var a = Trainer.Train(Synthetic.Blobs(), Fast).Model;
        using var b = Trainer.Train(Synthetic.Blobs(), Fast).Model;
        var fresh = Synthetic.Blobs(captures: 2, seed: 123);
        Assert.Equal(a.PredictProbabilities(fresh), b.PredictProbabilities(fresh));
    }

    [Fact]
    public void SplitByCaptureNeverPutsACaptureOnBothSides()
    {
        var data = Synthetic.Blobs(captures: 8);
        for (var seed = 0; seed < 20; seed++)
        {
            var split = DataSplit.Make(data, SplitStrategy.ByCapture, 0.25, seed, []);
            var trainGroups = split.Train.Select(r => data.GroupKeys![r]).ToHashSet();
            var testGroups = split.Test.Select(r => data.GroupKeys![r]).ToHashSet();
            Assert.Empty(trainGroups.Intersect(testGroups));
            Assert.NotEmpty(testGroups);
            Assert.NotEmpty(trainGroups);
            Assert.Equal(data.Rows, split.Train.Length + split.Test.Length);
            Assert.Equal(testGroups.Order(), split.TestGroups);
        }
        var result = Trainer.Train(data, Fast);
        Assert.Empty(result.Model.Card.TrainingCaptures.Intersect(result.Model.Card.TestCaptures));
        Assert.Equal(8, result.Model.Card.TrainingCaptures.Length + result.Model.Card.TestCaptures.Length);
    }

    [Fact]
    public void RandomSplitWarns()
    {
        var result = Trainer.Train(Synthetic.Blobs(), new TrainOptions { Rounds = 10, Split = SplitStrategy.Random });
        Assert.Equal(SplitStrategy.Random, result.SplitUsed);
        Assert.Contains(result.Warnings, w => w.StartsWith("random split: flows of one capture in both train and test inflate scores"));
        Assert.Contains(result.Model.Card.Warnings, w => w.StartsWith("random split"));
    }

    [Fact]
    public void OneCaptureFallsBackToTimeSplitWithAWarning()
    {
        var result = Trainer.Train(Synthetic.Blobs(captures: 1, rowsPerClassPerCapture: 40), Fast);
        Assert.Equal(SplitStrategy.ByTime, result.SplitUsed);
        Assert.Contains(result.Warnings, w => w.Contains("one capture"));
    }

    [Fact]
    public void TimeSplitHoldsOutTheLatestRows()
    {
        var data = Synthetic.Blobs();
        var split = DataSplit.Make(data, SplitStrategy.ByTime, 0.25, 1, []);
        var ts = data.TimestampsNs!;
        Assert.True(split.Train.Max(r => ts[r]) < split.Test.Min(r => ts[r]));
        Assert.InRange(split.Test.Length, data.Rows / 8, data.Rows / 2);
    }

    [Fact]
    public void DuplicatesAreRemovedBeforeSplittingAndConflictsReported()
    {
        var b = Synthetic.Blobs(captures: 3);
        // Rows 0..9 copied once more with the same label (10 exact duplicates), rows 10..12 copied with another label (3 conflicts).
        var extra = Enumerable.Range(0, 13).ToArray();
        var values = b.Values.Concat(extra.SelectMany(r => b.Row(r).ToArray())).ToArray();
        var labels = b.Labels!.Concat(extra.Select(r => r < 10 ? b.Labels![r] : "scan")).ToArray();
        var groups = b.GroupKeys!.Concat(extra.Select(_ => "capture-1")).ToArray();
        var data = new FeatureTable(b.FeatureNames, values) { Labels = labels, GroupKeys = groups };
        Assert.Equal("benign", data.Labels![10]); // so the 'scan' copies of rows 10..12 conflict

        var result = Trainer.Train(data, Fast);
        Assert.Equal(10, result.DuplicatesRemoved);
        Assert.Equal(3, result.ConflictingDuplicates);
        Assert.Equal(data.Rows - 10, result.TrainRows + result.TestRows);
        Assert.Contains(result.Warnings, w => w.StartsWith("3 distinct feature row(s) carry more than one label"));
        Assert.Equal(10, result.Model.Card.DuplicatesRemoved);

        var kept = Trainer.Train(data, Fast with { Deduplicate = false });
        Assert.Equal(0, kept.DuplicatesRemoved);
        Assert.Equal(data.Rows, kept.TrainRows + kept.TestRows);
    }

    [Fact]
    public void NaNIsMissingAndInfinityIsMissingWithAWarning()
    {
        var b = Synthetic.Blobs();
        var values = (float[])b.Values.Clone();
        values[2] = float.NaN;
        values[5] = float.PositiveInfinity;
        values[8] = float.NegativeInfinity;
        var result = Trainer.Train(b.WithValues(values), Fast);
        Assert.Contains(result.Warnings, w => w.StartsWith("2 infinite feature value(s) treated as missing"));
        Assert.True(result.Test.MacroF1 > 0.85);
        Assert.Equal(float.PositiveInfinity, values[5]); // the caller's array is left as it was
    }

    [Fact]
    public void GainRanksInformativeFeaturesAboveNoise()
    {
        using var model = Trainer.Train(Synthetic.Blobs(), Fast).Model;
        var imp = model.FeatureImportance;
        Assert.Equal(3, imp.Count);
        Assert.Equal("noise", imp[^1].Feature);
        Assert.True(imp[0].Gain > 3 * imp[^1].Gain, string.Join(", ", imp));
    }

    [Fact]
    public void SingleClassIsRefusedWithAClearMessage()
    {
        var b = Synthetic.Blobs();
        var data = new FeatureTable(b.FeatureNames, b.Values) { Labels = [.. b.Labels!.Select(_ => "benign")], GroupKeys = b.GroupKeys };
        var e = Assert.Throws<TrainingDataException>(() => Trainer.Train(data, Fast));
        Assert.Equal("training needs at least two classes; found only 'benign'", e.Message);
    }

    [Fact]
    public void TooFewSamplesAreRefused()
    {
        var b = Synthetic.Blobs(captures: 1, rowsPerClassPerCapture: 2); // 6 rows
        var e = Assert.Throws<TrainingDataException>(() => Trainer.Train(b, Fast));
        Assert.StartsWith("too few samples:", e.Message);
        Assert.Contains("6 row(s)", e.Message);

        var c = Synthetic.Blobs();
        var labels = (string[])c.Labels!.Clone();
        labels[0] = "rare";
        e = Assert.Throws<TrainingDataException>(() => Trainer.Train(new FeatureTable(c.FeatureNames, c.Values) { Labels = labels, GroupKeys = c.GroupKeys }, Fast));
        Assert.Contains("'rare' (1)", e.Message);
    }

    [Fact]
    public void MissingLabelsAreRefused()
    {
        var b = Synthetic.Blobs();
        var e = Assert.Throws<TrainingDataException>(() => Trainer.Train(new FeatureTable(b.FeatureNames, b.Values) { GroupKeys = b.GroupKeys }, Fast));
        Assert.Contains("needs a label per row", e.Message);
        var labels = (string[])b.Labels!.Clone();
        labels[17] = "";
        e = Assert.Throws<TrainingDataException>(() => Trainer.Train(new FeatureTable(b.FeatureNames, b.Values) { Labels = labels, GroupKeys = b.GroupKeys }, Fast));
        Assert.StartsWith("row 17 has no label", e.Message);
    }

    [Fact]
    public void ByCaptureWithoutGroupKeysSaysWhatToDo()
    {
        var b = Synthetic.Blobs();
        var e = Assert.Throws<TrainingDataException>(() => Trainer.Train(new FeatureTable(b.FeatureNames, b.Values) { Labels = b.Labels }, Fast));
        Assert.Contains("GroupKeys", e.Message);
    }

    [Fact]
    public void CancellationStopsTraining()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Train(Synthetic.Blobs(), Fast, cts.Token));
    }

    [Fact]
    public void BadFeatureTablesAreRefusedUpFront()
    {
        Assert.Throws<ArgumentException>(() => new FeatureTable(["a", "a"], new float[4]));
        Assert.Throws<ArgumentException>(() => new FeatureTable(["a", "b"], new float[3]));
        Assert.Throws<ArgumentException>(() => new FeatureTable(["a[0]"], new float[3]));
        Assert.Throws<ArgumentException>(() => new FeatureTable(["a"], new float[3]) { Labels = ["x"] });
    }

    [Fact]
    public void BalancingClassesLiftsTheRareClassRecall()
    {
        // 'attack' overlaps 'benign' and is 1 row in 15: unweighted trees favour benign, balanced ones do not.
        var b = Synthetic.Blobs(captures: 6, rowsPerClassPerCapture: 60, classes: ["benign", "attack"]);
        var keep = Enumerable.Range(0, b.Rows).Where(r => b.Labels![r] == "benign" || r % 15 == 0).ToArray();
        var shifted = (float[])b.Values.Clone();
        for (var r = 0; r < b.Rows; r++)
            if (b.Labels![r] == "attack") { shifted[r * 3] -= 2.5f; shifted[r * 3 + 1] -= 0.5f; } // one standard deviation apart
        var data = b.WithValues(shifted).Select(keep);
        var plain = Trainer.Train(data, Fast);
        var balanced = Trainer.Train(data, Fast with { BalanceClasses = true });
        Assert.True(balanced.Test.RecallOf("attack") > plain.Test.RecallOf("attack"),
            $"balanced {balanced.Test.RecallOf("attack")} vs plain {plain.Test.RecallOf("attack")}");
    }
}

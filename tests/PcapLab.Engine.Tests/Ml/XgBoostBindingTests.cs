using PcapLab.Ml;

namespace PcapLab.Engine.Tests.Ml;

public sealed class XgBoostBindingTests
{
    [Fact]
    public void XgBoostErrorsSurfaceAsXgBoostExceptionWithItsMessage()
    {
        var options = new TrainOptions { Rounds = 2, ExtraParams = new Dictionary<string, string> { ["subsample"] = "2" } };
        var e = Assert.Throws<XgBoostException>(() => Trainer.Train(Synthetic.Blobs(), options));
        Assert.Contains("subsample", e.Message);
        Assert.StartsWith("XGBooster", e.Function);
    }

    [Fact]
    public void SizesAreCheckedBeforeNativeCalls()
    {
        Assert.Throws<ArgumentException>(() => new XgMatrix(new float[5], 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new XgMatrix([], 0, 3));
        using var m = new XgMatrix(new float[6], 2, 3);
        Assert.Throws<ArgumentException>(() => m.SetFloatInfo("label", [1f]));
        Assert.Throws<ArgumentException>(() => XgBooster.LoadJson([]));
    }

    [Fact]
    public void ObjectiveIsChosenFromTheLabels()
    {
        var options = new TrainOptions { ExtraParams = new Dictionary<string, string> { ["objective"] = "reg:squarederror" } };
        Assert.Throws<ArgumentException>(() => Trainer.Train(Synthetic.Blobs(), options));
    }

    [Fact]
    public void BoosterOutlivesTheMatrixItTrainedOn()
    {
        var data = Synthetic.Blobs(captures: 1);
        var labels = Array.ConvertAll(data.Labels!, l => l == "benign" ? 0f : 1f);
        XgBooster booster;
        using (var m = new XgMatrix(data.Values, data.Rows, data.Columns))
        {
            m.SetFloatInfo("label", labels);
            booster = XgBooster.Create(m);
            booster.SetParam("objective", "binary:logistic");
            booster.SetParam("nthread", "1");
        } // the matrix is disposed here; the booster's pin keeps the native DMatrix it caches alive
        using (booster)
        {
            using var again = new XgMatrix(data.Values, data.Rows, data.Columns);
            again.SetFloatInfo("label", labels);
            for (var i = 0; i < 3; i++) booster.UpdateOneIter(i, again);
            Assert.Equal(3, booster.BoostedRounds);
            Assert.Equal(data.Columns, booster.FeatureCount);
            Assert.Equal(data.Rows, booster.Predict(again, 1).Length);
        }
    }
}

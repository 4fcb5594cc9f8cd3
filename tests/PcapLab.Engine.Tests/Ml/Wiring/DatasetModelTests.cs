using PcapLab.Ml;
using PcapLab.Ml.Features;
using PcapLab.Ml.Labels;
using PcapLab.Store;
using PcapLab.Testing;
using Xunit.Abstractions;

namespace PcapLab.Engine.Tests.Ml.Wiring;

/// <summary>
/// The real thing: train on datasets/train (folder layout), measure on datasets/holdout (recorded separately, from other
/// addresses), score and check the tables. One trained model is shared by the tests of this class.
/// </summary>
public sealed class DatasetModelTests(DatasetModelTests.TrainedModel trained, ITestOutputHelper output) : IClassFixture<DatasetModelTests.TrainedModel>
{
    public sealed class TrainedModel : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("pcaplab-mlwire-").FullName;
        public string ModelPath => Path.Combine(Dir, "ids.json");
        public FlowTrainResult Result { get; }
        public static string Datasets => Repo.Datasets;

        public TrainedModel()
        {
            var (database, db) = LabStore.Open(null);
            using (database) using (db)
                Result = FlowModels.Train(db, LabelSource.FromDirectory(Path.Combine(Datasets, "train")), new TrainOptions { Rounds = 40, MaxDepth = 6, BalanceClasses = true }, ModelPath);
        }

        public void Dispose()
        {
            Result.Training.Model.Dispose();
            Directory.Delete(Dir, recursive: true);
        }
    }

    [Fact]
    public void TrainsOnTheTrainFolderWithACaptureSplitAndACard()
    {
        var r = trained.Result;
        output.WriteLine(r.Training.Test.ToString());
        foreach (var w in r.Warnings) output.WriteLine("warning: " + w);
        Assert.Equal(["benign", "bruteforce", "dnstunnel", "portscan", "synflood", "webattack"], r.Training.Model.Classes);
        Assert.Equal(SplitStrategy.ByCapture, r.Training.SplitUsed);
        Assert.Equal(FlowFeatures.Hash, r.Training.Model.Card.FeatureHash);
        Assert.Empty(r.Training.TrainCaptures.Intersect(r.Training.TestCaptures));
        using var loaded = FlowModels.LoadChecked(trained.ModelPath);
        Assert.Equal(r.Training.Model.Card.TrainingCaptures, loaded.Card.TrainingCaptures);
        Assert.Equal(64, loaded.Card.TrainingCaptures[0].Length);   // capture sha256
    }

    [Fact]
    public void HoldoutMacroF1AndScoringWriteSaneRows()
    {
        var (database, db) = LabStore.Open(null);
        using (database) using (db)
        {
            var eval = FlowModels.Evaluate(db, LabelSource.FromDirectory(Path.Combine(TrainedModel.Datasets, "holdout")), trained.ModelPath);
            output.WriteLine("held-out (datasets/holdout):\n" + eval.Evaluation);
            Assert.True(eval.Evaluation.MacroF1 > 0.5, $"held-out macro-F1 {eval.Evaluation.MacroF1:F3}\n{eval.Evaluation}");

            var score = FlowModels.Score(db, trained.ModelPath, alertThreshold: 0.8);
            var flows = db.Scalar<long>("SELECT count(*) FROM flows");
            Assert.Equal(flows, score.Flows);
            Assert.Equal(flows, db.Scalar<long>("SELECT count(DISTINCT flow_id) FROM predictions WHERE model = $1", score.Model));
            Assert.Equal(0, db.Scalar<long>("SELECT count(*) FROM predictions WHERE probability < 0 OR probability > 1 OR scored_at IS NULL"));
            Assert.StartsWith("ids.json#" + FlowFeatures.Hash[..12], score.Model);
            Assert.True(score.Alerts > 0);
            Assert.Equal(0, db.Scalar<long>("SELECT count(*) FROM alerts WHERE rule = $1 AND (score < 0.8 OR len(flow_ids) = 0 OR severity NOT IN ('SUSPICIOUS', 'MALICIOUS'))", score.Rule));
            // The SYN flood's target must be in an alert predicted as an attack.
            Assert.True(db.Scalar<long>("SELECT count(*) FROM alerts WHERE rule = $1 AND dst = '127.10.0.1' AND severity = 'MALICIOUS'", score.Rule) > 0);

            // Scoring again replaces this model's rows instead of adding to them.
            var again = FlowModels.Score(db, trained.ModelPath, alertThreshold: 0.8);
            Assert.Equal(flows, db.Scalar<long>("SELECT count(*) FROM predictions"));
            Assert.Equal(score.Alerts, again.Alerts);
            Assert.Equal(score.Alerts, db.Scalar<long>("SELECT count(*) FROM alerts"));
        }
    }

    [Fact]
    public void AnomalyScoresAreDeterministicPerSeed()
    {
        var (database, db) = LabStore.Open(null);
        using (database) using (db)
        {
            PcapLab.Ingest.Ingestor.Load(db, [Path.Combine(TrainedModel.Datasets, "train", "benign", "dns.pcap"), Path.Combine(TrainedModel.Datasets, "train", "portscan", "syn-scan.pcap")]);
            var a = FlowModels.Anomalies(db, seed: 7);
            var first = db.Query("SELECT flow_id, score FROM anomalies ORDER BY flow_id");
            var rowsA = new List<(long, double)>();
            while (first.Read()) rowsA.Add((first.GetInt64(0), first.GetDouble(1)));
            first.Dispose();
            FlowModels.Anomalies(db, seed: 7);
            Assert.Equal(a.Flows, db.Scalar<long>("SELECT count(*) FROM anomalies"));
            var second = db.Query("SELECT flow_id, score FROM anomalies ORDER BY flow_id");
            var rowsB = new List<(long, double)>();
            while (second.Read()) rowsB.Add((second.GetInt64(0), second.GetDouble(1)));
            second.Dispose();
            Assert.Equal(rowsA, rowsB);
            Assert.All(rowsA, r => Assert.InRange(r.Item2, 0, 1));
        }
    }
}

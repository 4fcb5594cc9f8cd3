using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PcapLab.Ml;

namespace PcapLab.Engine.Tests.Ml;

public sealed class ModelFileTests : IDisposable
{
    private static readonly Lazy<TrainResult> Trained = new(() => Trainer.Train(Synthetic.Blobs(), new TrainOptions { Rounds = 20, MaxDepth = 4 }));
    private readonly string _dir = Directory.CreateTempSubdirectory("pcaplab-ml-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SavedModel()
    {
        var path = Path.Combine(_dir, "ids.json");
        Trained.Value.Model.Save(path);
        return path;
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalPredictionsAndCard()
    {
        var path = SavedModel();
        using var loaded = IdsModel.Load(path);
        var fresh = Synthetic.Blobs(captures: 2, seed: 77);
        var original = Trained.Value.Model;
        Assert.Equal(original.PredictProbabilities(fresh), loaded.PredictProbabilities(fresh));
        Assert.Equal(original.Predict(fresh), loaded.Predict(fresh));
        Assert.Equal(original.Card.Features, loaded.Card.Features);
        Assert.Equal(original.Card.FeatureHash, loaded.Card.FeatureHash);
        Assert.Equal(original.Card.Classes, loaded.Card.Classes);
        Assert.Equal(original.Card.TrainingCaptures, loaded.Card.TrainingCaptures);
        Assert.Equal(original.Card.Parameters, loaded.Card.Parameters);
        Assert.Equal(original.Card.TestMacroF1, loaded.Card.TestMacroF1);
        Assert.Equal(original.Card.TestRecall, loaded.Card.TestRecall);
        Assert.Equal(original.Card.CreatedUtc, loaded.Card.CreatedUtc);
        Assert.Matches(@"^\d+\.\d+\.\d+$", loaded.Card.XgBoostVersion);
        Assert.Equal(original.FeatureImportance, loaded.FeatureImportance);
        var p = loaded.Predict(fresh);
        Assert.Equal(fresh.RowIds![5], p[5].RowId);
    }

    [Fact]
    public void FileIsOneJsonDocumentWithCardAndXgBoostModel()
    {
        var doc = JsonNode.Parse(File.ReadAllText(SavedModel()))!;
        Assert.Equal("pcaplab-ids-model", (string?)doc["format"]);
        Assert.Equal(1, (int?)doc["format_version"]);
        Assert.Equal(Synthetic.Features, doc["card"]!["features"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(FeatureTable.HashFeatureNames(Synthetic.Features), (string?)doc["card"]!["feature_hash"]);
        Assert.Equal(["benign", "flood", "scan"], doc["card"]!["classes"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("3", (string?)doc["xgboost_model"]!["learner"]!["learner_model_param"]!["num_feature"]);
    }

    [Fact]
    public void FeatureMismatchIsRefusedNamingTheFeatures()
    {
        var model = Trained.Value.Model;
        var b = Synthetic.Blobs(captures: 1);
        var renamed = new FeatureTable(["pkt_rate", "syn_ratio", "noise"], b.Values);
        var e = Assert.Throws<ModelFeatureMismatchException>(() => model.Predict(renamed));
        Assert.Equal(["syn_share"], e.Missing);
        Assert.Equal(["syn_ratio"], e.Extra);
        Assert.Contains("missing: syn_share", e.Message);
        Assert.Contains("not in the model: syn_ratio", e.Message);

        var reordered = new FeatureTable(["syn_share", "pkt_rate", "noise"], b.Values);
        e = Assert.Throws<ModelFeatureMismatchException>(() => model.PredictProbabilities(reordered));
        Assert.Contains("different order", e.Message);

        var extra = new FeatureTable(["pkt_rate", "syn_share", "noise", "dst_ports"], new float[8]);
        e = Assert.Throws<ModelFeatureMismatchException>(() => model.Predict(extra));
        Assert.Equal(["dst_ports"], e.Extra);
        Assert.Empty(e.Missing);
    }

    [Fact]
    public void TruncatedFileIsAModelFileException()
    {
        var path = SavedModel();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<ModelFileException>(() => IdsModel.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void GarbageAndEmptyFilesAreModelFileExceptions()
    {
        var path = Path.Combine(_dir, "garbage.json");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))]);
        Assert.Contains("garbage.json", Assert.Throws<ModelFileException>(() => IdsModel.Load(path)).Message);
        File.WriteAllBytes(path, []);
        Assert.Contains("is empty", Assert.Throws<ModelFileException>(() => IdsModel.Load(path)).Message);
        Assert.Contains("does not exist", Assert.Throws<ModelFileException>(() => IdsModel.Load(Path.Combine(_dir, "nope.json"))).Message);
    }

    [Theory]
    [InlineData("""{"a": 1}""", "is not a PcapLab model")]
    [InlineData("""[1, 2, 3]""", "is not a PcapLab model")]
    [InlineData("""{"format": "pcaplab-ids-model", "format_version": 9}""", "format version 9")]
    [InlineData("""{"format": "pcaplab-ids-model", "format_version": 1}""", "'card' is missing")]
    [InlineData("""{"format": "pcaplab-ids-model", "format_version": 1, "card": {"features": 3}}""", "model card")]
    public void ValidJsonOfTheWrongShapeIsAModelFileException(string json, string expected)
    {
        var path = Path.Combine(_dir, "shape.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<ModelFileException>(() => IdsModel.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains("shape.json", e.Message);
    }

    [Fact]
    public void EditedTreesFailTheChecksum()
    {
        var path = SavedModel();
        var text = File.ReadAllText(path);
        var i = text.IndexOf("\"left_children\":[1", StringComparison.Ordinal);
        File.WriteAllText(path, text[..i] + "\"left_children\":[7" + text[(i + 18)..]);
        Assert.Contains("xgboost_model_sha256", Assert.Throws<ModelFileException>(() => IdsModel.Load(path)).Message);
    }

    [Theory]
    [InlineData("left_children", "outside the tree")]
    [InlineData("split_indices", "splits on feature")]
    [InlineData("num_feature", "features, the card lists")]
    [InlineData("tree_count", "declares")]
    [InlineData("card_hash", "feature_hash does not match")]
    [InlineData("card_renamed", "feature_names differ")]
    public void InconsistentModelsWithAValidChecksumAreRefusedBeforeXgBoostSeesThem(string corruption, string expected)
    {
        var path = SavedModel();
        var doc = JsonNode.Parse(File.ReadAllText(path))!;
        var xgb = doc["xgboost_model"]!;
        var tree0 = xgb["learner"]!["gradient_booster"]!["model"]!["trees"]![0]!;
        switch (corruption)
        {
            case "left_children": tree0["left_children"]![0] = 100000; break;
            case "split_indices": tree0["split_indices"]![0] = 42; break;
            case "num_feature": xgb["learner"]!["learner_model_param"]!["num_feature"] = "5"; break;
            case "tree_count": xgb["learner"]!["gradient_booster"]!["model"]!["trees"]!.AsArray().RemoveAt(0); break;
            case "card_hash": doc["card"]!["features"]![0] = "renamed"; break;
            case "card_renamed":
                doc["card"]!["features"]![0] = "renamed";
                doc["card"]!["feature_hash"] = FeatureTable.HashFeatureNames(["renamed", .. Synthetic.Features[1..]]);
                break;
        }
        // Re-seal the checksum so only the structural checks stand between the file and XGBoost.
        var raw = xgb.ToJsonString();
        doc["xgboost_model_sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
        doc.AsObject().Remove("xgboost_model");
        var envelope = doc.ToJsonString();
        File.WriteAllText(path, envelope[..^1] + ",\"xgboost_model\":" + raw + "}");
        var e = Assert.Throws<ModelFileException>(() => IdsModel.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }
}

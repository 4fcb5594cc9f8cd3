using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace PcapLab.Ml;

/// <summary>
/// Reads a model file written by <see cref="IdsModel.Save"/>. Every part is checked in managed code first (JSON
/// syntax, envelope, card, checksum, tree arrays and indices), because XGBoost trusts the model it is given.
/// </summary>
internal static class ModelFile
{
    /// <summary>Booster attribute holding the feature hash, so XGBoost's own JSON names the feature list too.</summary>
    internal const string FeatureHashAttribute = "pcaplab_feature_hash";

    // A flow model is kilobytes to a few megabytes; anything this large is not one.
    private const long MaxBytes = 512L << 20;

    internal static IdsModel Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new ModelFileException(path, "does not exist");
            if (info.Length > MaxBytes) throw new ModelFileException(path, $"is {info.Length} bytes, too large to be a model");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, "cannot be read: " + e.Message, e);
        }
        if (bytes.Length == 0) throw new ModelFileException(path, "is empty");

        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"is not valid JSON (truncated or corrupt?): {e.Message}", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var fmt) || fmt.ValueKind != JsonValueKind.String
                || fmt.GetString() != IdsModel.FileFormat)
                throw new ModelFileException(path, $"is not a PcapLab model (expected a JSON object with \"format\": \"{IdsModel.FileFormat}\")");
            if (!root.TryGetProperty("format_version", out var ver) || !ver.TryGetInt32(out var version))
                throw new ModelFileException(path, "has no format_version");
            if (version != IdsModel.FileFormatVersion)
                throw new ModelFileException(path, $"has format version {version}; this PcapLab reads version {IdsModel.FileFormatVersion}");

            var card = ReadCard(path, root);
            var xgb = Member(path, root, "xgboost_model", JsonValueKind.Object);
            var raw = JsonMarshal.GetRawUtf8Value(xgb);
            var sum = Member(path, root, "xgboost_model_sha256", JsonValueKind.String).GetString();
            if (!string.Equals(sum, Convert.ToHexStringLower(SHA256.HashData(raw)), StringComparison.OrdinalIgnoreCase))
                throw new ModelFileException(path, "xgboost_model does not match its xgboost_model_sha256 (the file was edited or corrupted)");
            CheckBooster(path, xgb, card);

            XgBooster booster;
            try { booster = XgBooster.LoadJson(raw); }
            catch (XgBoostException e) { throw new ModelFileException(path, "XGBoost refused the model: " + e.Message, e); }
            try
            {
                if (booster.FeatureCount != card.Features.Length)
                    throw new ModelFileException(path, $"the trees use {booster.FeatureCount} features, the card lists {card.Features.Length}");
                if (booster.GetAttr(FeatureHashAttribute) is { } hash && hash != card.FeatureHash)
                    throw new ModelFileException(path, "the trees were trained on a different feature list than the card lists (feature hash differs)");
                if (card.Parameters.TryGetValue("nthread", out var threads)) booster.SetParam("nthread", threads);
                return new IdsModel(booster, card);
            }
            catch
            {
                booster.Dispose();
                throw;
            }
        }
    }

    private static ModelCard ReadCard(string path, JsonElement root)
    {
        var el = Member(path, root, "card", JsonValueKind.Object);
        ModelCard? card;
        try { card = el.Deserialize(MlJsonContext.Default.ModelCard); }
        catch (JsonException e) { throw new ModelFileException(path, "model card: " + e.Message, e); }
        if (card is null) throw new ModelFileException(path, "model card is null");
        if (card.Features is not { Length: > 0 } || card.Features.Any(string.IsNullOrEmpty))
            throw new ModelFileException(path, "model card: features must be a non-empty list of names");
        if (card.Features.Distinct(StringComparer.Ordinal).Count() != card.Features.Length)
            throw new ModelFileException(path, "model card: a feature is listed twice");
        if (!string.Equals(card.FeatureHash, FeatureTable.HashFeatureNames(card.Features), StringComparison.OrdinalIgnoreCase))
            throw new ModelFileException(path, "model card: feature_hash does not match the feature list");
        if (card.Classes is not { Length: >= 2 } || card.Classes.Any(string.IsNullOrEmpty)
            || card.Classes.Distinct(StringComparer.Ordinal).Count() != card.Classes.Length)
            throw new ModelFileException(path, "model card: classes must list at least two distinct labels");
        var expected = card.Classes.Length == 2 ? "binary:logistic" : "multi:softprob";
        if (card.Objective != expected)
            throw new ModelFileException(path, $"model card: objective '{card.Objective}' does not fit {card.Classes.Length} classes (expected {expected})");
        return card.Parameters is null ? card with { Parameters = [] } : card;
    }

    /// <summary>Checks XGBoost's JSON model against the card and checks every tree's arrays, so the native loader only sees sane trees.</summary>
    private static void CheckBooster(string path, JsonElement xgb, ModelCard card)
    {
        var learner = Member(path, xgb, "learner", JsonValueKind.Object, "xgboost_model");
        var param = Member(path, learner, "learner_model_param", JsonValueKind.Object, "learner");
        var nFeature = IntString(path, param, "num_feature", "learner_model_param");
        var nClass = IntString(path, param, "num_class", "learner_model_param");
        if (nFeature != card.Features.Length)
            throw new ModelFileException(path, $"xgboost_model has {nFeature} features, the card lists {card.Features.Length}");
        var groups = card.Classes.Length == 2 ? 1 : card.Classes.Length;
        if (nClass != (card.Classes.Length == 2 ? 0 : card.Classes.Length))
            throw new ModelFileException(path, $"xgboost_model has num_class {nClass}, the card lists {card.Classes.Length} classes");
        var objective = Member(path, Member(path, learner, "objective", JsonValueKind.Object, "learner"), "name", JsonValueKind.String, "objective");
        if (objective.GetString() != card.Objective)
            throw new ModelFileException(path, $"xgboost_model objective '{objective.GetString()}' differs from the card's '{card.Objective}'");
        if (learner.TryGetProperty("feature_names", out var names) && names.ValueKind == JsonValueKind.Array && names.GetArrayLength() > 0
            && !names.EnumerateArray().Select(n => n.GetString()).SequenceEqual(card.Features))
            throw new ModelFileException(path, "xgboost_model feature_names differ from the card's features");

        var gb = Member(path, learner, "gradient_booster", JsonValueKind.Object, "learner");
        var gbName = Member(path, gb, "name", JsonValueKind.String, "gradient_booster").GetString();
        if (gbName != "gbtree") throw new ModelFileException(path, $"gradient_booster is '{gbName}'; PcapLab models are gbtree");
        var model = Member(path, gb, "model", JsonValueKind.Object, "gradient_booster");
        var trees = Member(path, model, "trees", JsonValueKind.Array, "model");
        var treeInfo = Member(path, model, "tree_info", JsonValueKind.Array, "model");
        var numTrees = IntString(path, Member(path, model, "gbtree_model_param", JsonValueKind.Object, "model"), "num_trees", "gbtree_model_param");
        if (trees.GetArrayLength() != numTrees || treeInfo.GetArrayLength() != numTrees)
            throw new ModelFileException(path, $"gbtree declares {numTrees} trees but holds {trees.GetArrayLength()} (tree_info {treeInfo.GetArrayLength()})");
        foreach (var g in treeInfo.EnumerateArray())
            if (!g.TryGetInt32(out var gi) || gi < 0 || gi >= groups)
                throw new ModelFileException(path, $"tree_info entry {g} is not a class index below {groups}");
        var t = 0;
        foreach (var tree in trees.EnumerateArray()) CheckTree(path, tree, t++, nFeature);
    }

    private static void CheckTree(string path, JsonElement tree, int t, int nFeature)
    {
        var where = $"tree {t}";
        if (tree.ValueKind != JsonValueKind.Object) throw new ModelFileException(path, $"{where} is not an object");
        var n = IntString(path, Member(path, tree, "tree_param", JsonValueKind.Object, where), "num_nodes", where);
        if (n < 1) throw new ModelFileException(path, $"{where} has no nodes");
        string[] perNode = ["left_children", "right_children", "parents", "split_indices", "split_conditions", "default_left", "base_weights", "loss_changes", "sum_hessian"];
        foreach (var a in perNode)
        {
            var arr = Member(path, tree, a, JsonValueKind.Array, where);
            if (arr.GetArrayLength() != n) throw new ModelFileException(path, $"{where}: {a} has {arr.GetArrayLength()} entries for {n} nodes");
        }
        // PcapLab trains numeric splits only; categorical nodes index side tables this check does not cover.
        if (tree.TryGetProperty("split_type", out var types) && types.ValueKind == JsonValueKind.Array
            && Ints(path, types, where).Any(k => k != 0))
            throw new ModelFileException(path, $"{where} has categorical splits, which PcapLab models do not use");
        if (tree.TryGetProperty("categories_nodes", out var catNodes) && catNodes.ValueKind == JsonValueKind.Array && catNodes.GetArrayLength() > 0)
            throw new ModelFileException(path, $"{where} has categorical splits, which PcapLab models do not use");
        var left = Ints(path, tree.GetProperty("left_children"), where);
        var right = Ints(path, tree.GetProperty("right_children"), where);
        var split = Ints(path, tree.GetProperty("split_indices"), where);
        for (var i = 0; i < n; i++)
        {
            var leaf = left[i] == -1;
            if (leaf != (right[i] == -1)) throw new ModelFileException(path, $"{where}: node {i} has one child");
            if (leaf) continue;
            // Children come after their parent in XGBoost's layout; that also rules out cycles.
            if (left[i] <= i || left[i] >= n || right[i] <= i || right[i] >= n)
                throw new ModelFileException(path, $"{where}: node {i} points at a child outside the tree");
            if (split[i] < 0 || split[i] >= nFeature)
                throw new ModelFileException(path, $"{where}: node {i} splits on feature {split[i]} of {nFeature}");
        }
    }

    private static int[] Ints(string path, JsonElement arr, string where) =>
        [.. arr.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v
            : throw new ModelFileException(path, $"{where}: expected an integer, found {e.ValueKind}"))];

    private static JsonElement Member(string path, JsonElement parent, string name, JsonValueKind kind, string? where = null)
    {
        if (parent.TryGetProperty(name, out var v) && v.ValueKind == kind) return v;
        throw new ModelFileException(path, $"{(where is null ? "" : where + ": ")}'{name}' is missing or not a JSON {kind.ToString().ToLowerInvariant()}");
    }

    // XGBoost writes its model parameters as JSON strings ("num_feature": "12").
    private static int IntString(string path, JsonElement parent, string name, string where)
    {
        if (parent.TryGetProperty(name, out var v))
        {
            if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)) return s;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)) return i;
        }
        throw new ModelFileException(path, $"{where}: '{name}' is missing or not an integer");
    }
}

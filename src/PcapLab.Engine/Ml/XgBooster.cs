using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace PcapLab.Ml;

/// <summary>A dense float matrix handed to XGBoost (NaN = missing). Sizes are checked here, before any native call.</summary>
internal sealed class XgMatrix : IDisposable
{
    internal SafeDMatrixHandle Handle { get; }
    internal int Rows { get; }
    internal int Columns { get; }

    internal unsafe XgMatrix(ReadOnlySpan<float> values, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        XgBoostNative.EnsureLoaded();
        if ((long)rows * columns != values.Length)
            throw new ArgumentException($"matrix of {rows}x{columns} needs {(long)rows * columns} values, got {values.Length}", nameof(values));
        SafeDMatrixHandle h;
        fixed (float* p = values)
        {
            var rc = XgBoostNative.DMatrixCreateFromMat(p, (ulong)rows, (ulong)columns, float.NaN, out h);
            if (rc != 0) h.Dispose();
            XgBoostNative.Check(rc, "XGDMatrixCreateFromMat");
        }
        Handle = h;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Sets a per-row float field ("label", "weight"); its length must equal the row count.</summary>
    internal unsafe void SetFloatInfo(string field, ReadOnlySpan<float> values)
    {
        if (values.Length != Rows) throw new ArgumentException($"{field} needs {Rows} values, got {values.Length}", nameof(values));
        fixed (float* p = values)
            XgBoostNative.Check(XgBoostNative.DMatrixSetFloatInfo(Handle, field, p, (ulong)values.Length), "XGDMatrixSetFloatInfo");
    }

    public void Dispose() => Handle.Dispose();
}

/// <summary>A gradient-boosted tree model in XGBoost: created for training or loaded from its JSON model text.</summary>
internal sealed class XgBooster : IDisposable
{
    private readonly SafeBoosterHandle _handle;
    private readonly Lock _gate = new();

    private XgBooster(SafeBoosterHandle handle) => _handle = handle;

    /// <summary>A booster that will train on (and cache) the given matrices; they stay alive as long as the booster does.</summary>
    internal static unsafe XgBooster Create(params XgMatrix[] cache)
    {
        XgBoostNative.EnsureLoaded();
        var ptrs = new nint[cache.Length];
        for (var i = 0; i < cache.Length; i++) ptrs[i] = cache[i].Handle.DangerousGetHandle();
        SafeBoosterHandle h;
        fixed (nint* p = ptrs)
        {
            var rc = XgBoostNative.BoosterCreate(cache.Length == 0 ? null : p, (ulong)cache.Length, out h);
            if (rc != 0) h.Dispose();
            XgBoostNative.Check(rc, "XGBoosterCreate");
        }
        foreach (var m in cache) h.Pin(m.Handle);
        GC.KeepAlive(cache);
        return new XgBooster(h);
    }

    /// <summary>Loads a booster from XGBoost's JSON model document (the caller validated its shape first).</summary>
    internal static unsafe XgBooster LoadJson(ReadOnlySpan<byte> modelJson)
    {
        if (modelJson.IsEmpty) throw new ArgumentException("empty model", nameof(modelJson));
        var b = Create();
        try
        {
            fixed (byte* p = modelJson)
                XgBoostNative.Check(XgBoostNative.BoosterLoadModelFromBuffer(b._handle, p, (ulong)modelJson.Length), "XGBoosterLoadModelFromBuffer");
            return b;
        }
        catch
        {
            b.Dispose();
            throw;
        }
    }

    /// <summary>The linked libxgboost's version, e.g. "1.7.4".</summary>
    internal static string Version
    {
        get
        {
            XgBoostNative.EnsureLoaded();
            XgBoostNative.Version(out var a, out var b, out var c);
            return $"{a}.{b}.{c}";
        }
    }

    internal void SetParam(string name, string value) =>
        XgBoostNative.Check(XgBoostNative.BoosterSetParam(_handle, name, value), "XGBoosterSetParam(" + name + ")");

    internal void UpdateOneIter(int iteration, XgMatrix train)
    {
        lock (_gate) XgBoostNative.Check(XgBoostNative.BoosterUpdateOneIter(_handle, iteration, train.Handle), "XGBoosterUpdateOneIter");
    }

    internal int BoostedRounds
    {
        get
        {
            XgBoostNative.Check(XgBoostNative.BoosterBoostedRounds(_handle, out var n), "XGBoosterBoostedRounds");
            return n;
        }
    }

    internal int FeatureCount
    {
        get
        {
            XgBoostNative.Check(XgBoostNative.BoosterGetNumFeature(_handle, out var n), "XGBoosterGetNumFeature");
            return checked((int)n);
        }
    }

    /// <summary>Stores the feature names in the booster so XGBoost's own JSON carries them too.</summary>
    internal unsafe void SetFeatureNames(IReadOnlyList<string> names)
    {
        var ptrs = new nint[names.Count];
        try
        {
            for (var i = 0; i < ptrs.Length; i++) ptrs[i] = Marshal.StringToCoTaskMemUTF8(names[i]);
            fixed (nint* p = ptrs)
                XgBoostNative.Check(XgBoostNative.BoosterSetStrFeatureInfo(_handle, "feature_name", p, (ulong)ptrs.Length), "XGBoosterSetStrFeatureInfo");
        }
        finally
        {
            foreach (var p in ptrs) Marshal.FreeCoTaskMem(p);
        }
    }

    internal void SetAttr(string key, string? value) =>
        XgBoostNative.Check(XgBoostNative.BoosterSetAttr(_handle, key, value), "XGBoosterSetAttr");

    internal string? GetAttr(string key)
    {
        lock (_gate)
        {
            XgBoostNative.Check(XgBoostNative.BoosterGetAttr(_handle, key, out var v, out var ok), "XGBoosterGetAttr");
            return ok != 0 ? Marshal.PtrToStringUTF8(v) : null;
        }
    }

    /// <summary>
    /// Normal prediction, copied out of XGBoost's thread-local buffer: rows × <paramref name="outputsPerRow"/> values
    /// (class probabilities for multi:softprob, P(class 1) for binary:logistic).
    /// </summary>
    internal unsafe float[] Predict(XgMatrix data, int outputsPerRow)
    {
        const string config = """{"type":0,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":true}""";
        lock (_gate)
        {
            XgBoostNative.Check(XgBoostNative.BoosterPredictFromDMatrix(_handle, data.Handle, config, out var shape, out var dim, out var result),
                "XGBoosterPredictFromDMatrix");
            if (dim != 2 || shape[0] != (ulong)data.Rows || shape[1] != (ulong)outputsPerRow)
                throw new XgBoostException("XGBoosterPredictFromDMatrix",
                    $"unexpected prediction shape ({string.Join("x", new ReadOnlySpan<ulong>(shape, (int)Math.Min(dim, 8)).ToArray())}); expected {data.Rows}x{outputsPerRow}");
            return new ReadOnlySpan<float>(result, checked(data.Rows * outputsPerRow)).ToArray();
        }
    }

    /// <summary>The model as XGBoost's JSON document (copied out before the next XGBoost call can reuse the buffer).</summary>
    internal unsafe byte[] SaveJson()
    {
        lock (_gate)
        {
            XgBoostNative.Check(XgBoostNative.BoosterSaveModelToBuffer(_handle, """{"format":"json"}""", out var len, out var data), "XGBoosterSaveModelToBuffer");
            return new ReadOnlySpan<byte>(data, checked((int)len)).ToArray();
        }
    }

    /// <summary>Per-feature importance of the given type ("gain", "total_gain", "weight", ...); features never split on get 0.</summary>
    internal unsafe double[] FeatureScores(IReadOnlyList<string> featureNames, string importanceType)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("importance_type", importanceType);
            w.WriteStartArray("feature_names");
            foreach (var f in featureNames) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var config = Encoding.UTF8.GetString(buffer.WrittenSpan);
        var scores = new double[featureNames.Count];
        lock (_gate)
        {
            XgBoostNative.Check(XgBoostNative.BoosterFeatureScore(_handle, config, out var n, out var names, out var dim, out var shape, out var values),
                "XGBoosterFeatureScore");
            // Trees report one score per feature used; anything else (linear models, per-class shapes) is not ours.
            if (dim != 1 || shape[0] != n)
                throw new XgBoostException("XGBoosterFeatureScore", $"unexpected score shape (dim {dim})");
            var index = new Dictionary<string, int>(featureNames.Count);
            for (var i = 0; i < featureNames.Count; i++) index[featureNames[i]] = i;
            for (var i = 0; i < (int)n; i++)
            {
                var name = Marshal.PtrToStringUTF8(names[i]) ?? "";
                if (index.TryGetValue(name, out var j)) scores[j] = values[i];
            }
        }
        return scores;
    }

    public void Dispose() => _handle.Dispose();
}

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using PcapLab.Native;

namespace PcapLab.Ml;

/// <summary>
/// The XGBoost C API (xgboost/c_api.h of Debian's libxgboost0), as thin as it gets: every function returns 0 or -1,
/// and <see cref="Check"/> turns -1 into an <see cref="XgBoostException"/> carrying XGBGetLastError's text.
/// </summary>
internal static partial class XgBoostNative
{
    static XgBoostNative()
    {
        NativeLibraries.EnsureRegistered();
        // XGBoost prints deprecation notes to stderr at verbosity 1; a notebook cell is no place for them.
        // Only when present: a throw here would poison the type, and EnsureLoaded gives the clear "install it" error.
        if (NativeLibraries.IsAvailable(NativeLibraries.XgBoost)) _ = SetGlobalConfig("{\"verbosity\":0}");
    }

    /// <summary>Runs the static constructor (resolver, quiet logging) and throws <see cref="NativeLibraryMissingException"/> when libxgboost is absent.</summary>
    internal static void EnsureLoaded() => NativeLibraries.Load(NativeLibraries.XgBoost);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBGetLastError")]
    private static partial nint GetLastError();

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoostVersion")]
    internal static partial void Version(out int major, out int minor, out int patch);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBSetGlobalConfig", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetGlobalConfig(string config);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGDMatrixCreateFromMat")]
    internal static unsafe partial int DMatrixCreateFromMat(float* data, ulong nrow, ulong ncol, float missing, out SafeDMatrixHandle handle);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGDMatrixFree")]
    internal static partial int DMatrixFree(nint handle);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGDMatrixSetFloatInfo", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int DMatrixSetFloatInfo(SafeDMatrixHandle handle, string field, float* array, ulong len);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterCreate")]
    internal static unsafe partial int BoosterCreate(nint* dmats, ulong len, out SafeBoosterHandle handle);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterFree")]
    internal static partial int BoosterFree(nint handle);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterSetParam", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterSetParam(SafeBoosterHandle handle, string name, string value);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterUpdateOneIter")]
    internal static partial int BoosterUpdateOneIter(SafeBoosterHandle handle, int iter, SafeDMatrixHandle dtrain);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterBoostedRounds")]
    internal static partial int BoosterBoostedRounds(SafeBoosterHandle handle, out int rounds);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterGetNumFeature")]
    internal static partial int BoosterGetNumFeature(SafeBoosterHandle handle, out ulong count);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterPredictFromDMatrix", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int BoosterPredictFromDMatrix(SafeBoosterHandle handle, SafeDMatrixHandle dmat, string config,
        out ulong* shape, out ulong dim, out float* result);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterSaveModelToBuffer", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int BoosterSaveModelToBuffer(SafeBoosterHandle handle, string config, out ulong len, out byte* data);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterLoadModelFromBuffer")]
    internal static unsafe partial int BoosterLoadModelFromBuffer(SafeBoosterHandle handle, byte* buf, ulong len);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterSetStrFeatureInfo", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int BoosterSetStrFeatureInfo(SafeBoosterHandle handle, string field, nint* features, ulong size);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterSetAttr", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterSetAttr(SafeBoosterHandle handle, string key, string? value);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterGetAttr", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterGetAttr(SafeBoosterHandle handle, string key, out nint value, out int success);

    [LibraryImport(NativeLibraries.XgBoost, EntryPoint = "XGBoosterFeatureScore", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int BoosterFeatureScore(SafeBoosterHandle handle, string config, out ulong nFeatures, out nint* features,
        out ulong dim, out ulong* shape, out float* scores);

    /// <summary>The one error seam: a -1 from <paramref name="function"/> becomes an exception with XGBoost's own message.</summary>
    internal static void Check(int rc, string function)
    {
        if (rc != 0) ThrowLastError(function);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn, System.Diagnostics.StackTraceHidden]
    private static void ThrowLastError(string function) =>
        throw new XgBoostException(function, Marshal.PtrToStringUTF8(GetLastError()) ?? "unknown error");
}

/// <summary>An XGBoost DMatrix (XGDMatrixFree on release).</summary>
internal sealed class SafeDMatrixHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle() => XgBoostNative.DMatrixFree(handle) == 0;
}

/// <summary>An XGBoost Booster (XGBoosterFree on release). It keeps the DMatrices it trains on alive until it is freed,
/// because the native booster caches pointers to them.</summary>
internal sealed class SafeBoosterHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    private readonly List<SafeDMatrixHandle> _pinned = [];

    /// <summary>AddRefs a DMatrix the native booster refers to; released after the booster is freed.</summary>
    internal void Pin(SafeDMatrixHandle matrix)
    {
        var added = false;
        matrix.DangerousAddRef(ref added);
        if (added) lock (_pinned) _pinned.Add(matrix);
    }

    protected override bool ReleaseHandle()
    {
        var ok = XgBoostNative.BoosterFree(handle) == 0;
        lock (_pinned)
        {
            foreach (var m in _pinned) m.DangerousRelease();
            _pinned.Clear();
        }
        return ok;
    }
}

/// <summary>XGBoost reported an error; <see cref="Exception.Message"/> carries its text and the C function that failed.</summary>
public sealed class XgBoostException(string function, string message) : Exception($"{function}: {message}")
{
    /// <summary>The XGBoost C API function that returned an error.</summary>
    public string Function { get; } = function;
}

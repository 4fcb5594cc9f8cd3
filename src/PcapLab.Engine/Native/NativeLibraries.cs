using System.Reflection;
using System.Runtime.InteropServices;

namespace PcapLab.Native;

/// <summary>
/// The one place that finds PcapLab's native libraries: the application folder first, then the environment variable
/// PCAPLAB_LIB&lt;NAME&gt; (e.g. PCAPLAB_LIBDUCKDB=/path/libduckdb.so), then the system loader.
/// A missing library becomes one clear error saying how to install it.
/// </summary>
public static class NativeLibraries
{
    /// <summary>Library names as used in LibraryImport.</summary>
    public const string DuckDb = "duckdb", Pcap = "pcap", Zmq = "zmq", XgBoost = "xgboost";

    private static readonly (string Name, string[] Files, string Install)[] Known =
    [
        (DuckDb, ["libduckdb.so"], "run ./build.sh (it fetches the pinned @duckdb/node-bindings-linux-x64 package), or set PCAPLAB_LIBDUCKDB"),
        (Pcap, ["libpcap.so.0.8", "libpcap.so.1", "libpcap.so"], "apt-get install libpcap0.8"),
        (Zmq, ["libzmq.so.5", "libzmq.so"], "apt-get install libzmq5"),
        (XgBoost, ["libxgboost.so.0", "libxgboost.so"], "apt-get install libxgboost0"),
    ];

    private static int _registered;

    /// <summary>Installs the resolver for an assembly whose LibraryImports use the names above. Idempotent per assembly.</summary>
    public static void Register(Assembly assembly)
    {
        try { NativeLibrary.SetDllImportResolver(assembly, Resolve); }
        catch (InvalidOperationException) { /* already registered for this assembly */ }
    }

    /// <summary>Registers the engine assembly's resolver once; called from the bindings' static constructors.</summary>
    internal static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0) Register(typeof(NativeLibraries).Assembly);
    }

    /// <summary>Loads a known library now, throwing <see cref="NativeLibraryMissingException"/> when it is not installed.</summary>
    public static nint Load(string name) =>
        Resolve(name, typeof(NativeLibraries).Assembly, null) is var h && h != 0 ? h
            : throw new NativeLibraryMissingException(name, InstallHint(name));

    /// <summary>True when the library can be loaded.</summary>
    public static bool IsAvailable(string name) => Resolve(name, typeof(NativeLibraries).Assembly, null) != 0;

    private static string InstallHint(string name) =>
        Array.Find(Known, k => k.Name == name).Install ?? "install it";

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        var known = Array.Find(Known, k => k.Name == name);
        if (known.Name is null) return 0;
        nint h;
        foreach (var dir in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(assembly.Location) })
        {
            if (string.IsNullOrEmpty(dir)) continue;
            foreach (var f in known.Files)
                if (NativeLibrary.TryLoad(Path.Combine(dir, f), out h)) return h;
        }
        var env = Environment.GetEnvironmentVariable("PCAPLAB_LIB" + name.ToUpperInvariant());
        if (!string.IsNullOrEmpty(env) && NativeLibrary.TryLoad(env, out h)) return h;
        foreach (var f in known.Files)
            if (NativeLibrary.TryLoad(f, out h)) return h;
        return 0;
    }
}

/// <summary>A native library PcapLab needs is not installed or cannot be loaded.</summary>
public sealed class NativeLibraryMissingException(string library, string install)
    : Exception($"native library '{library}' was not found: {install}")
{
    /// <summary>The library's short name (duckdb, pcap, zmq, xgboost).</summary>
    public string Library { get; } = library;
}

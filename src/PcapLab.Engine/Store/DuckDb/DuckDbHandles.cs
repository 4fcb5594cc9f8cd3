using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PcapLab.Store.DuckDb;

/// <summary>
/// A native object that depends on another one (connection → database, statement → connection, ...): it AddRefs its
/// parent once created, so the parent's native release waits until every child is released, whatever the order of Dispose.
/// </summary>
internal abstract class DuckChildHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    private SafeHandle? _parent;

    /// <summary>Pins <paramref name="parent"/> until this handle is released.</summary>
    internal void Pin(SafeHandle parent)
    {
        bool added = false;
        parent.DangerousAddRef(ref added);
        _parent = parent;
    }

    protected sealed override bool ReleaseHandle()
    {
        Destroy();
        _parent?.DangerousRelease();
        return true;
    }

    /// <summary>The C destroy function.</summary>
    protected abstract void Destroy();
}

internal sealed class DuckDatabaseHandle() : SafeHandleZeroOrMinusOneIsInvalid(true) { protected override bool ReleaseHandle() { NativeMethods.Startup.Close(ref handle); return true; } }
internal sealed class DuckConfigHandle() : SafeHandleZeroOrMinusOneIsInvalid(true) { protected override bool ReleaseHandle() { NativeMethods.Configuration.Destroy(ref handle); return true; } }
internal sealed class DuckConnectionHandle() : DuckChildHandle { protected override void Destroy() => NativeMethods.Startup.Disconnect(ref handle); }
internal sealed class DuckPreparedHandle() : DuckChildHandle { protected override void Destroy() => NativeMethods.Prepared.Destroy(ref handle); }
internal sealed class DuckPendingHandle() : DuckChildHandle { protected override void Destroy() => NativeMethods.Pending.Destroy(ref handle); }
internal sealed class DuckAppenderHandle() : DuckChildHandle { protected override void Destroy() => NativeMethods.Appender.Destroy(ref handle); }
internal sealed class DuckLogicalTypeHandle() : SafeHandleZeroOrMinusOneIsInvalid(true) { protected override bool ReleaseHandle() { NativeMethods.LogicalType.Destroy(ref handle); return true; } }
internal sealed class DuckDataChunkHandle() : SafeHandleZeroOrMinusOneIsInvalid(true) { protected override bool ReleaseHandle() { NativeMethods.DataChunk.Destroy(ref handle); return true; } }
internal sealed class DuckValueHandle() : SafeHandleZeroOrMinusOneIsInvalid(true) { protected override bool ReleaseHandle() { NativeMethods.Value.Destroy(ref handle); return true; } }
internal sealed class DuckErrorDataHandle() : SafeHandleZeroOrMinusOneIsInvalid(true) { protected override bool ReleaseHandle() { NativeMethods.ErrorData.Destroy(ref handle); return true; } }

/// <summary>A duckdb_result living in native memory (the C API fills a caller-owned struct); release = destroy + free.</summary>
internal sealed unsafe class DuckResultHandle : DuckChildHandle
{
    public DuckResultHandle() => SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(DuckDbResultStruct)));

    /// <summary>The struct, for the C functions that take duckdb_result by value. Caller keeps the handle alive.</summary>
    internal DuckDbResultStruct Value => *(DuckDbResultStruct*)handle;

    protected override void Destroy()
    {
        NativeMethods.Query.DestroyResult(handle);
        NativeMemory.Free((void*)handle);
    }
}

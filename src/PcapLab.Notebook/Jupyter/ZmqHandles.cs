using System.Runtime.InteropServices;

namespace PcapLab.Notebook.Jupyter;

/// <summary>A zmq context; released with zmq_ctx_term once every socket pinning it is closed.</summary>
internal sealed class SafeZmqContextHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    /// <summary>Makes blocking calls on every socket of the context return ETERM (thread-safe, used to stop the kernel).</summary>
    public void Shutdown()
    {
        bool added = false;
        try { DangerousAddRef(ref added); Interop.Zmq.CtxShutdown(handle); }
        finally { if (added) DangerousRelease(); }
    }

    protected override bool ReleaseHandle()
    {
        // zmq_ctx_term can be interrupted by a signal; retry as the man page says.
        while (Interop.Zmq.CtxTerm(handle) != 0 && Interop.Zmq.Errno() == Interop.Zmq.EIntr) { }
        return true;
    }
}

/// <summary>A zmq socket; it pins its context so the context outlives it.</summary>
internal sealed class SafeZmqSocketHandle : SafeHandle
{
    private SafeZmqContextHandle? _context;

    public SafeZmqSocketHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    internal void PinContext(SafeZmqContextHandle context)
    {
        bool added = false;
        context.DangerousAddRef(ref added);
        _context = context;
    }

    protected override bool ReleaseHandle()
    {
        Interop.Zmq.Close(handle);
        _context?.DangerousRelease();
        return true;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace PcapLab.Notebook.Jupyter;

/// <summary>A libzmq call failed; the message is zmq_strerror of zmq_errno, prefixed by the C function's name.</summary>
internal sealed class ZmqException(string function, int errno)
    : Exception($"{function}: {Marshal.PtrToStringUTF8(Interop.Zmq.StrError(errno))} (errno {errno})")
{
    /// <summary>The zmq errno (EAGAIN, ETERM...).</summary>
    public int Errno { get; } = errno;

    /// <summary>True when the context was shut down: the socket's owner should close it and stop.</summary>
    public bool IsTerminated => Errno == Interop.Zmq.ETerm;

    /// <summary>The one error seam: returns a non-negative result or throws with zmq_errno.</summary>
    internal static int Check(int rc, string function) => rc >= 0 ? rc : Throw(function);

    [DoesNotReturn]
    private static int Throw(string function) => throw new ZmqException(function, Interop.Zmq.Errno());
}

/// <summary>A zmq context owning the kernel's sockets.</summary>
internal sealed class ZmqContext : IDisposable
{
    internal readonly SafeZmqContextHandle Handle = new();

    public ZmqContext()
    {
        var h = Interop.Zmq.CtxNew();
        if (h == 0) throw new ZmqException("zmq_ctx_new", Interop.Zmq.Errno());
        Marshal.InitHandle(Handle, h);
    }

    /// <summary>Creates a socket of a zmq type (<see cref="Interop.Zmq.Router"/>, <see cref="Interop.Zmq.Pub"/>).</summary>
    public ZmqSocket Socket(int type)
    {
        var s = new SafeZmqSocketHandle();
        s.PinContext(Handle);
        var h = Interop.Zmq.Socket(Handle, type);
        if (h == 0) { var e = Interop.Zmq.Errno(); s.Dispose(); throw new ZmqException("zmq_socket", e); }
        Marshal.InitHandle(s, h);
        return new ZmqSocket(s);
    }

    /// <summary>Unblocks every socket of this context (their calls throw ETERM); thread-safe.</summary>
    public void Shutdown() => Handle.Shutdown();

    public void Dispose() => Handle.Dispose();
}

/// <summary>One zmq socket, used from one thread at a time (zmq sockets are not thread-safe).</summary>
internal sealed class ZmqSocket(SafeZmqSocketHandle handle) : IDisposable
{
    internal readonly SafeZmqSocketHandle Handle = handle;

    public void Bind(string endpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ZmqException.Check(Interop.Zmq.Bind(Handle, endpoint), "zmq_bind(" + endpoint + ")");
    }

    public unsafe void SetOption(int option, int value) =>
        ZmqException.Check(Interop.Zmq.SetSockOpt(Handle, option, &value, sizeof(int)), "zmq_setsockopt");

    /// <summary>Sends all frames as one multipart message; blocks unless the socket drops (PUB).</summary>
    public void Send(IReadOnlyList<ReadOnlyMemory<byte>> frames)
    {
        for (int i = 0; i < frames.Count; i++)
            SendFrame(frames[i].Span, i < frames.Count - 1 ? Interop.Zmq.SndMore : 0);
    }

    private unsafe void SendFrame(ReadOnlySpan<byte> data, int flags)
    {
        var msg = new Interop.Zmq.Msg();
        ZmqException.Check(Interop.Zmq.MsgInitSize(ref msg, (nuint)data.Length), "zmq_msg_init_size");
        data.CopyTo(new Span<byte>((void*)Interop.Zmq.MsgData(ref msg), data.Length));
        while (true)
        {
            if (Interop.Zmq.MsgSend(ref msg, Handle, flags) >= 0) return; // zmq owns the message now
            var errno = Interop.Zmq.Errno();
            if (errno == Interop.Zmq.EIntr) continue;
            Interop.Zmq.MsgClose(ref msg);
            throw new ZmqException("zmq_msg_send", errno);
        }
    }

    /// <summary>Receives one whole multipart message into <paramref name="frames"/>; false when none is waiting (non-blocking).</summary>
    public bool TryReceive(List<byte[]> frames)
    {
        frames.Clear();
        while (true)
        {
            var msg = new Interop.Zmq.Msg();
            ZmqException.Check(Interop.Zmq.MsgInit(ref msg), "zmq_msg_init");
            try
            {
                int flags = frames.Count == 0 ? Interop.Zmq.DontWait : 0; // later frames of a message are already here
                int n;
                while ((n = Interop.Zmq.MsgRecv(ref msg, Handle, flags)) < 0)
                {
                    var errno = Interop.Zmq.Errno();
                    if (errno == Interop.Zmq.EIntr) continue;
                    if (errno == Interop.Zmq.EAgain && frames.Count == 0) return false;
                    throw new ZmqException("zmq_msg_recv", errno);
                }
                frames.Add(ToArray(ref msg, n));
                if (Interop.Zmq.MsgMore(ref msg) == 0) return true;
            }
            finally { Interop.Zmq.MsgClose(ref msg); }
        }
    }

    private static unsafe byte[] ToArray(ref Interop.Zmq.Msg msg, int length) =>
        new ReadOnlySpan<byte>((void*)Interop.Zmq.MsgData(ref msg), length).ToArray();

    /// <summary>Waits until this socket is readable, or the file descriptor <paramref name="wakeFd"/> is (−1: none).
    /// Returns (socketReadable, wakeReadable); both false on timeout.</summary>
    public unsafe (bool Socket, bool Wake) Poll(int timeoutMs, int wakeFd = -1)
    {
        bool added = false;
        try
        {
            Handle.DangerousAddRef(ref added);
            var items = stackalloc Interop.Zmq.PollItem[2];
            items[0] = new Interop.Zmq.PollItem { Socket = Handle.DangerousGetHandle(), Events = Interop.Zmq.PollIn };
            items[1] = new Interop.Zmq.PollItem { Socket = 0, Fd = wakeFd, Events = Interop.Zmq.PollIn };
            int count = wakeFd >= 0 ? 2 : 1;
            int rc;
            while ((rc = Interop.Zmq.Poll(items, count, timeoutMs)) < 0 && Interop.Zmq.Errno() == Interop.Zmq.EIntr) { }
            ZmqException.Check(rc, "zmq_poll");
            return ((items[0].REvents & Interop.Zmq.PollIn) != 0, count == 2 && (items[1].REvents & Interop.Zmq.PollIn) != 0);
        }
        finally { if (added) Handle.DangerousRelease(); }
    }

    public void Dispose() => Handle.Dispose();
}

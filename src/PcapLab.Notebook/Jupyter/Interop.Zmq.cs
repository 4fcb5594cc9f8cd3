using System.Runtime.InteropServices;
using PcapLab.Native;

namespace PcapLab.Notebook.Jupyter;

/// <summary>libzmq C API (zmq.h, libzmq 4.3). Thin: no logic, every call's result is checked by <see cref="ZmqException.Check"/>.</summary>
internal static partial class Interop
{
    internal static partial class Zmq
    {
        internal const int Pub = 1, Router = 6;
        internal const int RcvMore = 13, Linger = 17, SndHwm = 23, RcvHwm = 24, RouterHandover = 56;
        internal const int DontWait = 1, SndMore = 2;
        internal const short PollIn = 1;
        internal const int EAgain = 11, EIntr = 4, ETerm = 156384712 + 53;

        static Zmq() => NativeLibraries.Register(typeof(Zmq).Assembly);

        /// <summary>zmq_msg_t: 64 opaque bytes, pointer-aligned (the longs give the alignment).</summary>
        [StructLayout(LayoutKind.Sequential, Size = 64)]
        internal struct Msg { private long _a, _b, _c, _d, _e, _f, _g, _h; }

        [StructLayout(LayoutKind.Sequential)]
        internal struct PollItem { public nint Socket; public int Fd; public short Events; public short REvents; }

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_errno")]
        internal static partial int Errno();

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_strerror")]
        internal static partial nint StrError(int errnum);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_version")]
        internal static partial void Version(out int major, out int minor, out int patch);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_ctx_new")]
        internal static partial nint CtxNew();

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_ctx_shutdown")]
        internal static partial int CtxShutdown(nint ctx);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_ctx_term")]
        internal static partial int CtxTerm(nint ctx);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_socket")]
        internal static partial nint Socket(SafeZmqContextHandle ctx, int type);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_close")]
        internal static partial int Close(nint socket);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_bind", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Bind(SafeZmqSocketHandle socket, string endpoint);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_setsockopt")]
        internal static unsafe partial int SetSockOpt(SafeZmqSocketHandle socket, int option, void* value, nuint length);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_getsockopt")]
        internal static unsafe partial int GetSockOpt(SafeZmqSocketHandle socket, int option, void* value, ref nuint length);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_msg_init")]
        internal static partial int MsgInit(ref Msg msg);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_msg_init_size")]
        internal static partial int MsgInitSize(ref Msg msg, nuint size);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_msg_send")]
        internal static partial int MsgSend(ref Msg msg, SafeZmqSocketHandle socket, int flags);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_msg_recv")]
        internal static partial int MsgRecv(ref Msg msg, SafeZmqSocketHandle socket, int flags);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_msg_close")]
        internal static partial int MsgClose(ref Msg msg);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_msg_data")]
        [SuppressGCTransition] // trivial accessor, never blocks
        internal static partial nint MsgData(ref Msg msg);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_msg_size")]
        [SuppressGCTransition]
        internal static partial nuint MsgSize(ref Msg msg);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_msg_more")]
        [SuppressGCTransition]
        internal static partial int MsgMore(ref Msg msg);

        [LibraryImport(NativeLibraries.Zmq, EntryPoint = "zmq_poll")]
        internal static unsafe partial int Poll(PollItem* items, int count, nint timeoutMs);
    }
}

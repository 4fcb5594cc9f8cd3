using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using PcapLab.Native;

namespace PcapLab.Live;

/// <summary>
/// libpcap's live-capture API (pcap/pcap.h of Debian's libpcap0.8), thin: no logic beyond marshalling.
/// Errors are turned into <see cref="CaptureException"/> by <see cref="PcapErrors"/>, the one seam.
/// </summary>
internal static partial class PcapNative
{
    static PcapNative() => NativeLibraries.EnsureRegistered();

    /// <summary>PCAP_ERRBUF_SIZE: every errbuf libpcap writes into.</summary>
    internal const int ErrbufSize = 256;
    /// <summary>PCAP_TSTAMP_PRECISION_MICRO / _NANO.</summary>
    internal const int TstampPrecisionMicro = 0, TstampPrecisionNano = 1;
    /// <summary>PCAP_NETMASK_UNKNOWN: the netmask argument of pcap_compile when none is known.</summary>
    internal const uint NetmaskUnknown = 0xffffffff;

    /// <summary>Throws <see cref="NativeLibraryMissingException"/> when libpcap is absent, before any P/Invoke fails obscurely.</summary>
    internal static void EnsureLoaded() => NativeLibraries.Load(NativeLibraries.Pcap);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_findalldevs")]
    internal static unsafe partial int FindAllDevs(out nint devices, byte* errbuf);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_freealldevs")]
    internal static partial void FreeAllDevs(nint devices);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial SafePcapHandle Create(string device, byte* errbuf);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_close")]
    internal static partial void Close(nint p);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_set_snaplen")]
    internal static partial int SetSnaplen(SafePcapHandle p, int snaplen);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_set_promisc")]
    internal static partial int SetPromisc(SafePcapHandle p, int promisc);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_set_immediate_mode")]
    internal static partial int SetImmediateMode(SafePcapHandle p, int immediate);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_set_buffer_size")]
    internal static partial int SetBufferSize(SafePcapHandle p, int bytes);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_set_timeout")]
    internal static partial int SetTimeout(SafePcapHandle p, int milliseconds);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_set_tstamp_precision")]
    internal static partial int SetTstampPrecision(SafePcapHandle p, int precision);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_get_tstamp_precision")]
    internal static partial int GetTstampPrecision(SafePcapHandle p);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_activate")]
    internal static partial int Activate(SafePcapHandle p);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_datalink")]
    internal static partial int Datalink(SafePcapHandle p);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_snapshot")]
    internal static partial int Snapshot(SafePcapHandle p);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_compile", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Compile(SafePcapHandle p, SafeBpfProgramHandle program, string filter, int optimize, uint netmask);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_freecode")]
    internal static partial void FreeCode(nint program);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_setfilter")]
    internal static partial int SetFilter(SafePcapHandle p, SafeBpfProgramHandle program);

    // Blocks up to the read timeout; the GC transition stays so other threads can collect meanwhile.
    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_next_ex")]
    internal static unsafe partial int NextEx(SafePcapHandle p, out PcapPacketHeader* header, out byte* data);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_stats")]
    internal static partial int Stats(SafePcapHandle p, out PcapStat stats);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_breakloop")]
    internal static partial void BreakLoop(SafePcapHandle p);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_geterr")]
    internal static partial nint GetErr(SafePcapHandle p);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_statustostr")]
    internal static partial nint StatusToStr(int status);

    [LibraryImport(NativeLibraries.Pcap, EntryPoint = "pcap_lib_version")]
    internal static partial nint LibVersion();

    /// <summary>struct pcap_pkthdr on LP64: struct timeval (two longs), caplen, len.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PcapPacketHeader
    {
        public long Seconds;
        /// <summary>Microseconds, or nanoseconds when the handle's precision is nano.</summary>
        public long Fraction;
        public uint CapLen;
        public uint Len;
    }

    /// <summary>struct pcap_stat (non-Windows layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PcapStat
    {
        public uint Received;
        public uint Dropped;
        public uint InterfaceDropped;
    }

    /// <summary>struct pcap_if.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PcapIf
    {
        public nint Next;
        public nint Name;
        public nint Description;
        public nint Addresses;
        public uint Flags;
    }

    /// <summary>struct pcap_addr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PcapAddr
    {
        public nint Next;
        public nint Addr;
        public nint Netmask;
        public nint BroadAddr;
        public nint DstAddr;
    }

    /// <summary>PCAP_IF_* flag bits.</summary>
    [Flags]
    internal enum IfFlags : uint
    {
        Loopback = 0x1, Up = 0x2, Running = 0x4, Wireless = 0x8, ConnectionStatusMask = 0x30,
    }

    /// <summary>PCAP_ERROR_* and PCAP_WARNING_* return codes.</summary>
    internal enum Status
    {
        Ok = 0,
        Warning = 1, WarningPromiscNotSup = 2, WarningTstampTypeNotSup = 3,
        Error = -1, Break = -2, NotActivated = -3, Activated = -4, NoSuchDevice = -5, RfmonNotSup = -6, NotRfmon = -7,
        PermDenied = -8, IfaceNotUp = -9, CantSetTstampType = -10, PromiscPermDenied = -11, TstampPrecisionNotSup = -12,
    }
}

/// <summary>A pcap_t; releasing it calls pcap_close.</summary>
internal sealed class SafePcapHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle() { PcapNative.Close(handle); return true; }
}

/// <summary>
/// A compiled BPF program: a struct bpf_program in native memory that pcap_compile fills.
/// Releasing it frees the instructions (pcap_freecode) and then the struct.
/// </summary>
internal sealed unsafe class SafeBpfProgramHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeBpfProgramHandle() : base(ownsHandle: true) =>
        SetHandle((nint)NativeMemory.AllocZeroed(16)); // sizeof(struct bpf_program) on LP64: u_int + padding + pointer

    protected override bool ReleaseHandle()
    {
        PcapNative.FreeCode(handle); // safe on a zeroed program too: it frees a null pointer
        NativeMemory.Free((void*)handle);
        return true;
    }
}

/// <summary>The one place libpcap's return codes become exceptions with messages an analyst can act on.</summary>
internal static class PcapErrors
{
    /// <summary>libpcap's own text for the last error on <paramref name="p"/> (pcap_geterr).</summary>
    internal static string LastError(SafePcapHandle p) =>
        Marshal.PtrToStringUTF8(PcapNative.GetErr(p)) is { Length: > 0 } s ? s : "unknown libpcap error";

    /// <summary>The text an errbuf holds after a failed call.</summary>
    internal static unsafe string FromErrbuf(byte* errbuf) =>
        Marshal.PtrToStringUTF8((nint)errbuf) is { Length: > 0 } s ? s : "unknown libpcap error";

    /// <summary>Returns <paramref name="rc"/> when it is not an error, else throws naming the call and the interface.</summary>
    internal static int Check(int rc, SafePcapHandle p, string function, string device)
    {
        if (rc >= 0) return rc;
        throw ForStatus(rc, p, function, device);
    }

    /// <summary>Maps a pcap_activate (or setter) failure to a <see cref="CaptureException"/> whose message says what to do.</summary>
    internal static CaptureException ForStatus(int rc, SafePcapHandle p, string function, string device)
    {
        var status = (PcapNative.Status)rc;
        // pcap_geterr is meaningful for PCAP_ERROR, PERM_DENIED and NO_SUCH_DEVICE; for the others pcap_statustostr is.
        string detail = status is PcapNative.Status.Error or PcapNative.Status.PermDenied or PcapNative.Status.NoSuchDevice
            or PcapNative.Status.PromiscPermDenied
            ? LastError(p)
            : Marshal.PtrToStringUTF8(PcapNative.StatusToStr(rc)) ?? status.ToString();
        return status switch
        {
            PcapNative.Status.PermDenied or PcapNative.Status.PromiscPermDenied => CaptureException.PermissionDenied(device, detail),
            PcapNative.Status.NoSuchDevice => new CaptureException(CaptureErrorKind.NoSuchInterface,
                $"no interface named '{device}' ({detail}); list them with `pcaplab capture --list`"),
            PcapNative.Status.IfaceNotUp => new CaptureException(CaptureErrorKind.InterfaceDown,
                $"interface '{device}' is down; bring it up first (ip link set {device} up)"),
            _ => new CaptureException(CaptureErrorKind.Failed, $"{function} on '{device}' failed: {detail}"),
        };
    }
}

namespace PcapLab.Live;

/// <summary>Why a live capture could not start or had to stop.</summary>
public enum CaptureErrorKind
{
    /// <summary>The process lacks CAP_NET_RAW / CAP_NET_ADMIN (or is not root).</summary>
    PermissionDenied,
    /// <summary>No interface has the given name.</summary>
    NoSuchInterface,
    /// <summary>The interface exists but is down.</summary>
    InterfaceDown,
    /// <summary>The BPF filter does not compile; the message is libpcap's.</summary>
    BadFilter,
    /// <summary>The output file could not be written.</summary>
    OutputFailed,
    /// <summary>Any other libpcap failure; the message is libpcap's.</summary>
    Failed,
}

/// <summary>A live capture failed; the message says what happened and, where it can, what to do about it.</summary>
public sealed class CaptureException(CaptureErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What kind of failure this is.</summary>
    public CaptureErrorKind Kind { get; } = kind;

    /// <summary>The missing-privilege error, naming the capabilities and how to grant them to this very program.</summary>
    internal static CaptureException PermissionDenied(string device, string detail)
    {
        var program = Environment.ProcessPath ?? "pcaplab";
        return new CaptureException(CaptureErrorKind.PermissionDenied,
            $"capturing on '{device}' needs the CAP_NET_RAW capability (and CAP_NET_ADMIN for buffer and promiscuous settings), " +
            $"or root ({detail}). Run as root, or grant them once with: sudo setcap cap_net_raw,cap_net_admin=eip {program}");
    }
}

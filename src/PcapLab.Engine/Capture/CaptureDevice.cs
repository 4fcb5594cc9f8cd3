using System.Net;
using System.Runtime.InteropServices;

namespace PcapLab.Live;

/// <summary>One address of an interface, as libpcap lists it.</summary>
/// <param name="Family"><c>ipv4</c>, <c>ipv6</c> or <c>link</c> (the hardware address of an AF_PACKET entry).</param>
/// <param name="Address">The address in its usual text form (<c>127.0.0.1</c>, <c>::1</c>, <c>02:fc:00:00:00:01</c>).</param>
/// <param name="Netmask">The netmask (IPv4 dotted or IPv6 text), or null.</param>
public sealed record CaptureDeviceAddress(string Family, string Address, string? Netmask)
{
    /// <summary>The netmask as a prefix length (24 for 255.255.255.0), or null when there is none or it is not contiguous.</summary>
    public int? PrefixLength
    {
        get
        {
            if (Netmask is null || !IPAddress.TryParse(Netmask, out var mask)) return null;
            int bits = 0; bool ended = false;
            foreach (byte b in mask.GetAddressBytes())
                for (int i = 7; i >= 0; i--)
                {
                    bool one = (b >> i & 1) == 1;
                    if (one && ended) return null;
                    if (one) bits++; else ended = true;
                }
            return bits;
        }
    }

    /// <summary>CIDR form (<c>127.0.0.1/8</c>), or the bare address when there is no netmask.</summary>
    public override string ToString() => PrefixLength is { } p ? $"{Address}/{p}" : Netmask is null ? Address : $"{Address}/{Netmask}";
}

/// <summary>An interface that can be captured on (pcap_findalldevs).</summary>
/// <param name="Name">The name to pass to a capture, e.g. <c>eth0</c>, <c>lo</c>, <c>any</c>.</param>
/// <param name="Description">libpcap's description, or null (Linux rarely has one).</param>
/// <param name="Addresses">Its addresses.</param>
/// <param name="IsUp">The interface is administratively up.</param>
/// <param name="IsRunning">The interface is running (link up).</param>
/// <param name="IsLoopback">The loopback interface.</param>
/// <param name="IsWireless">A wireless interface (not necessarily Wi-Fi).</param>
public sealed record CaptureDevice(string Name, string? Description, IReadOnlyList<CaptureDeviceAddress> Addresses,
    bool IsUp, bool IsRunning, bool IsLoopback, bool IsWireless)
{
    /// <summary>The flags as words, e.g. <c>up running loopback</c>.</summary>
    public string FlagText => string.Join(' ', new[] { IsUp ? "up" : null, IsRunning ? "running" : null, IsLoopback ? "loopback" : null,
        IsWireless ? "wireless" : null }.Where(f => f != null));

    /// <summary>Every interface libpcap can open, in its order (up and running ones first).</summary>
    /// <exception cref="CaptureException">libpcap could not enumerate the interfaces.</exception>
    public static unsafe IReadOnlyList<CaptureDevice> List()
    {
        PcapNative.EnsureLoaded();
        byte* errbuf = stackalloc byte[PcapNative.ErrbufSize];
        errbuf[0] = 0;
        if (PcapNative.FindAllDevs(out nint head, errbuf) != 0)
            throw new CaptureException(CaptureErrorKind.Failed, "listing interfaces failed: " + PcapErrors.FromErrbuf(errbuf));
        try
        {
            var result = new List<CaptureDevice>();
            for (nint p = head; p != 0;)
            {
                var dev = Marshal.PtrToStructure<PcapNative.PcapIf>(p);
                var flags = (PcapNative.IfFlags)dev.Flags;
                result.Add(new CaptureDevice(Marshal.PtrToStringUTF8(dev.Name) ?? "", Marshal.PtrToStringUTF8(dev.Description),
                    ReadAddresses(dev.Addresses), flags.HasFlag(PcapNative.IfFlags.Up), flags.HasFlag(PcapNative.IfFlags.Running),
                    flags.HasFlag(PcapNative.IfFlags.Loopback), flags.HasFlag(PcapNative.IfFlags.Wireless)));
                p = dev.Next;
            }
            return result;
        }
        finally
        {
            PcapNative.FreeAllDevs(head);
        }
    }

    private static List<CaptureDeviceAddress> ReadAddresses(nint head)
    {
        var list = new List<CaptureDeviceAddress>();
        for (nint p = head; p != 0;)
        {
            var a = Marshal.PtrToStructure<PcapNative.PcapAddr>(p);
            if (Sockaddr(a.Addr) is { } addr)
                list.Add(new CaptureDeviceAddress(addr.Family, addr.Text, addr.Family == "link" ? null : Sockaddr(a.Netmask)?.Text));
            p = a.Next;
        }
        return list;
    }

    // Linux sockaddr layouts: family (u16) first; AF_INET address at 4, AF_INET6 at 8, AF_PACKET's sll_halen at 11 and sll_addr at 12.
    private const int AfInet = 2, AfInet6 = 10, AfPacket = 17;

    private static unsafe (string Family, string Text)? Sockaddr(nint sa)
    {
        if (sa == 0) return null;
        var s = new ReadOnlySpan<byte>((void*)sa, 20);
        switch (MemoryMarshal.Read<ushort>(s)) // host byte order
        {
            case AfInet: return ("ipv4", new IPAddress(s.Slice(4, 4)).ToString());
            case AfInet6: return ("ipv6", new IPAddress(new ReadOnlySpan<byte>((void*)(sa + 8), 16)).ToString());
            case AfPacket:
                int len = Math.Min((int)s[11], 8);
                return len == 0 ? null : ("link", string.Join(':', s.Slice(12, len).ToArray().Select(b => b.ToString("x2"))));
            default: return null;
        }
    }
}

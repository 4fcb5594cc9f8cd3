namespace PcapLab.Read;

/// <summary>
/// A capture's data-link type (the LINKTYPE_* registry used by pcap and pcapng).
/// Only the values PcapLab decodes are named; any other value is kept as its number and counted, never dropped.
/// </summary>
public enum LinkType : ushort
{
    /// <summary>BSD loopback: a 4-byte address family in host byte order, then the IP packet.</summary>
    Null = 0,
    /// <summary>Ethernet II / 802.3.</summary>
    Ethernet = 1,
    /// <summary>PPP (RFC 1661), optionally with HDLC-like framing.</summary>
    Ppp = 9,
    /// <summary>Raw IP, as written by some BSDs (DLT 12).</summary>
    RawBsd12 = 12,
    /// <summary>Raw IP, as written by OpenBSD (DLT 14).</summary>
    RawBsd14 = 14,
    /// <summary>Raw IPv4 or IPv6, version from the first nibble.</summary>
    Raw = 101,
    /// <summary>Cisco HDLC.</summary>
    CiscoHdlc = 104,
    /// <summary>OpenBSD loopback: a 4-byte address family in network byte order.</summary>
    Loop = 108,
    /// <summary>Linux cooked capture v1 (tcpdump -i any, older libpcap).</summary>
    LinuxSll = 113,
    /// <summary>Raw IPv4 only.</summary>
    Ipv4 = 228,
    /// <summary>Raw IPv6 only.</summary>
    Ipv6 = 229,
    /// <summary>Linux cooked capture v2 (tcpdump -i any, libpcap 1.10+).</summary>
    LinuxSll2 = 276,
}

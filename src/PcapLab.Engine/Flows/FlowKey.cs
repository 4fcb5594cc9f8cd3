using PcapLab.Dissect;

namespace PcapLab.Flows;

/// <summary>
/// The direction-free identity of a flow: both endpoints in canonical order (smaller address:port first), the
/// transport protocol, VLAN ids and the tunnel context, so that both directions of one connection share a key.
/// ICMP "ports" are Zeek's: the type and its counterpart type (request/reply pairs) or the code (one-way messages).
/// </summary>
internal readonly struct FlowKey : IEquatable<FlowKey>
{
    public readonly ulong AHi, ALo, BHi, BLo;
    public readonly ulong OuterAHi, OuterALo, OuterBHi, OuterBLo;
    public readonly uint TunnelId;
    public readonly ushort PortA, PortB;
    public readonly short Vlan, InnerVlan;
    public readonly byte Proto, IpVersion, OuterVersion;
    public readonly TunnelKind Tunnel;

    private FlowKey(in PacketInfo p, bool swap, ushort srcPort, ushort dstPort)
    {
        IpAddr a = swap ? p.DstIp : p.SrcIp, b = swap ? p.SrcIp : p.DstIp;
        AHi = a.Hi; ALo = a.Lo; BHi = b.Hi; BLo = b.Lo;
        PortA = swap ? dstPort : srcPort; PortB = swap ? srcPort : dstPort;
        Proto = p.IpProto; IpVersion = p.IpVersion; Vlan = p.Vlan; InnerVlan = p.InnerVlan;
        Tunnel = p.Tunnel; TunnelId = p.TunnelId;
        if (p.Tunnel != TunnelKind.None)
        {
            // Outer endpoints are ordered on their own: the inner order says nothing about the outer one.
            var (oa, ob) = p.OuterSrcIp.CompareTo(p.OuterDstIp) <= 0 ? (p.OuterSrcIp, p.OuterDstIp) : (p.OuterDstIp, p.OuterSrcIp);
            OuterAHi = oa.Hi; OuterALo = oa.Lo; OuterBHi = ob.Hi; OuterBLo = ob.Lo; OuterVersion = oa.Version;
        }
    }

    /// <summary>Endpoint A (the smaller one) as an address.</summary>
    public IpAddr A => Make(AHi, ALo, IpVersion);
    /// <summary>Endpoint B as an address.</summary>
    public IpAddr B => Make(BHi, BLo, IpVersion);

    private static IpAddr Make(ulong hi, ulong lo, byte version)
    {
        Span<byte> b = stackalloc byte[16];
        if (version == 4) return IpAddr.V4((uint)lo);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b, hi);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b[8..], lo);
        return IpAddr.V6(b);
    }

    /// <summary>
    /// Builds the key of a packet; <paramref name="fromA"/> tells whether the packet was sent by endpoint A.
    /// Returns false for packets that cannot be put in a flow (no IP layer, or a non-first fragment without ports).
    /// </summary>
    public static bool TryCreate(in PacketInfo p, out FlowKey key, out bool fromA)
    {
        key = default; fromA = true;
        if (p.IpVersion == 0 || !p.SrcIp.IsSet || (p.Frag & FragmentFlags.NonFirst) != 0) return false;
        ushort sp, dp;
        bool oneWay = false;
        switch (p.IpProto)
        {
            case 6 or 17 or 132:
                sp = p.SrcPort; dp = p.DstPort; break;
            case 1 or 58:
                if (p.IcmpType < 0) return false;
                sp = (ushort)p.IcmpType;
                dp = Icmp.Counterpart(p.IpProto == 58, (byte)p.IcmpType, (byte)Math.Max((short)0, p.IcmpCode), out oneWay);
                break;
            default:
                sp = 0; dp = 0; break;
        }
        int c = p.SrcIp.CompareTo(p.DstIp);
        bool swap = c > 0 || (c == 0 && sp > dp);
        key = new FlowKey(p, swap, sp, dp);
        fromA = !swap;
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(FlowKey o) =>
        ALo == o.ALo && BLo == o.BLo && PortA == o.PortA && PortB == o.PortB && AHi == o.AHi && BHi == o.BHi &&
        Proto == o.Proto && IpVersion == o.IpVersion && Vlan == o.Vlan && InnerVlan == o.InnerVlan &&
        Tunnel == o.Tunnel && TunnelId == o.TunnelId && OuterALo == o.OuterALo && OuterBLo == o.OuterBLo &&
        OuterAHi == o.OuterAHi && OuterBHi == o.OuterBHi && OuterVersion == o.OuterVersion;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FlowKey k && Equals(k);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        // Multiply-xorshift mix of the fields that vary most; the rarely-set tunnel fields are folded in cheaply.
        ulong h = ALo * 0x9E3779B97F4A7C15UL;
        h = (h ^ (h >> 29) ^ BLo) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 31) ^ AHi ^ (BHi << 1)) * 0x94D049BB133111EBUL;
        h ^= ((ulong)PortA << 48) | ((ulong)PortB << 32) | ((ulong)Proto << 24) | ((ulong)(ushort)Vlan << 8) | IpVersion;
        h = (h ^ (h >> 32)) * 0xD6E8FEB86659FD93UL;
        if (Tunnel != TunnelKind.None)
            h ^= (OuterALo * 31 + OuterBLo) ^ ((ulong)TunnelId << 7) ^ OuterAHi ^ OuterBHi ^ (ulong)Tunnel;
        h ^= (ulong)(ushort)InnerVlan << 16;
        return (int)(h ^ (h >> 32));
    }
}

/// <summary>ICMP type/code to "port" mapping, as Zeek's ICMP4_counterpart/ICMP6_counterpart (also used by Community ID).</summary>
internal static class Icmp
{
    /// <summary>
    /// Returns the destination "port": the counterpart type for request/reply messages (echo 8↔0, timestamp 13↔14,
    /// information 15↔16, router solicitation 10→9, address mask 17↔18; ICMPv6 echo 128↔129, router 133↔134,
    /// neighbor 135↔136, MLD 130↔131, node information 139↔140, home agent discovery 144↔145), else the code
    /// with <paramref name="oneWay"/> set.
    /// </summary>
    public static ushort Counterpart(bool v6, byte type, byte code, out bool oneWay)
    {
        oneWay = false;
        int r = v6
            ? type switch { 128 => 129, 129 => 128, 133 => 134, 134 => 133, 135 => 136, 136 => 135, 130 => 131, 131 => 130, 139 => 140, 140 => 139, 144 => 145, 145 => 144, _ => -1 }
            : type switch { 8 => 0, 0 => 8, 13 => 14, 14 => 13, 15 => 16, 16 => 15, 10 => 9, 17 => 18, 18 => 17, _ => -1 };
        if (r >= 0) return (ushort)r;
        oneWay = true;
        return code;
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using PcapLab.Dissect;

namespace PcapLab.Flows;

/// <summary>
/// Community ID v1 flow hashing (corelight/community-id-spec): SHA-1 over
/// seed (2 bytes, big-endian) · address · address · proto · 0 · port · port, endpoints ordered so the smaller
/// address:port comes first, base64-encoded with a "1:" prefix. ICMP uses Zeek's type/counterpart mapping and
/// one-way ICMP messages are not reordered.
/// </summary>
public static class CommunityId
{
    /// <summary>Computes the Community ID of a tuple. For ICMP/ICMPv6 pass the type and code as the ports.</summary>
    /// <param name="src">Source address.</param>
    /// <param name="dst">Destination address.</param>
    /// <param name="proto">IP protocol number.</param>
    /// <param name="srcPort">Source port, or ICMP type.</param>
    /// <param name="dstPort">Destination port, or ICMP code.</param>
    /// <param name="seed">The seed (0 by default, as in the spec).</param>
    public static string Compute(IpAddr src, IpAddr dst, byte proto, ushort srcPort, ushort dstPort, ushort seed = 0)
    {
        bool hasPorts = proto is 6 or 17 or 132 or 1 or 58;
        bool oneWay = false;
        if (proto is 1 or 58)
        {
            // The spec takes ICMP "ports" from Zeek: type, then the counterpart type or (one-way) the code.
            ushort type = srcPort;
            dstPort = Icmp.Counterpart(proto == 58, (byte)type, (byte)dstPort, out oneWay);
        }
        if (!oneWay)
        {
            int c = src.CompareTo(dst);
            if (c > 0 || (c == 0 && srcPort > dstPort))
            {
                (src, dst) = (dst, src);
                (srcPort, dstPort) = (dstPort, srcPort);
            }
        }

        Span<byte> buf = stackalloc byte[2 + 16 + 16 + 2 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(buf, seed);
        int n = 2;
        n += src.WriteBytes(buf[n..]);
        n += dst.WriteBytes(buf[n..]);
        buf[n++] = proto;
        buf[n++] = 0;
        if (hasPorts)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buf[n..], srcPort); n += 2;
            BinaryPrimitives.WriteUInt16BigEndian(buf[n..], dstPort); n += 2;
        }
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(buf[..n], digest);
        return "1:" + Convert.ToBase64String(digest);
    }
}

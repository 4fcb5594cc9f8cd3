using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace PcapLab.Dissect;

/// <summary>
/// An IPv4 or IPv6 address as a 17-byte value: no allocation, usable as part of a flow key.
/// IPv4 addresses keep only their 32 bits in <see cref="Lo"/>; formatting is canonical (dotted quad, RFC 5952 for IPv6).
/// </summary>
public readonly struct IpAddr : IEquatable<IpAddr>, IComparable<IpAddr>
{
    /// <summary>High 64 bits of an IPv6 address (network order as a big-endian number); 0 for IPv4.</summary>
    public readonly ulong Hi;
    /// <summary>Low 64 bits of an IPv6 address, or the IPv4 address in the low 32 bits.</summary>
    public readonly ulong Lo;
    /// <summary>4 or 6; 0 for "no address".</summary>
    public readonly byte Version;

    private IpAddr(ulong hi, ulong lo, byte version) { Hi = hi; Lo = lo; Version = version; }

    /// <summary>True when this holds an address.</summary>
    public bool IsSet => Version != 0;

    /// <summary>Length in bytes on the wire: 4, 16 or 0.</summary>
    public int ByteLength => Version switch { 4 => 4, 6 => 16, _ => 0 };

    /// <summary>An IPv4 address from its 32-bit big-endian value.</summary>
    public static IpAddr V4(uint address) => new(0, address, 4);

    /// <summary>An IPv4 address from 4 bytes in network order.</summary>
    public static IpAddr V4(ReadOnlySpan<byte> b) => new(0, BinaryPrimitives.ReadUInt32BigEndian(b), 4);

    /// <summary>An IPv6 address from 16 bytes in network order.</summary>
    public static IpAddr V6(ReadOnlySpan<byte> b) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(b), BinaryPrimitives.ReadUInt64BigEndian(b[8..]), 6);

    /// <summary>Writes the address in network order; returns the byte count (4, 16 or 0).</summary>
    public int WriteBytes(Span<byte> dest)
    {
        if (Version == 4) { BinaryPrimitives.WriteUInt32BigEndian(dest, (uint)Lo); return 4; }
        if (Version == 6)
        {
            BinaryPrimitives.WriteUInt64BigEndian(dest, Hi);
            BinaryPrimitives.WriteUInt64BigEndian(dest[8..], Lo);
            return 16;
        }
        return 0;
    }

    /// <summary>Parses dotted-quad IPv4 or any IPv6 text form. For tests and user input, not the packet path.</summary>
    public static IpAddr Parse(string text)
    {
        var a = System.Net.IPAddress.Parse(text);
        Span<byte> b = stackalloc byte[16];
        a.TryWriteBytes(b, out int n);
        return n == 4 ? V4(b) : V6(b);
    }

    /// <summary>Formats as canonical text (ASCII) into <paramref name="dest"/>; needs at most 39 bytes (45 for IPv4-mapped IPv6).</summary>
    public int FormatUtf8(Span<byte> dest)
    {
        if (Version == 4) return FormatV4((uint)Lo, dest);
        if (Version == 6) return FormatV6(dest);
        return 0;
    }

    private static int FormatV4(uint v, Span<byte> dest)
    {
        int pos = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            pos += WriteDecimal((byte)(v >> shift), dest[pos..]);
            if (shift != 0) dest[pos++] = (byte)'.';
        }
        return pos;
    }

    private static int WriteDecimal(byte b, Span<byte> dest)
    {
        if (b >= 100) { dest[0] = (byte)('0' + b / 100); dest[1] = (byte)('0' + b / 10 % 10); dest[2] = (byte)('0' + b % 10); return 3; }
        if (b >= 10) { dest[0] = (byte)('0' + b / 10); dest[1] = (byte)('0' + b % 10); return 2; }
        dest[0] = (byte)('0' + b); return 1;
    }

    // RFC 5952: lower-case hex, no leading zeros, the longest run (>= 2) of zero groups becomes "::" (first one on ties),
    // and ::ffff:a.b.c.d keeps its dotted tail as System.Net and tshark print it.
    private int FormatV6(Span<byte> dest)
    {
        Span<ushort> g = stackalloc ushort[8];
        for (int i = 0; i < 4; i++) { g[i] = (ushort)(Hi >> (48 - 16 * i)); g[i + 4] = (ushort)(Lo >> (48 - 16 * i)); }
        bool mapped = Hi == 0 && (Lo >> 32) == 0xFFFF;
        int groups = mapped ? 6 : 8;
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < groups;)
        {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < groups && g[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        int pos = 0;
        for (int i = 0; i < groups; i++)
        {
            if (i == bestStart)
            {
                dest[pos++] = (byte)':';
                if (i == 0) dest[pos++] = (byte)':';
                i += bestLen - 1;
                continue;
            }
            pos += WriteHex(g[i], dest[pos..]);
            if (i < groups - 1 || mapped) dest[pos++] = (byte)':';
        }
        if (mapped) pos += FormatV4((uint)Lo, dest[pos..]);
        return pos;
    }

    private static int WriteHex(ushort v, Span<byte> dest)
    {
        int digits = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1;
        for (int i = digits - 1; i >= 0; i--) { dest[i] = (byte)"0123456789abcdef"[v & 0xF]; v >>= 4; }
        return digits;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<byte> b = stackalloc byte[48];
        int n = FormatUtf8(b);
        return System.Text.Encoding.ASCII.GetString(b[..n]);
    }

    /// <inheritdoc/>
    public bool Equals(IpAddr other) => Hi == other.Hi && Lo == other.Lo && Version == other.Version;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IpAddr o && Equals(o);
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Hi, Lo, Version);
    /// <summary>Orders by version, then numerically (network byte order), as Community ID compares endpoints.</summary>
    public int CompareTo(IpAddr other)
    {
        if (Version != other.Version) return Version.CompareTo(other.Version);
        int c = Hi.CompareTo(other.Hi);
        return c != 0 ? c : Lo.CompareTo(other.Lo);
    }
    /// <summary>Equality.</summary>
    public static bool operator ==(IpAddr a, IpAddr b) => a.Equals(b);
    /// <summary>Inequality.</summary>
    public static bool operator !=(IpAddr a, IpAddr b) => !a.Equals(b);
}

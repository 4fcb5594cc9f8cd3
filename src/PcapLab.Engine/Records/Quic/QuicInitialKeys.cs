using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PcapLab.Records.Quic;

/// <summary>
/// The Initial packet protection of one side of a QUIC connection (RFC 9001 5.2): secrets from HKDF-SHA256 over the
/// client's first Destination Connection ID, AES-128-GCM for the payload, AES-128-ECB for header protection.
/// Anyone on the path can compute these keys, which is what lets a passive observer read the TLS hellos.
/// </summary>
public sealed class QuicInitialKeys : IDisposable
{
    private const int TagLength = 16;
    private readonly AesGcm _aead;
    private readonly Aes _hp;

    /// <summary>The AEAD key (16 bytes).</summary>
    public byte[] Key { get; }
    /// <summary>The AEAD IV (12 bytes), XORed with the packet number to make each nonce.</summary>
    public byte[] Iv { get; }
    /// <summary>The header protection key (16 bytes).</summary>
    public byte[] Hp { get; }

    private QuicInitialKeys(byte[] key, byte[] iv, byte[] hp)
    {
        Key = key; Iv = iv; Hp = hp;
        _aead = new AesGcm(key, TagLength);
        _hp = Aes.Create();
        _hp.Key = hp;
    }

    /// <summary>
    /// Derives the Initial keys of the client (<paramref name="server"/> false, label "client in") or the server
    /// ("server in") from the client's Destination Connection ID. Null for a version without a known salt.
    /// </summary>
    public static QuicInitialKeys? Derive(uint version, ReadOnlySpan<byte> clientDcid, bool server)
    {
        if (!QuicVersion.TryGetSalt(version, out var salt)) return null;
        Span<byte> initial = stackalloc byte[32];
        HKDF.Extract(HashAlgorithmName.SHA256, clientDcid, salt, initial);
        Span<byte> secret = stackalloc byte[32];
        ExpandLabel(initial, server ? "server in" : "client in", secret);
        string prefix = QuicVersion.LabelPrefix(version);
        var key = new byte[16]; var iv = new byte[12]; var hp = new byte[16];
        ExpandLabel(secret, prefix + "key", key);
        ExpandLabel(secret, prefix + "iv", iv);
        ExpandLabel(secret, prefix + "hp", hp);
        return new QuicInitialKeys(key, iv, hp);
    }

    /// <summary>TLS 1.3's HKDF-Expand-Label (RFC 8446 7.1) with an empty context.</summary>
    public static void ExpandLabel(ReadOnlySpan<byte> secret, string label, Span<byte> output)
    {
        Span<byte> info = stackalloc byte[2 + 1 + 6 + label.Length + 1];
        BinaryPrimitives.WriteUInt16BigEndian(info, (ushort)output.Length);
        info[2] = (byte)(6 + label.Length);
        "tls13 "u8.CopyTo(info[3..]);
        Encoding.ASCII.GetBytes(label, info[9..]);
        info[^1] = 0;
        HKDF.Expand(HashAlgorithmName.SHA256, secret, output, info);
    }

    /// <summary>
    /// Removes header protection and decrypts one long-header packet in place. <paramref name="packet"/> holds exactly
    /// the packet (its Length field already applied); <paramref name="pnOffset"/> is where the packet number starts.
    /// <paramref name="largestPn"/> is the largest packet number decrypted so far in this direction (-1 for none), to
    /// expand the truncated number (RFC 9000 A.3). On success <paramref name="payload"/> is the plaintext's range.
    /// </summary>
    public QuicUnprotect TryUnprotect(Span<byte> packet, int pnOffset, long largestPn, out Range payload, out long packetNumber)
    {
        payload = default; packetNumber = -1;
        if (pnOffset + 4 + 16 > packet.Length) return QuicUnprotect.Truncated;
        Span<byte> mask = stackalloc byte[16];
        _hp.EncryptEcb(packet.Slice(pnOffset + 4, 16), mask, PaddingMode.None);
        byte first = (byte)(packet[0] ^ (mask[0] & 0x0f));
        if ((first & 0x0c) != 0) return QuicUnprotect.Failed; // reserved bits set: wrong keys
        int pnLen = (first & 3) + 1;
        if (pnOffset + pnLen + TagLength > packet.Length) return QuicUnprotect.Truncated;
        packet[0] = first;
        long truncated = 0;
        for (int i = 0; i < pnLen; i++)
        {
            packet[pnOffset + i] ^= mask[1 + i];
            truncated = (truncated << 8) | packet[pnOffset + i];
        }
        packetNumber = DecodePacketNumber(largestPn, truncated, pnLen * 8);
        Span<byte> nonce = stackalloc byte[12];
        Iv.CopyTo(nonce);
        ulong pnBits = (ulong)packetNumber;
        for (int i = 0; i < 8; i++) nonce[11 - i] ^= (byte)(pnBits >> (8 * i));
        int start = pnOffset + pnLen;
        var aad = packet[..start];
        var body = packet[start..^TagLength];
        var tag = packet[^TagLength..];
        try
        {
            _aead.Decrypt(nonce, body, tag, body, aad);
        }
        catch (AuthenticationTagMismatchException)
        {
            return QuicUnprotect.Failed;
        }
        payload = start..(packet.Length - TagLength);
        return QuicUnprotect.Ok;
    }

    /// <summary>RFC 9000 A.3: the full packet number closest to the next expected one.</summary>
    public static long DecodePacketNumber(long largestPn, long truncated, int bits)
    {
        long expected = largestPn + 1, win = 1L << bits, hwin = win / 2, mask = win - 1;
        long candidate = (expected & ~mask) | truncated;
        if (candidate <= expected - hwin && candidate < (1L << 62) - win) return candidate + win;
        if (candidate > expected + hwin && candidate >= win) return candidate - win;
        return candidate;
    }

    /// <summary>Frees the cipher objects.</summary>
    public void Dispose()
    {
        _aead.Dispose();
        _hp.Dispose();
    }
}

/// <summary>Outcome of <see cref="QuicInitialKeys.TryUnprotect"/>.</summary>
public enum QuicUnprotect : byte
{
    /// <summary>Decrypted; the payload is plaintext.</summary>
    Ok,
    /// <summary>Too short for the header-protection sample, packet number or tag.</summary>
    Truncated,
    /// <summary>The keys do not fit (reserved bits set after unmasking, or the AEAD tag did not verify).</summary>
    Failed,
}

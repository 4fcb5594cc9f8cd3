using System.Buffers.Binary;

namespace PcapLab.Records.Quic;

/// <summary>
/// What differs between QUIC versions for Initial packets: the salt that turns the client's Destination Connection ID
/// into the initial secret (RFC 9001 5.2, RFC 9369 3.3.1 and the drafts), the HKDF label prefix, and the long-header
/// type code of Initial packets.
/// </summary>
public static class QuicVersion
{
    /// <summary>QUIC version 1 (RFC 9000).</summary>
    public const uint V1 = 0x00000001;
    /// <summary>QUIC version 2 (RFC 9369).</summary>
    public const uint V2 = 0x6b3343cf;

    private static ReadOnlySpan<byte> SaltDraft22 => [0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a, 0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a];
    private static ReadOnlySpan<byte> SaltDraft23 => [0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7, 0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02];
    private static ReadOnlySpan<byte> SaltDraft29 => [0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97, 0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99];
    private static ReadOnlySpan<byte> SaltV1 => [0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a];
    private static ReadOnlySpan<byte> SaltV2 => [0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9];
    // Google's TLS-based versions T050/T051 (IETF long headers, Initial protection with their own salts).
    private static ReadOnlySpan<byte> SaltT050 => [0x7f, 0xf5, 0x79, 0xe5, 0xac, 0xd0, 0x72, 0x91, 0x55, 0x80, 0x30, 0x4c, 0x43, 0xa2, 0x36, 0x7c, 0x60, 0x48, 0x83, 0x10];
    private static ReadOnlySpan<byte> SaltT051 => [0x7a, 0x4e, 0xde, 0xf4, 0xe7, 0xcc, 0xee, 0x5f, 0xa4, 0x50, 0x6c, 0x19, 0x12, 0x4f, 0xc8, 0xcc, 0xda, 0x6e, 0x03, 0x3d];

    /// <summary>
    /// The Initial salt of a version whose Initials carry TLS 1.3 in CRYPTO frames: v1, v2, drafts 22-34, Facebook's
    /// mvfst (0xfaceb001/2/e) and Google's T050/T051. False for anything else (Google's Q0xx crypto is not TLS).
    /// </summary>
    public static bool TryGetSalt(uint version, out ReadOnlySpan<byte> salt)
    {
        salt = version switch
        {
            V1 => SaltV1,
            V2 => SaltV2,
            0xfaceb001 or 0xff000016 => SaltDraft22,
            0xfaceb002 or 0xfaceb00e => SaltDraft23,
            >= 0xff000017 and <= 0xff00001c => SaltDraft23,
            >= 0xff00001d and <= 0xff000020 => SaltDraft29,
            0xff000021 or 0xff000022 => SaltV1,
            0x54303530 => SaltT050, // "T050"
            0x54303531 => SaltT051, // "T051"
            // Reserved versions that force Version Negotiation (RFC 9000 15): some clients protect them as draft-29, and tshark tries that too.
            _ when (version & 0x0f0f0f0f) == 0x0a0a0a0a => SaltDraft29,
            _ => default,
        };
        return !salt.IsEmpty;
    }

    /// <summary>Google's TLS-based versions T050 and T051, whose Initials number the CRYPTO frame 0x08.</summary>
    public static bool IsGoogleTls(uint version) => version is 0x54303530 or 0x54303531;

    /// <summary>The HKDF label prefix for key, iv and hp: "quicv2 " for v2, "quic " for every other version.</summary>
    public static string LabelPrefix(uint version) => version == V2 ? "quicv2 " : "quic ";

    /// <summary>The long-header packet type of Initial packets (v2 renumbers the types, RFC 9369 3.2).</summary>
    public static int InitialType(uint version) => version == V2 ? 1 : 0;

    /// <summary>The long-header packet type of Retry packets (v2 renumbers the types, RFC 9369 3.2).</summary>
    public static int RetryType(uint version) => version == V2 ? 0 : 3;

    /// <summary>The version field of a long-header packet, or 0 when the span is not one.</summary>
    public static uint OfLongHeader(ReadOnlySpan<byte> packet) =>
        packet.Length >= 5 && (packet[0] & 0x80) != 0 ? BinaryPrimitives.ReadUInt32BigEndian(packet[1..]) : 0;
}

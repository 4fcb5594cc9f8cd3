using System.Security.Cryptography;

namespace PcapLab.Notebook.Jupyter;

/// <summary>HMAC-SHA256 over header, parent_header, metadata and content, as lowercase hex (Jupyter's signature frame).</summary>
internal sealed class MessageSigner(string key)
{
    private readonly byte[] _key = System.Text.Encoding.UTF8.GetBytes(key);

    /// <summary>False when the connection file has an empty key: messages are then neither signed nor checked (the spec's rule).</summary>
    public bool Enabled => _key.Length > 0;

    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!Enabled) return "";
        Span<byte> mac = stackalloc byte[32];
        Compute(header, parent, metadata, content, mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>Checks a received signature in constant time; an empty or malformed signature fails.</summary>
    public bool Verify(ReadOnlySpan<byte> signatureHex, ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent,
        ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!Enabled) return true;
        if (signatureHex.Length != 64) return false;
        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(System.Text.Encoding.ASCII.GetString(signatureHex), given, out _, out int written)
            != System.Buffers.OperationStatus.Done || written != 32) return false;
        Span<byte> expected = stackalloc byte[32];
        Compute(header, parent, metadata, content, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private void Compute(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata,
        ReadOnlySpan<byte> content, Span<byte> mac)
    {
        using var h = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        h.AppendData(header); h.AppendData(parent); h.AppendData(metadata); h.AppendData(content);
        h.GetHashAndReset(mac);
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PcapLab.Notebook.Jupyter;

/// <summary>A Jupyter message (protocol 5.3): routing identities, header, parent header, metadata, content, buffers.</summary>
internal sealed class JupyterMessage
{
    public const string ProtocolVersion = "5.3";
    private static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    public List<byte[]> Identities { get; init; } = [];
    public required JsonObject Header { get; init; }
    public JsonObject ParentHeader { get; init; } = [];
    public JsonObject Metadata { get; init; } = [];
    public required JsonObject Content { get; init; }
    public List<byte[]> Buffers { get; init; } = [];

    public string MsgType => (string?)Header["msg_type"] ?? "";
    public string MsgId => (string?)Header["msg_id"] ?? "";

    /// <summary>A new message of this kernel's session, child of <paramref name="parent"/> when given.</summary>
    public static JupyterMessage Create(string session, string msgType, JsonObject content, JupyterMessage? parent, List<byte[]>? identities = null) => new()
    {
        Identities = identities ?? [],
        Header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = session,
            ["username"] = "kernel",
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
            ["msg_type"] = msgType,
            ["version"] = ProtocolVersion,
        },
        ParentHeader = parent is null ? [] : (JsonObject)parent.Header.DeepClone(),
        Content = content,
    };

    /// <summary>Decodes wire frames and checks the signature; null with a reason when the message is malformed or forged.</summary>
    public static JupyterMessage? Decode(List<byte[]> frames, MessageSigner signer, out string? error)
    {
        error = null;
        int d = frames.FindIndex(f => f.AsSpan().SequenceEqual(Delimiter));
        if (d < 0 || frames.Count < d + 6) { error = "no <IDS|MSG> delimiter or too few frames"; return null; }
        var (sig, header, parent, metadata, content) = (frames[d + 1], frames[d + 2], frames[d + 3], frames[d + 4], frames[d + 5]);
        if (!signer.Verify(sig, header, parent, metadata, content)) { error = sig.Length == 0 ? "unsigned message" : "bad signature"; return null; }
        try
        {
            var msg = new JupyterMessage
            {
                Identities = frames.GetRange(0, d),
                Header = JsonNode.Parse(header) as JsonObject ?? throw new JsonException("header is not an object"),
                ParentHeader = JsonNode.Parse(parent) as JsonObject ?? [],
                Metadata = JsonNode.Parse(metadata) as JsonObject ?? [],
                Content = JsonNode.Parse(content) as JsonObject ?? [],
                Buffers = frames.GetRange(d + 6, frames.Count - d - 6),
            };
            if (msg.MsgType.Length == 0) { error = "header has no msg_type"; return null; }
            return msg;
        }
        catch (JsonException ex) { error = "malformed JSON: " + ex.Message; return null; }
    }

    /// <summary>Encodes to wire frames, signed.</summary>
    public List<ReadOnlyMemory<byte>> Encode(MessageSigner signer)
    {
        var header = Utf8(Header);
        var parent = Utf8(ParentHeader);
        var metadata = Utf8(Metadata);
        var content = Utf8(Content);
        var frames = new List<ReadOnlyMemory<byte>>(Identities.Count + 6 + Buffers.Count);
        foreach (var id in Identities) frames.Add(id);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(header, parent, metadata, content)));
        frames.Add(header); frames.Add(parent); frames.Add(metadata); frames.Add(content);
        foreach (var b in Buffers) frames.Add(b);
        return frames;
    }

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Utf8(JsonObject o) => JsonSerializer.SerializeToUtf8Bytes(o, Json);
}

using System.Text.Json.Nodes;

namespace PcapLab.Notebook.Display;

/// <summary>One output in several representations keyed by MIME type (text/plain, text/html, application/json...),
/// as Jupyter's display_data and execute_result carry it.</summary>
public sealed class MimeBundle
{
    /// <summary>Representations by MIME type: a string for text types, a JSON node for JSON types (e.g. plotly figures).</summary>
    public Dictionary<string, JsonNode?> Data { get; } = new(StringComparer.Ordinal);

    /// <summary>Per-MIME metadata (image sizes, isolation...), usually empty.</summary>
    public JsonObject Metadata { get; } = [];

    /// <summary>Adds a text representation and returns this bundle.</summary>
    public MimeBundle Add(string mimeType, string text) { Data[mimeType] = JsonValue.Create(text); return this; }

    /// <summary>Adds a JSON representation (for application/*+json types) and returns this bundle.</summary>
    public MimeBundle Add(string mimeType, JsonNode json) { Data[mimeType] = json; return this; }

    /// <summary>A bundle with only text/plain.</summary>
    public static MimeBundle PlainText(string text) => new MimeBundle().Add("text/plain", text);

    /// <summary>A bundle with text/html and a text/plain fallback.</summary>
    public static MimeBundle Html(string html, string plainText) => new MimeBundle().Add("text/html", html).Add("text/plain", plainText);

    /// <summary>A bundle with text/markdown and the same text as text/plain.</summary>
    public static MimeBundle Markdown(string markdown) => new MimeBundle().Add("text/markdown", markdown).Add("text/plain", markdown);

    /// <summary>The text/plain representation, or an empty string.</summary>
    public string PlainTextOrEmpty => Data.TryGetValue("text/plain", out var v) && v is JsonValue j && j.TryGetValue(out string? s) ? s : "";

    /// <summary>The number of characters across all representations (for the per-cell output limit).</summary>
    public long Size => Data.Values.Sum(v => v is JsonValue j && j.TryGetValue(out string? s) ? (long)s.Length : v?.ToJsonString().Length ?? 0);

    /// <summary>Data as a JSON object for the wire.</summary>
    public JsonObject DataJson()
    {
        var o = new JsonObject();
        foreach (var (k, v) in Data) o[k] = v?.DeepClone();
        return o;
    }
}

/// <summary>A value that renders itself; the formatter uses it before any built-in rule.</summary>
public interface IMimeRenderable
{
    /// <summary>The representations to show for this value.</summary>
    MimeBundle ToMimeBundle();
}

using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace PcapLab.Notebook.Runner.Report;

/// <summary>
/// Keeps the harmless part of an HTML output (tables, text formatting, inline PNGs) and drops the rest: scripts, style
/// sheets, frames, forms, event handlers, and anything that would fetch from elsewhere. Captured data can hold markup,
/// so a report never trusts an output's HTML as is.
/// </summary>
public static partial class SafeHtml
{
    private static readonly HashSet<string> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
        "div", "span", "p", "br", "hr", "b", "i", "u", "em", "strong", "small", "sub", "sup", "s", "del", "ins", "mark",
        "code", "pre", "kbd", "samp", "var", "abbr", "ul", "ol", "li", "dl", "dt", "dd",
        "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "a", "img", "details", "summary",
    };

    private static readonly HashSet<string> Void = new(StringComparer.OrdinalIgnoreCase) { "br", "hr", "img", "col" };

    // Elements whose content is not text to show: dropped whole, up to their end tag.
    private static readonly HashSet<string> DropWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "template",
        "svg", "math", "object", "applet", "select", "frameset",
    };

    private static readonly HashSet<string> Attributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "class", "title", "colspan", "rowspan", "align", "valign", "style", "href", "src", "alt", "width", "height", "open",
    };

    /// <summary>Encodes text for an HTML text node or a double-quoted attribute.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>The allowed subset of <paramref name="html"/>, re-serialized with every text and attribute value encoded and every element closed.</summary>
    public static string Sanitize(string html)
    {
        var sb = new StringBuilder(html.Length);
        var open = new List<string>();
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            var textEnd = lt < 0 ? html.Length : lt;
            if (textEnd > i) sb.Append(Encode(WebUtility.HtmlDecode(html[i..textEnd])));
            if (lt < 0) break;
            i = ReadMarkup(html, lt, sb, open);
        }
        for (var k = open.Count - 1; k >= 0; k--) sb.Append("</").Append(open[k]).Append('>');
        return sb.ToString();
    }

    /// <summary>Handles the markup starting at <paramref name="lt"/> and returns where text resumes.</summary>
    private static int ReadMarkup(string html, int lt, StringBuilder sb, List<string> open)
    {
        if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
            return SkipPast(html, lt + 4, "-->");
        var j = lt + 1;
        if (j < html.Length && (html[j] == '!' || html[j] == '?'))
            return SkipPast(html, j, ">");
        var closing = j < html.Length && html[j] == '/';
        if (closing) j++;
        var nameStart = j;
        while (j < html.Length && (char.IsAsciiLetterOrDigit(html[j]) || html[j] == '-')) j++;
        if (j == nameStart || !char.IsAsciiLetter(html[nameStart]))
        {
            sb.Append("&lt;");
            return lt + 1;
        }
        var name = html[nameStart..j].ToLowerInvariant();
        var (attrs, end) = ReadAttributes(html, j);

        if (closing)
        {
            // Only close what is open, so an output cannot close the report's own elements.
            var at = open.LastIndexOf(name);
            if (at >= 0)
            {
                for (var k = open.Count - 1; k >= at; k--) sb.Append("</").Append(open[k]).Append('>');
                open.RemoveRange(at, open.Count - at);
            }
            return end;
        }
        if (DropWithContent.Contains(name))
            return SkipPastEndTag(html, end, name);
        if (!Allowed.Contains(name)) return end;

        sb.Append('<').Append(name);
        foreach (var (an, av) in attrs)
            if (SafeAttribute(name, an, av) is { } value)
                sb.Append(' ').Append(an).Append("=\"").Append(Encode(value)).Append('"');
        sb.Append('>');
        if (!Void.Contains(name)) open.Add(name);
        return end;
    }

    private static string? SafeAttribute(string element, string name, string value)
    {
        if (!Attributes.Contains(name)) return null;
        return name switch
        {
            // In-page anchors only; a link elsewhere from an output's HTML is dropped.
            "href" => element == "a" && value.StartsWith('#') ? value : null,
            // Pictures travel inside the report; svg is excluded as it can carry script.
            "src" => element == "img" && InlineImage().IsMatch(value) ? value : null,
            "style" => SafeStyle().IsMatch(value) && !value.Contains("url", StringComparison.OrdinalIgnoreCase) && !value.Contains("expression", StringComparison.OrdinalIgnoreCase) ? value : null,
            _ => value,
        };
    }

    private static (List<(string Name, string Value)> Attrs, int End) ReadAttributes(string html, int j)
    {
        var attrs = new List<(string, string)>();
        while (j < html.Length)
        {
            while (j < html.Length && (char.IsWhiteSpace(html[j]) || html[j] == '/')) j++;
            if (j >= html.Length) break;
            if (html[j] == '>') return (attrs, j + 1);
            var ns = j;
            while (j < html.Length && !char.IsWhiteSpace(html[j]) && html[j] is not ('=' or '>' or '/')) j++;
            var name = html[ns..j].ToLowerInvariant();
            while (j < html.Length && char.IsWhiteSpace(html[j])) j++;
            var value = "";
            if (j < html.Length && html[j] == '=')
            {
                j++;
                while (j < html.Length && char.IsWhiteSpace(html[j])) j++;
                if (j < html.Length && html[j] is '"' or '\'')
                {
                    var q = html[j];
                    var close = html.IndexOf(q, j + 1);
                    if (close < 0) close = html.Length;
                    value = html[(j + 1)..close];
                    j = Math.Min(close + 1, html.Length);
                }
                else
                {
                    var vs = j;
                    while (j < html.Length && !char.IsWhiteSpace(html[j]) && html[j] != '>') j++;
                    value = html[vs..j];
                }
            }
            if (name.Length > 0) attrs.Add((name, WebUtility.HtmlDecode(value)));
        }
        return (attrs, html.Length);
    }

    private static int SkipPast(string html, int from, string marker)
    {
        var at = html.IndexOf(marker, from, StringComparison.Ordinal);
        return at < 0 ? html.Length : at + marker.Length;
    }

    private static int SkipPastEndTag(string html, int from, string name)
    {
        var at = html.IndexOf("</" + name, from, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? html.Length : SkipPast(html, at, ">");
    }

    [GeneratedRegex(@"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$")]
    internal static partial Regex InlineImage();

    [GeneratedRegex(@"^[a-zA-Z0-9\s:;#%.,\-()]*$")]
    private static partial Regex SafeStyle();
}

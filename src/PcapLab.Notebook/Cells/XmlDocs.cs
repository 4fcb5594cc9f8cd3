using System.Text;
using System.Xml.Linq;

namespace PcapLab.Notebook.Cells;

/// <summary>Reads the summary, parameters and return text from a symbol's XML documentation comment.</summary>
internal static class XmlDocs
{
    public static string? Summary(string? xml)
    {
        if (string.IsNullOrWhiteSpace(xml)) return null;
        XElement root;
        try { root = XElement.Parse(xml); } catch (System.Xml.XmlException) { return null; }
        var sb = new StringBuilder();
        if (root.Element("summary") is { } s) sb.Append(Text(s));
        foreach (var p in root.Elements("param"))
            sb.Append('\n').Append((string?)p.Attribute("name")).Append(": ").Append(Text(p));
        if (root.Element("returns") is { } r) sb.Append("\nReturns: ").Append(Text(r));
        return sb.Length == 0 ? null : sb.ToString().Trim();
    }

    // Text of a doc element with <see cref="T:System.String"/> as "String" and whitespace collapsed.
    private static string Text(XElement e)
    {
        var sb = new StringBuilder();
        foreach (var n in e.Nodes())
        {
            if (n is XText t) sb.Append(t.Value);
            else if (n is XElement x)
            {
                var cref = (string?)x.Attribute("cref") ?? (string?)x.Attribute("langword") ?? (string?)x.Attribute("name");
                if (x.Name.LocalName is "see" or "seealso" or "paramref" or "typeparamref" && cref != null)
                {
                    var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
                    var paren = name.IndexOf('(');
                    if (paren >= 0) name = name[..paren];
                    sb.Append(name[(name.LastIndexOf('.') + 1)..]);
                }
                else sb.Append(Text(x));
            }
        }
        return string.Join(' ', sb.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}

using System.Globalization;
using System.Net;
using System.Text;

namespace PcapLab.Notebook.Display;

/// <summary>Renders rows as an HTML table plus an aligned text/plain table: bounded rows with an "n more rows" footer,
/// long values cut with the full text on hover.</summary>
public static class TableFormatter
{
    /// <summary>Rows shown before the footer.</summary>
    public const int DefaultMaxRows = 50;

    /// <summary>Characters of a value shown before it is cut.</summary>
    public const int MaxCellChars = 80;

    /// <summary>Formats a table. <paramref name="totalRows"/> is the full row count when known (null: <paramref name="rows"/>
    /// holds every row, or <paramref name="more"/> says more exist without a count).</summary>
    public static MimeBundle Format(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<object?>> rows,
        long? totalRows = null, bool more = false)
    {
        long total = totalRows ?? rows.Count;
        long hidden = Math.Max(0, total - rows.Count);
        string footer = hidden > 0 ? $"{hidden:N0} more rows" : more ? "more rows not shown" : "";

        var html = new StringBuilder("<table>\n<thead><tr>");
        foreach (var c in columns) html.Append("<th>").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        var text = new List<string[]>(rows.Count + 1) { columns.ToArray() };
        foreach (var row in rows)
        {
            html.Append("<tr>");
            var cells = new string[columns.Count];
            for (int i = 0; i < columns.Count; i++)
            {
                var full = i < row.Count ? Cell(row[i]) : "";
                var shown = full.Length > MaxCellChars ? full[..(MaxCellChars - 1)] + "…" : full;
                cells[i] = shown.ReplaceLineEndings(" ");
                html.Append(shown.Length == full.Length ? "<td>" : $"<td title=\"{WebUtility.HtmlEncode(full)}\">")
                    .Append(WebUtility.HtmlEncode(shown)).Append("</td>");
            }
            text.Add(cells);
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        if (footer.Length > 0) html.Append("<p><i>").Append(footer).Append("</i></p>\n");
        return MimeBundle.Html(html.ToString(), TextTable(text, footer));
    }

    /// <summary>A value as a table cell shows it (invariant culture; null as "null").</summary>
    public static string Cell(object? value) => value switch
    {
        null => "null",
        string s => s,
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToHexStringLower(b.AsSpan(0, Math.Min(b.Length, 64))) + (b.Length > 64 ? "…" : ""),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        // lists and structs from DuckDB (answers, TTLs, client_alpn, splt_len) read as the engine writes them
        System.Collections.IEnumerable => PcapLab.Store.ValueText.Format(value, "null"),
        _ => value.ToString() ?? "",
    };

    private static string TextTable(List<string[]> lines, string footer)
    {
        int n = lines[0].Length;
        var widths = new int[n];
        foreach (var l in lines)
            for (int i = 0; i < n; i++) widths[i] = Math.Max(widths[i], l[i].Length);
        var sb = new StringBuilder();
        for (int r = 0; r < lines.Count; r++)
        {
            for (int i = 0; i < n; i++)
            {
                if (i > 0) sb.Append("  ");
                sb.Append(i == n - 1 ? lines[r][i] : lines[r][i].PadRight(widths[i]));
            }
            sb.Append('\n');
            if (r == 0)
            {
                for (int i = 0; i < n; i++) sb.Append(i > 0 ? "  " : "").Append('-', widths[i]);
                sb.Append('\n');
            }
        }
        if (footer.Length > 0) sb.Append('(').Append(footer).Append(")\n");
        return sb.ToString().TrimEnd('\n');
    }
}

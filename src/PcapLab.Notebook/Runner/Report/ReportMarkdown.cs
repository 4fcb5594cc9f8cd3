using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace PcapLab.Notebook.Runner.Report;

/// <summary>
/// Markdown to HTML for reports (CommonMark with pipe tables): raw HTML in the source is shown as text, links keep
/// only http, https, mailto and in-page targets, and images that would be fetched from anywhere become plain links.
/// </summary>
public static class ReportMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseTaskLists()
        .DisableHtml()
        .Build();

    /// <summary>The HTML for <paramref name="markdown"/>.</summary>
    public static string ToHtml(string markdown)
    {
        var doc = Markdown.Parse(markdown, Pipeline);
        foreach (var link in doc.Descendants<LinkInline>())
        {
            if (link.IsImage)
            {
                if (link.Url is { } u && SafeHtml.InlineImage().IsMatch(u)) continue;
                // A report makes no request: a picture from elsewhere is offered as a link instead.
                link.IsImage = false;
            }
            link.Url = SafeLink(link.Url);
        }
        foreach (var auto in doc.Descendants<AutolinkInline>())
            if (!auto.IsEmail && SafeLink(auto.Url) == "#") auto.Url = "#";
        return doc.ToHtml(Pipeline);
    }

    private static string SafeLink(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "#";
        var u = url.Trim();
        if (u.StartsWith('#')) return u;
        if (Uri.TryCreate(u, UriKind.Absolute, out var abs))
            return abs.Scheme is "http" or "https" or "mailto" ? u : "#";
        // Relative paths would resolve against wherever the report is opened; only scheme-less, colon-free ones are kept.
        return u.Contains(':') || u.StartsWith("//") ? "#" : u;
    }
}

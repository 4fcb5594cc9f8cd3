using System.Text.Json;
using System.Text.RegularExpressions;
using PcapLab.Charts;
using PcapLab.Notebook.Runner.Report;

namespace PcapLab.Notebook.Tests.Runner.Report;

public class HtmlReportTests
{
    private const string Payload = "<script>alert(1)</script>";

    private static CodeCell Cell(params CellOutput[] outputs) => new("display(x)") { ExecutionCount = 1, Duration = TimeSpan.FromMilliseconds(120), Outputs = outputs };

    private static DisplayOutput Html(string html) => new(new Dictionary<string, object> { ["text/html"] = html, ["text/plain"] = "fallback" });

    private static DisplayOutput Chart(Figure f) => new(f.ToMimeBundle(includePlotlyJs: false));

    /// <summary>Every script element is either the report's own (carrying the CSP nonce) or an inert JSON block.</summary>
    private static void AssertOnlyOwnScripts(string html)
    {
        var nonce = Regex.Match(html, "script-src 'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        foreach (Match m in Regex.Matches(html, "<script[^>]*>", RegexOptions.IgnoreCase))
            Assert.True(m.Value == $"<script nonce=\"{nonce}\">" || Regex.IsMatch(m.Value, "^<script type=\"application/json\" id=\"figure-\\d+\">$"), m.Value);
    }

    [Fact]
    public void Captured_markup_never_becomes_script_anywhere_in_the_report()
    {
        var report = new PcapLab.Notebook.Runner.Report.Report
        {
            Title = "t " + Payload,
            Provenance = [new("capture " + Payload, "sha256 " + Payload)],
            Cells =
            [
                new MarkdownCell("# Heading " + Payload + "\n\n| host | note |\n|---|---|\n| a | " + Payload + " |\n\n<img src=x onerror=alert(2)>"),
                new CodeCell("var s = \"" + Payload + "\";", "csharp")
                {
                    Status = CellStatus.Failed,
                    Outputs =
                    [
                        // A formatter that escaped the data, and one that did not.
                        Html("<table><tr><th>uri</th></tr><tr><td>&lt;script&gt;alert(1)&lt;/script&gt;</td></tr></table>"),
                        Html("<table><tr><td>" + Payload + "<img src=x onerror=alert(3)><a href=\"javascript:alert(4)\">x</a></td></tr></table><div onclick=\"alert(5)\"><iframe src=\"http://e/\"></iframe>"),
                        new DisplayOutput(new Dictionary<string, object> { ["text/markdown"] = "**dns** " + Payload }),
                        new DisplayOutput(new Dictionary<string, object> { ["text/plain"] = Payload }),
                        Chart(PcapLab.Charts.Chart.Bar(new[] { Payload, "</script><script>alert(6)</script>" }, new double[] { 1, 2 }, name: Payload)),
                        new StreamOutput("stdout", Payload),
                        new ErrorOutput("Exception " + Payload, Payload, [Payload]),
                    ],
                },
            ],
        };
        var html = HtmlReport.Render(report);
        AssertOnlyOwnScripts(html);
        var markup = Regex.Replace(html, "<script nonce=\"[^\"]+\">.*?</script>", "", RegexOptions.Singleline);
        foreach (Match tag in Regex.Matches(markup, "<[a-zA-Z][^>]*>"))
            Assert.DoesNotMatch(new Regex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase), tag.Value);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>", html);
        Assert.Contains("<h1>Heading &lt;script&gt;alert(1)&lt;/script&gt;</h1>", html);
        Assert.Contains("\\u003Cscript\\u003Ealert(1)", html); // inside the chart's JSON
    }

    [Fact]
    public void Plotly_is_inlined_once_for_many_charts_and_not_at_all_without_charts()
    {
        var fig = () => PcapLab.Charts.Chart.Pie(new[] { "tcp", "udp" }, new double[] { 3, 1 });
        var three = HtmlReport.Render(new() { Title = "r", Cells = [Cell(Chart(fig()), Chart(fig())), Cell(Chart(fig()))] });
        Assert.Equal(1, Regex.Count(three, @"plotly\.js v\d+\.\d+\.\d+"));
        Assert.Equal(3, Regex.Count(three, "class=\"pcaplab-plot\""));
        AssertOnlyOwnScripts(three);

        var none = HtmlReport.Render(new() { Title = "r", Cells = [new MarkdownCell("no charts")] });
        Assert.DoesNotContain("plotly.js v", none);
        Assert.DoesNotContain("<script", none);
    }

    [Fact]
    public void Report_makes_no_request_and_keeps_only_plain_markdown_links()
    {
        var report = new PcapLab.Notebook.Runner.Report.Report
        {
            Title = "r",
            Cells =
            [
                new MarkdownCell("See [RFC 793](https://www.rfc-editor.org/rfc/rfc793) and ![logo](http://example.com/logo.png) ![p](//cdn.example/p.gif) [bad](javascript:alert(1))"),
                Cell(Html("<img src=\"http://example.com/t.png\"><a href=\"https://example.com\">x</a><p style=\"background:url(http://e/x)\">y</p><img src=\"data:image/png;base64,iVBORw0KGgo=\">"),
                     new DisplayOutput(new Dictionary<string, object> { ["image/png"] = "iVBORw0KGgo=", ["text/plain"] = "<Figure>" })),
            ],
        };
        var html = HtmlReport.Render(report);
        foreach (Match m in Regex.Matches(html, "\\s(src|href)\\s*=\\s*\"([^\"]*)\"", RegexOptions.IgnoreCase))
        {
            var (attr, url) = (m.Groups[1].Value.ToLowerInvariant(), m.Groups[2].Value);
            if (attr == "src") Assert.StartsWith("data:image/png;base64,", url);
            else Assert.True(url.StartsWith('#') || url is "https://www.rfc-editor.org/rfc/rfc793" or "http://example.com/logo.png", url);
        }
        Assert.Contains("<a href=\"https://www.rfc-editor.org/rfc/rfc793\">RFC 793</a>", html);
        Assert.Contains("<a href=\"http://example.com/logo.png\">logo</a>", html); // the picture became a link
        Assert.Contains("<a href=\"#\">p</a>", html);                                // protocol-relative: neither fetched nor linked
        Assert.Contains("<a href=\"#\">bad</a>", html);
        Assert.DoesNotContain("https://example.com", html);                          // links from output HTML are dropped
        Assert.DoesNotContain("url(", html);
        Assert.Contains("default-src 'none'", html);
    }

    [Fact]
    public void Markdown_renders_headings_emphasis_code_lists_links_and_tables()
    {
        var html = ReportMarkdown.ToHtml("## Top talkers\n\nSome *emphasis*, **strong** and `code`.\n\n- one\n- two\n\n```sql\nSELECT 1 < 2\n```\n\n| a | b |\n|---|--:|\n| x | 1 |\n");
        Assert.Contains("<h2", html);
        Assert.Contains("<em>emphasis</em>", html);
        Assert.Contains("<strong>strong</strong>", html);
        Assert.Contains("<code>code</code>", html);
        Assert.Contains("<li>one</li>", html);
        Assert.Contains("SELECT 1 &lt; 2", html);
        Assert.Contains("<table>", html);
        Assert.Contains(">1</td>", html);
    }

    [Fact]
    public void Tracebacks_and_streams_lose_ansi_escapes_and_failed_code_stays_open()
    {
        var cell = new CodeCell("throw new Exception(\"boom\");")
        {
            Status = CellStatus.Failed,
            Outputs =
            [
                new StreamOutput("stderr", "\x1b[1;33mwarning\x1b[0m: slow\n"),
                new ErrorOutput("System.Exception", "\x1b[31mboom\x1b[0m", ["\x1b[0;31m---------\x1b[0m", "   at Submission#0.<Main>()", "\x1b]8;;file:///x\x07link\x1b]8;;\x07"]),
            ],
        };
        var html = HtmlReport.Render(new() { Title = "r", Cells = [cell, new CodeCell("1+1") { Duration = TimeSpan.FromSeconds(2) }] });
        Assert.DoesNotContain('\x1b', html);
        Assert.Contains("<div class=\"ename\">System.Exception: boom</div>", html);
        Assert.Contains("warning: slow", html);
        Assert.Contains("---------\n   at Submission#0.&lt;Main&gt;()\nlink", html);
        Assert.Contains("<section class=\"cell code failed\" id=\"cell-1\">\n<details open>", html);
        Assert.Contains("<section class=\"cell code ok\" id=\"cell-2\">\n<details>", html);
        Assert.Contains("2.00 s", html);
    }

    [Fact]
    public void Sanitizer_keeps_tables_and_closes_what_outputs_leave_open()
    {
        Assert.Equal("<table class=\"t\"><tr><td colspan=\"2\">a &amp; b</td></tr></table>",
            SafeHtml.Sanitize("<TABLE class='t'><tr><td colspan=2 onmouseover=x()>a &amp; b</td></tr></table>"));
        Assert.Equal("<div><b>x</b></div>", SafeHtml.Sanitize("<div><b>x</div></section></main>"));
        Assert.Equal("1 &lt; 2 ok", SafeHtml.Sanitize("1 < 2 <style>body{}</style><!-- c -->ok"));
    }

    [Fact]
    public void Figure_mime_bundle_carries_plotly_json_html_and_text()
    {
        var script = new PlotlyScript();
        var fig = PcapLab.Charts.Chart.Bar(new[] { "a" }, new double[] { 1 }, name: "bytes").WithTitle("Top");
        var first = fig.ToMimeBundle(script);
        var second = fig.ToMimeBundle(script);
        Assert.Contains("plotly.js v", (string)first["text/html"]);
        Assert.DoesNotContain("plotly.js v", (string)second["text/html"]);
        Assert.Equal("bar", ((JsonElement)first[Figure.PlotlyMimeType]).GetProperty("data")[0].GetProperty("type").GetString());
        Assert.Equal("Figure \"Top\": bar 'bytes' (1 points)", first["text/plain"]);
        // Past the inlined bundle (whose source mentions URLs), the fragment references nothing outside.
        var fragment = ((string)first["text/html"])[PlotlyScript.ScriptElement().Length..];
        Assert.StartsWith("\n<div id=\"pcaplab-plot-", fragment);
        Assert.DoesNotMatch("(src|href)=", fragment);
        Assert.DoesNotMatch("(src|href)=", (string)second["text/html"]);
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PcapLab.Charts;

/// <summary>Plotly's per-plot options (plotly <c>config</c>).</summary>
public sealed class Config : IPlotlyObject
{
    /// <summary>Whether the chart resizes with its container (default here: true).</summary>
    public bool? Responsive { get; set; } = true;
    /// <summary>Whether the plotly logo shows in the mode bar (default here: false).</summary>
    public bool? DisplayLogo { get; set; } = false;
    /// <summary>Mode bar: true (always), false (never), null (on hover).</summary>
    public bool? DisplayModeBar { get; set; }
    /// <summary>A static picture: no hover, zoom or mode bar.</summary>
    public bool? StaticPlot { get; set; }

    void IPlotlyObject.WriteAttributes(Utf8JsonWriter w)
    {
        w.Opt("responsive", Responsive);
        w.Opt("displaylogo", DisplayLogo);
        w.Opt("displayModeBar", DisplayModeBar);
        w.Opt("staticPlot", StaticPlot);
    }
}

/// <summary>
/// A plotly figure: traces in <see cref="Data"/>, the rest in <see cref="Layout"/>. Build one with <see cref="Chart"/>
/// or by hand; a notebook displays it as <c>application/vnd.plotly.v1+json</c> with an offline HTML fallback.
/// </summary>
public sealed partial class Figure
{
    /// <summary>The mime type Jupyter front ends render with plotly.</summary>
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>An empty figure.</summary>
    public Figure() { }

    /// <summary>A figure with <paramref name="traces"/>.</summary>
    public Figure(params IEnumerable<Trace> traces) => Data.AddRange(traces);

    /// <summary>The traces, drawn in order.</summary>
    public List<Trace> Data { get; } = [];

    /// <summary>Titles, axes, legend, sizes.</summary>
    public Layout Layout { get; set; } = new();

    /// <summary>Plotly options.</summary>
    public Config Config { get; set; } = new();

    /// <summary>Adds traces; returns this figure.</summary>
    public Figure Add(params IEnumerable<Trace> traces)
    {
        Data.AddRange(traces);
        return this;
    }

    /// <summary>Sets the title; returns this figure.</summary>
    public Figure WithTitle(string title)
    {
        Layout.Title = title;
        return this;
    }

    /// <summary>Sets the first axes' titles; returns this figure.</summary>
    public Figure WithAxisTitles(string? x, string? y)
    {
        if (x is not null) Layout.XAxis.Title = x;
        if (y is not null) Layout.YAxis.Title = y;
        return this;
    }

    /// <summary>Changes the layout in place; returns this figure.</summary>
    public Figure WithLayout(Action<Layout> change)
    {
        change(Layout);
        return this;
    }

    /// <summary>Writes {"data": [...], "layout": {...}, "config": {...}}.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartArray("data");
        foreach (var t in Data) t.Write(w);
        w.WriteEndArray();
        w.Opt("layout", Layout);
        w.Opt("config", Config);
        w.WriteEndObject();
    }

    /// <summary>The figure as plotly JSON. The default encoder escapes &lt; &gt; &amp; so the text is safe inside a &lt;script&gt;.</summary>
    public string ToJson(bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            WriteTo(w);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// A div and a script drawing this figure with <c>Plotly.newPlot</c>. plotly.js is inlined before it when
    /// <paramref name="includePlotlyJs"/>; otherwise the page must already have loaded it. Never loads anything from the network.
    /// A failure is written into the div and to the console.
    /// </summary>
    public string ToHtml(bool includePlotlyJs)
    {
        var id = "pcaplab-plot-" + Guid.NewGuid().ToString("N");
        var sb = new StringBuilder();
        if (includePlotlyJs) sb.Append(PlotlyScript.ScriptElement()).Append('\n');
        sb.Append("<div id=\"").Append(id).Append("\" class=\"pcaplab-plot\"></div>\n<script>(function () {\n")
          .Append("  var el = document.getElementById('").Append(id).Append("');\n")
          .Append("  var fig = ").Append(ToJson()).Append(";\n")
          .Append("""
                    function fail(e) { el.className += ' pcaplab-plot-error'; el.textContent = 'Chart failed: ' + e; console.error(e); }
                    if (!window.Plotly) { fail(new Error('plotly.js is not loaded: the first chart of a notebook or report carries it')); return; }
                    try { Plotly.newPlot(el, fig.data, fig.layout, fig.config).catch(fail); } catch (e) { fail(e); }
                  })();</script>
                  """);
        return sb.ToString();
    }

    /// <summary>
    /// The display bundle: <c>application/vnd.plotly.v1+json</c> (a <see cref="JsonElement"/> holding data, layout, config),
    /// <c>text/html</c> (<see cref="ToHtml"/>, a string) and <c>text/plain</c> (<see cref="ToString"/>).
    /// </summary>
    public IReadOnlyDictionary<string, object> ToMimeBundle(bool includePlotlyJs) => new Dictionary<string, object>
    {
        [PlotlyMimeType] = JsonSerializer.Deserialize<JsonElement>(ToJson()),
        ["text/html"] = ToHtml(includePlotlyJs),
        ["text/plain"] = ToString(),
    };

    /// <summary>The display bundle, inlining plotly.js only if <paramref name="script"/> has not carried it yet.</summary>
    public IReadOnlyDictionary<string, object> ToMimeBundle(PlotlyScript script) => ToMimeBundle(script.IncludeOnce());

    /// <summary>One line: title and traces.</summary>
    public override string ToString()
    {
        var traces = Data.Count == 0 ? "no traces" : string.Join(", ", Data.Select(t => t.Summary));
        return $"Figure{(Layout.Title is { } t ? $" \"{t}\"" : "")}: {traces}";
    }
}

using System.Text.RegularExpressions;

namespace PcapLab.Charts;

/// <summary>
/// The pinned plotly.js bundle (plotly.js-dist-min) that charts are drawn with, inlined into HTML because reports
/// must work offline. An instance tracks whether one notebook session or report has already carried it:
/// the first chart includes it, later ones reuse <c>window.Plotly</c>.
/// </summary>
public sealed partial class PlotlyScript
{
    /// <summary>The bundle's file name next to the binaries.</summary>
    public const string FileName = "plotly.min.js";

    private static readonly Lazy<string> s_source = new(() => File.ReadAllText(Locate()));

    /// <summary>Whether this session or report has already included the bundle.</summary>
    public bool Included { get; private set; }

    /// <summary>True the first time it is called on this instance (include the bundle now), false afterwards.</summary>
    public bool IncludeOnce()
    {
        if (Included) return false;
        Included = true;
        return true;
    }

    /// <summary>Forgets the inclusion, e.g. when a kernel restarts and the front end reloads outputs.</summary>
    public void Reset() => Included = false;

    /// <summary>
    /// Path of plotly.min.js: next to the binaries (<see cref="AppContext.BaseDirectory"/>), else in
    /// <c>.cache/plotly/</c> of a repository above them (development builds). Throws <see cref="FileNotFoundException"/> saying how to get it.
    /// </summary>
    public static string Locate()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, FileName);
        if (File.Exists(beside)) return beside;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var cached = Path.Combine(d.FullName, ".cache", "plotly", FileName);
            if (File.Exists(cached)) return cached;
        }
        throw new FileNotFoundException(
            $"plotly.js not found: expected {beside} or .cache/plotly/{FileName} in a repository above it. " +
            "Run ./build.sh, which fetches the pinned plotly.js-dist-min package and copies it next to the binaries.", beside);
    }

    /// <summary>The bundle's JavaScript source.</summary>
    public static string Source => s_source.Value;

    /// <summary>The bundle's version from its header comment (e.g. "3.3.0"), or null when the header is missing.</summary>
    public static string? Version => VersionHeader().Match(Source.Length > 200 ? Source[..200] : Source) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>A &lt;script&gt; element carrying the whole bundle, with a CSP <paramref name="nonce"/> when the page uses one.</summary>
    public static string ScriptElement(string? nonce = null) =>
        (nonce is null ? "<script>" : $"<script nonce=\"{nonce}\">") + EscapeForScript(Source) + "</script>";

    /// <summary>Makes text safe inside an inline &lt;script&gt;: nothing in it can close the element.</summary>
    internal static string EscapeForScript(string js) => ScriptClose().Replace(js, m => "<\\/" + m.Value[2..]);

    [GeneratedRegex(@"plotly\.js v(\d+\.\d+\.\d+)")]
    private static partial Regex VersionHeader();

    [GeneratedRegex("</script", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptClose();
}

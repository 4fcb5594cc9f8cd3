using System.Net;
using System.Text.RegularExpressions;

namespace PcapLab.Detect.Rules;

/// <summary>
/// Payload patterns for web attacks, matched case-insensitively against HTTP request fields after URL-decoding.
/// Compiled with <see cref="RegexOptions.NonBacktracking"/> so hostile input cannot make matching slow.
/// </summary>
public static class WebAttackPatterns
{
    /// <summary>SQL injection: tautologies after a quote, UNION SELECT, stacked queries, comment-terminated quotes, time-based and error-based probes.</summary>
    public const string SqlInjection =
        @"'\s*(or|and|\|\||&&)\s*('[^']*'|\d+|true|false)\s*(=|<|>|like\b)" +
        @"|\bunion(\s+all|\s+distinct)?\s+select\b" +
        @"|'\s*(;|--|#|/\*)" +
        @"|\b(or|and)\s+(\d+)\s*=\s*\d+\s*($|--|#|/\*|\)|;|')" +
        @"|;\s*(drop|insert|update|delete|shutdown|exec|declare)\s" +
        @"|\b(sleep|benchmark|pg_sleep)\s*\(\s*\d" +
        @"|\bwaitfor\s+delay\s+'" +
        @"|\binformation_schema\b" +
        @"|\bexec(ute)?\s+xp_\w+" +
        @"|\b(extractvalue|updatexml)\s*\(";

    /// <summary>Cross-site scripting: script tags, javascript: URLs, inline event handlers in tags, cookie theft, alert-style probes.</summary>
    public const string Xss =
        @"<\s*/?\s*script\b" +
        @"|\bjavascript\s*:" +
        @"|<[^>]*\bon(error|load|mouseover|focus|click|mouseenter|animationstart|toggle|begin|pageshow)\s*=" +
        @"|\bdocument\s*\.\s*(cookie|domain|write)\b" +
        @"|\b(alert|prompt|confirm)\s*\(\s*(['""\d]|document)" +
        @"|<\s*(iframe|svg|object|embed)\b";

    /// <summary>Path traversal: two or more ../ (either slash), one ../ toward a well-known sensitive file, absolute sensitive paths in parameters, overlong UTF-8 slashes.</summary>
    public const string PathTraversal =
        @"(\.\.[/\\]){2,}" +
        @"|\.\.[/\\].*(etc[/\\](passwd|shadow|hosts|group)|win\.ini|boot\.ini|system32|proc[/\\]self)" +
        @"|(^|[=/\\])(etc/(passwd|shadow)|proc/self/environ)\b" +
        @"|%c0%af|%c1%9c|%e0%80%af";

    /// <summary>Command injection: a shell separator (; | || &amp;&amp; ` $( ) followed by a common command, shell paths, ${IFS}.</summary>
    public const string CommandInjection =
        @"(;|\|\|?|&&|`|\$\()\s*(cat|ls|id|whoami|uname|wget|curl|nc|ncat|netcat|bash|sh|zsh|ping|nslookup|echo|rm|chmod|python[0-9.]*|perl|php|ruby|sleep|ifconfig|pwd|busybox|powershell)(\s|$|[;|&<>'""`)])" +
        @"|/bin/(ba|z|da)?sh\b" +
        @"|\$\{IFS\}" +
        @"|\bcmd(\.exe)?\s+/c\b";

    /// <summary>Log4Shell (CVE-2021-44228): a <c>${jndi:</c> lookup, after nested lookups such as <c>${lower:j}</c> or <c>${::-n}</c> are resolved.</summary>
    public const string Log4Shell = @"\$\{jndi:";

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    internal static readonly Regex SqlInjectionRegex = new(SqlInjection, Options);
    internal static readonly Regex XssRegex = new(Xss, Options);
    internal static readonly Regex PathTraversalRegex = new(PathTraversal, Options);
    internal static readonly Regex CommandInjectionRegex = new(CommandInjection, Options);
    internal static readonly Regex Log4ShellRegex = new(Log4Shell, Options);

    // ${lower:x} / ${upper:x} → x; ${anything:-x} (a default value: ${::-j}, ${env:NOPE:-j}) → x. Innermost first.
    private static readonly Regex s_caseLookup = new(@"\$\{(lower|upper):([^${}]*)\}", Options);
    private static readonly Regex s_defaultLookup = new(@"\$\{[^${}]*:-([^${}]*)\}", Options);

    /// <summary>
    /// The forms of <paramref name="field"/> the patterns are matched against: as sent, then each round of
    /// URL-decoding (%xx and '+') that changed it, up to <paramref name="rounds"/>.
    /// </summary>
    public static IEnumerable<string> Decodings(string field, int rounds)
    {
        yield return field;
        string current = field;
        for (int i = 0; i < rounds; i++)
        {
            string next = WebUtility.UrlDecode(current);
            if (next == current) yield break;
            yield return current = next;
        }
    }

    /// <summary>Resolves the nested lookups Log4Shell payloads use to hide <c>${jndi:</c> (bounded rounds).</summary>
    public static string ResolveLookups(string s)
    {
        for (int i = 0; i < 16 && s.Contains("${", StringComparison.Ordinal); i++)
        {
            string next = s_defaultLookup.Replace(s_caseLookup.Replace(s, "$2"), "$1");
            if (next == s) break;
            s = next;
        }
        return s;
    }
}

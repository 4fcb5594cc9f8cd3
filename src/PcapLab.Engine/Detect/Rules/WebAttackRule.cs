using System.Text;
using System.Text.RegularExpressions;

namespace PcapLab.Detect.Rules;

/// <summary>
/// Web attacks in HTTP requests: SQL injection, XSS, path traversal, command injection and Log4Shell lookups, matched
/// (see <see cref="WebAttackPatterns"/>) in the URI, the first bytes of the request body, the User-Agent and the
/// Referer, as sent and after each URL-decoding round. One alert per attack class, source and server. Why: these
/// payloads have no business in ordinary requests. Severity MALICIOUS; score 0.8 for attempts, 1.0 when a matching
/// request was answered 2xx (it may have worked).
/// </summary>
public sealed record WebAttackRule : DetectionRule
{
    /// <summary>URL-decoding rounds tried after the raw text (double encoding needs 2). Default 3.</summary>
    public int DecodeRounds { get; init; }

    /// <summary>Matching requests from a source to a server needed to alert. Default 1.</summary>
    public int MinMatches { get; init; }

    /// <summary>Characters of each field inspected (longer values are cut). Default 8192.</summary>
    public int MaxFieldChars { get; init; }

    /// <summary>Look for SQL injection (alert rule <c>sql_injection</c>). Default true.</summary>
    public bool SqlInjection { get; init; }

    /// <summary>Look for cross-site scripting (alert rule <c>xss</c>). Default true.</summary>
    public bool Xss { get; init; }

    /// <summary>Look for path traversal (alert rule <c>path_traversal</c>). Default true.</summary>
    public bool PathTraversal { get; init; }

    /// <summary>Look for OS command injection (alert rule <c>command_injection</c>). Default true.</summary>
    public bool CommandInjection { get; init; }

    /// <summary>Look for Log4Shell JNDI lookups (alert rule <c>log4shell</c>). Default true.</summary>
    public bool Log4Shell { get; init; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["sql_injection", "xss", "path_traversal", "command_injection", "log4shell"];

    private IEnumerable<(string Rule, string Name, Regex Regex)> Classes()
    {
        if (SqlInjection) yield return ("sql_injection", "SQL injection", WebAttackPatterns.SqlInjectionRegex);
        if (Xss) yield return ("xss", "XSS", WebAttackPatterns.XssRegex);
        if (PathTraversal) yield return ("path_traversal", "path traversal", WebAttackPatterns.PathTraversalRegex);
        if (CommandInjection) yield return ("command_injection", "command injection", WebAttackPatterns.CommandInjectionRegex);
        if (Log4Shell) yield return ("log4shell", "Log4Shell lookup", WebAttackPatterns.Log4ShellRegex);
    }

    private static readonly string[] s_fields = ["uri", "body", "user-agent", "referer"];

    internal override void Detect(AlertSink sink)
    {
        var classes = Classes().ToArray();
        if (classes.Length == 0) return;
        var groups = new Dictionary<(string Rule, string? Src, string? Dst), Group>();
        using (var r = sink.Db.Query("""
            SELECT epoch_ns(h.ts), h.flow_id, c.orig_h, c.resp_h, h.uri, h.request_body, h.user_agent, h.referrer, h.status_code, h.method
            FROM http h LEFT JOIN flows c ON c.flow_id = h.flow_id AND c.capture_id = h.capture_id
            ORDER BY h.ts, h.flow_id, h.trans_depth
            """))
        {
            var fields = new string?[4];
            while (r.Read())
            {
                for (int f = 0; f < 4; f++) fields[f] = r.IsNull(4 + f) ? null : Cut(r.GetString(4 + f));
                foreach (var (rule, name, regex) in classes)
                {
                    if (!Matches(regex, rule, fields, out int field, out string evidence)) continue;
                    string? src = r.IsNull(2) ? null : r.GetString(2), dst = r.IsNull(3) ? null : r.GetString(3);
                    if (!groups.TryGetValue((rule, src, dst), out var g))
                        groups[(rule, src, dst)] = g = new Group(name, r.GetInt64(0), Printable(evidence), s_fields[field], r.IsNull(9) ? "?" : r.GetString(9));
                    g.Add(r.GetInt64(0), r.IsNull(1) ? null : r.GetInt64(1), r.IsNull(8) ? null : (int?)Convert.ToInt32(r.GetValue(8)));
                }
            }
        }
        foreach (var ((rule, src, dst), g) in groups.OrderBy(kv => kv.Value.First))
        {
            if (g.Count < MinMatches) continue;
            string summary = $"{g.Count} request(s) with {g.Name} from {src ?? "?"} to {dst ?? "?"}" +
                $"{(g.Answered2xx > 0 ? $", {g.Answered2xx} answered 2xx" : "")}; first in {g.Field}: {g.Method} {g.Example}";
            sink.Add(new StagedAlert(g.First, g.Last, AlertSeverity.Malicious, rule, src, dst, summary, g.Flows, g.Answered2xx > 0 ? 1.0 : 0.8));
        }
    }

    private string Cut(string s) => s.Length > MaxFieldChars ? s[..MaxFieldChars] : s;

    private bool Matches(Regex regex, string rule, string?[] fields, out int field, out string evidence)
    {
        for (field = 0; field < fields.Length; field++)
        {
            if (fields[field] is not { Length: > 0 } text) continue;
            foreach (var form in WebAttackPatterns.Decodings(text, DecodeRounds))
            {
                var candidate = rule == "log4shell" ? WebAttackPatterns.ResolveLookups(form) : form;
                if (regex.IsMatch(candidate)) { evidence = form; return true; }
            }
        }
        evidence = "";
        return false;
    }

    // Summaries are read in terminals and notebooks: no control characters, bounded length.
    private static string Printable(string s)
    {
        var sb = new StringBuilder(Math.Min(s.Length, 160));
        foreach (char c in s.Length > 160 ? s[..160] : s) sb.Append(char.IsControl(c) ? ' ' : c);
        if (s.Length > 160) sb.Append('…');
        return sb.ToString();
    }

    private sealed class Group(string name, long first, string example, string field, string method)
    {
        private readonly HashSet<long> _seen = [];
        public string Name { get; } = name;
        public long First { get; } = first;
        public long Last { get; private set; } = first;
        public string Example { get; } = example;
        public string Field { get; } = field;
        public string Method { get; } = method;
        public int Count { get; private set; }
        public int Answered2xx { get; private set; }
        public List<long> Flows { get; } = [];

        public void Add(long ts, long? flowId, int? status)
        {
            Count++;
            Last = Math.Max(Last, ts);
            if (status is >= 200 and < 300) Answered2xx++;
            if (flowId is long id && _seen.Add(id)) Flows.Add(id);
        }
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Ml.Labels;

/// <summary>
/// One row of a labels CSV: flows matching every non-empty field get <see cref="Label"/>. Fields: <c>start</c>, <c>end</c>
/// (ISO-8601 times or Unix seconds; the flow's first packet must fall inside, ends inclusive), <c>src_cidr</c>,
/// <c>dst_cidr</c> (an address or a CIDR block; <c>src</c>/<c>dst</c> also accepted), <c>dst_port</c> (a port or
/// <c>lo-hi</c>; <c>port</c> also accepted), <c>proto</c> (tcp, udp, icmp), <c>capture</c> (the capture's path or its
/// ending, e.g. <c>train/benign/http.pcap</c>), <c>label</c> (required).
/// </summary>
/// <param name="Line">The rule's line in the file (1-based), to name it in warnings.</param>
/// <param name="Label">The label matching flows get.</param>
/// <param name="StartNs">Earliest flow start (ns since the Unix epoch), or null.</param>
/// <param name="EndNs">Latest flow start (ns, inclusive), or null.</param>
/// <param name="Src">Originator block, or null.</param>
/// <param name="Dst">Responder block, or null.</param>
/// <param name="PortLow">Lowest responder port, or null for any.</param>
/// <param name="PortHigh">Highest responder port (inclusive).</param>
/// <param name="Proto">tcp, udp or icmp, or null.</param>
/// <param name="Capture">The capture path or its ending, or null.</param>
public sealed record LabelRule(int Line, string Label, long? StartNs, long? EndNs, IPNetwork? Src, IPNetwork? Dst,
    int? PortLow, int? PortHigh, string? Proto, string? Capture)
{
    /// <summary>True when a flow with these values matches every field of the rule.</summary>
    public bool Matches(long tsNs, IPAddress? orig, IPAddress? resp, int respPort, string proto, string capturePath)
    {
        if (StartNs is { } s && tsNs < s) return false;
        if (EndNs is { } e && tsNs > e) return false;
        if (Proto is { } p && !string.Equals(p, proto, StringComparison.OrdinalIgnoreCase)) return false;
        if (PortLow is { } lo && (respPort < lo || respPort > PortHigh)) return false;
        if (Src is { } sn && (orig is null || !sn.Contains(Mapped(orig, sn)))) return false;
        if (Dst is { } dn && (resp is null || !dn.Contains(Mapped(resp, dn)))) return false;
        if (Capture is { } c && !CsvLabelRules.SameCapture(capturePath, c)) return false;
        return true;
    }

    // An IPv4-mapped IPv6 flow address still matches an IPv4 block.
    private static IPAddress Mapped(IPAddress a, IPNetwork n) =>
        a.IsIPv4MappedToIPv6 && n.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? a.MapToIPv4() : a;

    /// <summary>The rule as the analyst wrote it, for messages.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Src is { } s) parts.Add($"src {s}");
        if (Dst is { } d) parts.Add($"dst {d}");
        if (PortLow is { } lo) parts.Add(lo == PortHigh ? $"port {lo}" : $"ports {lo}-{PortHigh}");
        if (Proto is { } p) parts.Add(p);
        if (Capture is { } c) parts.Add($"capture {c}");
        if (StartNs is not null || EndNs is not null) parts.Add("time window");
        return $"line {Line} ({string.Join(", ", parts)} → {Label})";
    }
}

/// <summary>Reads labels CSV files into <see cref="LabelRule"/>s; the first matching rule labels a flow.</summary>
public static class CsvLabelRules
{
    /// <summary>Parses a labels CSV (a header row naming the fields, then one rule per row; '#' lines are comments).</summary>
    /// <exception cref="LabelSourceException">The file is missing, has no label column, or a field cannot be read (line and field named).</exception>
    public static IReadOnlyList<LabelRule> Read(string path)
    {
        if (!File.Exists(path)) throw new LabelSourceException($"labels file '{path}' does not exist");
        var lines = File.ReadAllLines(path);
        int headerLine = Array.FindIndex(lines, l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
        if (headerLine < 0) throw new LabelSourceException($"labels file '{path}' is empty; it needs a header row (start,end,src_cidr,dst_cidr,dst_port,proto,label) and rules");
        var header = SplitCsv(lines[headerLine]).Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int Col(params string[] names) => Array.FindIndex(header, h => names.Contains(h));
        int cLabel = Col("label"), cStart = Col("start", "start_ts"), cEnd = Col("end", "end_ts"), cSrc = Col("src_cidr", "src", "orig_h"),
            cDst = Col("dst_cidr", "dst", "resp_h"), cPort = Col("dst_port", "port", "resp_p"), cProto = Col("proto"), cCapture = Col("capture");
        if (cLabel < 0) throw new LabelSourceException($"labels file '{path}': the header row has no 'label' column (found: {string.Join(", ", header)})");
        var known = new[] { cLabel, cStart, cEnd, cSrc, cDst, cPort, cProto, cCapture };
        var unknown = header.Where((h, i) => !known.Contains(i)).ToArray();
        if (unknown.Length > 0)
            throw new LabelSourceException($"labels file '{path}': unknown column(s) {string.Join(", ", unknown)}; known: start, end, src_cidr, dst_cidr, dst_port, proto, capture, label");

        var rules = new List<LabelRule>();
        for (int i = headerLine + 1; i < lines.Length; i++)
        {
            var raw = lines[i];
            if (raw.Trim().Length == 0 || raw.TrimStart().StartsWith('#')) continue;
            var f = SplitCsv(raw);
            int line = i + 1;
            string? Field(int c) => c >= 0 && c < f.Count && f[c].Trim() is { Length: > 0 } v ? v : null;
            LabelSourceException Bad(string what) => new($"labels file '{path}' line {line}: {what}");
            var label = Field(cLabel) ?? throw Bad("the label is empty");
            long? start = Field(cStart) is { } st ? ParseTime(st) ?? throw Bad($"start '{st}' is not an ISO-8601 time or Unix seconds") : null;
            long? end = Field(cEnd) is { } en ? ParseTime(en) ?? throw Bad($"end '{en}' is not an ISO-8601 time or Unix seconds") : null;
            if (start > end) throw Bad("start is after end");
            IPNetwork? src = Field(cSrc) is { } s ? ParseNetwork(s) ?? throw Bad($"src '{s}' is not an address or CIDR block") : null;
            IPNetwork? dst = Field(cDst) is { } d ? ParseNetwork(d) ?? throw Bad($"dst '{d}' is not an address or CIDR block") : null;
            int? lo = null, hi = null;
            if (Field(cPort) is { } p)
            {
                if (!TryParsePorts(p, out var a, out var b)) throw Bad($"dst_port '{p}' is not a port or a lo-hi range within 0-65535");
                (lo, hi) = (a, b);
            }
            var proto = Field(cProto)?.ToLowerInvariant();
            if (proto is not (null or "tcp" or "udp" or "icmp")) throw Bad($"proto '{proto}' is not tcp, udp or icmp");
            rules.Add(new LabelRule(line, label, start, end, src, dst, lo, hi, proto, Field(cCapture)?.Replace('\\', '/')));
        }
        if (rules.Count == 0) throw new LabelSourceException($"labels file '{path}' has a header but no rules");
        return rules;
    }

    /// <summary>True when a stored capture path is <paramref name="capture"/> or ends with it as whole path segments.</summary>
    public static bool SameCapture(string storedPath, string capture)
    {
        var p = storedPath.Replace('\\', '/');
        var c = capture.TrimStart('.', '/');
        return p == capture || p.EndsWith("/" + c, StringComparison.Ordinal) || p == c;
    }

    private static bool TryParsePorts(string s, out int lo, out int hi)
    {
        var dash = s.IndexOf('-');
        var inv = CultureInfo.InvariantCulture;
        bool ok;
        if (dash < 0) { ok = int.TryParse(s, inv, out lo); hi = lo; }
        else ok = int.TryParse(s[..dash], inv, out lo) & int.TryParse(s[(dash + 1)..], inv, out hi);
        return ok && lo >= 0 && hi <= 65535 && lo <= hi;
    }

    private static long? ParseTime(string s)
    {
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs)) return (long)Math.Round(secs * 1e9);
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        return null;
    }

    private static IPNetwork? ParseNetwork(string s)
    {
        if (IPNetwork.TryParse(s, out var n)) return n;
        if (IPAddress.TryParse(s, out var a)) return new IPNetwork(a, a.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return null;
    }

    // Comma-separated fields with optional double quotes ("" inside quotes is a quote).
    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var sb = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return fields;
    }
}

/// <summary>Labels from a labels CSV: the first rule matching a flow wins.</summary>
internal sealed class CsvLabelSource(string path, string? defaultLabel) : LabelSource
{
    public override string Description => $"labels file {path}" + (defaultLabel is null ? "" : $" (default '{defaultLabel}')");

    public override FlowLabels Apply(DuckDbConnection db, CancellationToken ct = default)
    {
        var rules = CsvLabelRules.Read(path);
        LabStore.EnsureSchema(db);
        var hits = new int[rules.Count];
        var labels = new Dictionary<long, string>();
        int unlabeled = 0;
        using var stop = ct.Register(db.Interrupt);
        using (var r = db.Query("""
            SELECT f.flow_id, epoch_ns(f.ts), f.orig_h, f.resp_h, f.resp_p, f.proto, coalesce(c.path, '')
            FROM flows f LEFT JOIN captures c USING (capture_id) ORDER BY f.flow_id
            """))
        {
            while (r.Read())
            {
                ct.ThrowIfCancellationRequested();
                IPAddress.TryParse(r.GetString(2), out var orig);
                IPAddress.TryParse(r.GetString(3), out var resp);
                long ts = r.GetInt64(1);
                int port = (int)r.GetInt64(4);
                string proto = r.GetString(5), capture = r.GetString(6);
                int match = -1;
                for (int i = 0; i < rules.Count && match < 0; i++)
                    if (rules[i].Matches(ts, orig, resp, port, proto, capture)) match = i;
                if (match >= 0) { hits[match]++; labels[r.GetInt64(0)] = rules[match].Label; }
                else if (defaultLabel is not null) labels[r.GetInt64(0)] = defaultLabel;
                else unlabeled++;
            }
        }
        var warnings = new List<string>();
        for (int i = 0; i < rules.Count; i++)
            if (hits[i] == 0) warnings.Add($"label rule {rules[i]} in '{path}' matched no flow");
        if (unlabeled > 0) warnings.Add($"{unlabeled} flow(s) matched no label rule and are left out (give a default label to keep them)");
        return new FlowLabels(labels, unlabeled, warnings, null);
    }
}

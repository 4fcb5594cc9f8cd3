using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using PcapLab.Charts;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Charts;

/// <summary>
/// plotly.js's own attribute schema (Plotly.PlotSchema.get() from the pinned bundle, read in headless Chromium by
/// tests/browser/plotly-schema.sh and cached under artifacts/) and a walker that reports every attribute plotly does not accept.
/// </summary>
internal sealed class PlotlySchema
{
    private static readonly Lazy<PlotlySchema> s_shared = new(Load);
    private static readonly HashSet<string> MetaKeys = ["editType", "role", "description", "impliedEdits", "_isSubplotObj", "_isLinkedToArray", "_arrayAttrRegexps", "_deprecated", "anim"];
    private readonly JsonElement _root;

    private PlotlySchema(JsonElement root) => _root = root;

    public static PlotlySchema Shared => s_shared.Value;

    private static PlotlySchema Load()
    {
        var plotly = PlotlyScript.Locate();
        var dir = Path.Combine(Repo.Root, "artifacts", "plotly-schema");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"plot-schema-{PlotlyScript.Version ?? "unknown"}.json");
        if (!File.Exists(file) || File.GetLastWriteTimeUtc(file) < File.GetLastWriteTimeUtc(plotly))
        {
            var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
            psi.ArgumentList.Add(Path.Combine(Repo.Root, "tests", "browser", "plotly-schema.sh"));
            psi.ArgumentList.Add(plotly);
            psi.ArgumentList.Add(file);
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); throw new TimeoutException("plotly-schema.sh did not finish"); }
            if (p.ExitCode != 0) throw new InvalidOperationException("plotly-schema.sh failed: " + stderr.Result);
        }
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        return new PlotlySchema(doc.RootElement.Clone());
    }

    /// <summary>Every problem in a figure's JSON ({data, layout, config}), each naming its path; empty when plotly accepts it all.</summary>
    public List<string> Validate(string figureJson)
    {
        using var doc = JsonDocument.Parse(figureJson);
        var errors = new List<string>();
        var fig = doc.RootElement;
        var traces = _root.GetProperty("traces");
        var layoutAttrs = new Dictionary<string, JsonElement>();
        foreach (var p in _root.GetProperty("layout").GetProperty("layoutAttributes").EnumerateObject()) layoutAttrs[p.Name] = p.Value;

        foreach (var p in fig.EnumerateObject())
            if (p.Name is not ("data" or "layout" or "config")) errors.Add($"figure.{p.Name}: not a plotly figure key");

        if (fig.TryGetProperty("data", out var data))
        {
            var i = 0;
            foreach (var trace in data.EnumerateArray())
            {
                var path = $"data[{i++}]";
                var type = trace.TryGetProperty("type", out var t) ? t.GetString()! : "scatter";
                if (!traces.TryGetProperty(type, out var ts)) { errors.Add($"{path}.type: unknown trace type '{type}'"); continue; }
                WalkObject(trace, ts.GetProperty("attributes"), path, errors);
                // Trace types add their own layout attributes (barmode for bar, boxmode for box).
                if (ts.TryGetProperty("layoutAttributes", out var extra))
                    foreach (var p in extra.EnumerateObject()) layoutAttrs.TryAdd(p.Name, p.Value);
            }
        }
        if (fig.TryGetProperty("layout", out var layout)) WalkObject(layout, layoutAttrs, "layout", errors);
        if (fig.TryGetProperty("config", out var config)) WalkObject(config, _root.GetProperty("config"), "config", errors);
        return errors;
    }

    private static void WalkObject(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        var attrs = new Dictionary<string, JsonElement>();
        foreach (var p in schema.EnumerateObject()) attrs[p.Name] = p.Value;
        WalkObject(value, attrs, path, errors);
    }

    private static void WalkObject(JsonElement value, Dictionary<string, JsonElement> attrs, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Object) { errors.Add($"{path}: expected an object, got {value.ValueKind}"); return; }
        foreach (var p in value.EnumerateObject())
        {
            var at = $"{path}.{p.Name}";
            if (MetaKeys.Contains(p.Name) || !attrs.TryGetValue(p.Name, out var attr))
            {
                // xaxis2, yaxis3, ... share the schema of xaxis / yaxis.
                var m = Regex.Match(p.Name, @"^([a-z]+?)([2-9]|[1-9][0-9]+)$");
                if (!m.Success || !attrs.TryGetValue(m.Groups[1].Value, out attr) || !attr.TryGetProperty("_isSubplotObj", out _))
                {
                    errors.Add($"{at}: unknown attribute");
                    continue;
                }
            }
            WalkValue(p.Value, attr, at, errors);
        }
    }

    private static void WalkValue(JsonElement v, JsonElement attr, string path, List<string> errors)
    {
        if (attr.ValueKind == JsonValueKind.String)
        {
            // A trace's "type" is stored as the bare type name.
            if (v.ValueKind != JsonValueKind.String || v.GetString() != attr.GetString()) errors.Add($"{path}: must be \"{attr.GetString()}\"");
            return;
        }
        if (attr.TryGetProperty("valType", out var vt))
        {
            CheckLeaf(v, vt.GetString()!, attr, path, errors);
            return;
        }
        if (attr.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object)
        {
            // Arrays of objects (annotations, shapes): items holds one named item schema.
            if (v.ValueKind != JsonValueKind.Array) { errors.Add($"{path}: expected an array of objects"); return; }
            var item = items.EnumerateObject().First().Value;
            var i = 0;
            foreach (var e in v.EnumerateArray()) WalkObject(e, item, $"{path}[{i++}]", errors);
            return;
        }
        WalkObject(v, attr, path, errors);
    }

    private static void CheckLeaf(JsonElement v, string valType, JsonElement attr, string path, List<string> errors)
    {
        var arrayOk = attr.TryGetProperty("arrayOk", out var ao) && ao.GetBoolean();
        if (v.ValueKind == JsonValueKind.Array && valType is not ("data_array" or "info_array" or "colorscale" or "colorlist" or "any"))
        {
            if (!arrayOk) errors.Add($"{path}: {valType} does not take an array");
            return;
        }
        switch (valType)
        {
            case "data_array" or "info_array" or "colorlist":
                if (v.ValueKind != JsonValueKind.Array) errors.Add($"{path}: {valType} must be an array");
                break;
            case "boolean":
                if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) errors.Add($"{path}: must be true or false");
                break;
            case "number" or "integer" or "angle":
                if (v.ValueKind != JsonValueKind.Number) errors.Add($"{path}: must be a number");
                else if (valType == "integer" && !v.TryGetInt64(out _)) errors.Add($"{path}: must be an integer");
                break;
            case "string" or "color" or "subplotid":
                if (v.ValueKind != JsonValueKind.String) errors.Add($"{path}: must be a string");
                break;
            case "enumerated":
                if (!attr.GetProperty("values").EnumerateArray().Any(allowed => Matches(allowed, v)))
                    errors.Add($"{path}: {v.GetRawText()} is not one of {attr.GetProperty("values").GetRawText()}");
                break;
            case "flaglist":
                var flags = attr.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToHashSet();
                var extras = attr.TryGetProperty("extras", out var ex) ? ex.EnumerateArray().ToList() : [];
                var ok = extras.Any(e => Matches(e, v)) || v.ValueKind == JsonValueKind.String && v.GetString()!.Split('+').All(flags.Contains);
                if (!ok) errors.Add($"{path}: {v.GetRawText()} is not a '+' list of {string.Join(",", flags)} nor one of {ex}");
                break;
        }
    }

    private static bool Matches(JsonElement allowed, JsonElement v)
    {
        if (allowed.ValueKind == JsonValueKind.String && v.ValueKind == JsonValueKind.String)
        {
            var a = allowed.GetString()!;
            return a.Length > 2 && a[0] == '/' && a[^1] == '/' ? Regex.IsMatch(v.GetString()!, a[1..^1]) : a == v.GetString();
        }
        return allowed.ValueKind == v.ValueKind && allowed.GetRawText() == v.GetRawText();
    }
}

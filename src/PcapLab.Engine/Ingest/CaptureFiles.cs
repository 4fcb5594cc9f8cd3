namespace PcapLab.Ingest;

/// <summary>Expands the paths and globs an analyst types (<c>evidence/*.pcapng</c>, <c>cases/**/*.pcap</c>) into files.</summary>
public static class CaptureFiles
{
    /// <summary>
    /// Expands each argument: a plain path is kept as is (even when missing, so the load reports it),
    /// a pattern with <c>*</c>, <c>?</c> or <c>**</c> becomes the sorted files it matches. Duplicates are dropped.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> patterns, string? baseDirectory = null)
    {
        var baseDir = baseDirectory ?? Directory.GetCurrentDirectory();
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            if (pattern.IndexOfAny(['*', '?']) < 0)
            {
                var full = Path.GetFullPath(Path.Combine(baseDir, pattern));
                if (seen.Add(full)) result.Add(full);
                continue;
            }
            var matches = Match(baseDir, pattern).ToList();
            matches.Sort(StringComparer.Ordinal);
            if (matches.Count == 0) throw new FileNotFoundException($"no file matches '{pattern}'", pattern);
            foreach (var m in matches) if (seen.Add(m)) result.Add(m);
        }
        return result;
    }

    private static IEnumerable<string> Match(string baseDir, string pattern)
    {
        var full = Path.IsPathRooted(pattern) ? pattern : Path.Combine(baseDir, pattern);
        var parts = full.Split('/', StringSplitOptions.None);
        // The fixed prefix (no wildcards) is where enumeration starts.
        int firstWild = Array.FindIndex(parts, p => p.IndexOfAny(['*', '?']) >= 0);
        var root = string.Join('/', parts[..firstWild]);
        if (root.Length == 0) root = "/";
        return Walk(root, parts[firstWild..]);
    }

    private static IEnumerable<string> Walk(string dir, string[] rest)
    {
        if (!Directory.Exists(dir)) yield break;
        var head = rest[0];
        var opts = new EnumerationOptions { MatchType = MatchType.Simple, IgnoreInaccessible = true, RecurseSubdirectories = false };
        if (head == "**")
        {
            var tail = rest[1..];
            if (tail.Length == 0) yield break;
            foreach (var f in Walk(dir, tail)) yield return f;
            foreach (var sub in Directory.EnumerateDirectories(dir, "*", opts))
                foreach (var f in Walk(sub, rest)) yield return f;
            yield break;
        }
        if (rest.Length == 1)
        {
            foreach (var f in Directory.EnumerateFiles(dir, head, opts)) yield return Path.GetFullPath(f);
            yield break;
        }
        foreach (var sub in Directory.EnumerateDirectories(dir, head, opts))
            foreach (var f in Walk(sub, rest[1..])) yield return f;
    }
}

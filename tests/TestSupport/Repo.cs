namespace PcapLab.Testing;

/// <summary>Where tests find the repository, its datasets, the published CLI and the shared reference corpus.</summary>
public static class Repo
{
    /// <summary>The repository root (the folder holding PcapLab.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>datasets/ in the repository.</summary>
    public static string Datasets => Path.Combine(Root, "datasets");

    /// <summary>tests/data/ in the repository: small real captures recorded for tests.</summary>
    public static string TestData => Path.Combine(Root, "tests", "data");

    /// <summary>The nDPI reference corpus beside the clone (../shared/corpus/ndpi), or null when absent.</summary>
    public static string? NdpiCorpus
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("PCAPLAB_SHARED");
            var shared = !string.IsNullOrEmpty(env) ? env : Path.Combine(Root, "..", "shared");
            var dir = Path.GetFullPath(Path.Combine(shared, "corpus", "ndpi"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>The published CLI (artifacts/pcaplab/pcaplab), or PCAPLAB_CLI when set.</summary>
    public static string Cli =>
        Environment.GetEnvironmentVariable("PCAPLAB_CLI") is { Length: > 0 } p ? p : Path.Combine(Root, "artifacts", "pcaplab", "pcaplab");

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "PcapLab.sln"))) return d.FullName;
        throw new InvalidOperationException("PcapLab.sln not found above " + AppContext.BaseDirectory);
    }
}

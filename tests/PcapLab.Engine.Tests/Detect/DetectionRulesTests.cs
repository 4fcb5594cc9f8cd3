using PcapLab.Detect;

namespace PcapLab.Engine.Tests.Detect;

public sealed class DetectionRulesTests
{
    [Fact]
    public void DefaultsLoadFromTheEmbeddedFile()
    {
        var r = DetectionRules.Default;
        Assert.Equal(1000, r.MaxEvidenceFlows);
        Assert.Equal(20, r.VerticalScan.MinPorts);
        Assert.Equal(0.6, r.VerticalScan.MinFailedFraction);
        Assert.Equal([22, 2222], r.SshBruteForce.Ports);
        Assert.Equal(1_000_000_000, r.HighVolume.MinBytes);
        Assert.True(r.WebAttack.Log4Shell);
        Assert.All(r.All, rule => Assert.True(rule.Enabled));
        Assert.Same(r, DetectionRules.Load(null));
        Assert.Contains("min_ports: 20", DetectionRules.DefaultYaml);
    }

    [Fact]
    public void EveryThresholdIsDocumentedInTheDefaultFile()
    {
        // Each key line in the embedded YAML carries a comment, or belongs to a section whose header explains it.
        var lines = DetectionRules.DefaultYaml.Split('\n');
        foreach (var key in new[] { "min_ports", "min_hosts", "min_rate", "spoofed_min_sources", "min_packets_per_second", "max_attempt_bytes",
                     "min_failures", "median_factor", "min_entropy", "min_txt_null_queries", "min_score", "decode_rounds" })
            Assert.Contains(lines, l => l.TrimStart().StartsWith(key + ":") && l.Contains('#'));
    }

    [Fact]
    public void OverridesApplyOverDefaultsAndLeaveTheRestAlone()
    {
        var r = DetectionRules.Parse("""
            # stricter scans, SSH on a custom port
            vertical_scan:
              min_ports: 5
            ssh_brute_force:
              ports: [2022]
              min_attempts: 1_000
            beaconing:
              enabled: false
            """);
        Assert.Equal(5, r.VerticalScan.MinPorts);
        Assert.Equal(300, r.VerticalScan.MaxGapSeconds);
        Assert.Equal([2022], r.SshBruteForce.Ports);
        Assert.Equal(1000, r.SshBruteForce.MinAttempts);
        Assert.False(r.Beaconing.Enabled);
        Assert.True(r.SynFlood.Enabled);
        Assert.Equal(20, DetectionRules.Default.VerticalScan.MinPorts); // the shared defaults are untouched
    }

    [Fact]
    public void LoadReadsAFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"pcaplab-rules-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "syn_flood:\n  min_rate: 10.5\n");
        try { Assert.Equal(10.5, DetectionRules.Load(path).SynFlood.MinRate); }
        finally { File.Delete(path); }
        Assert.Throws<FileNotFoundException>(() => DetectionRules.Load(path));
    }

    [Theory]
    [InlineData("vertical_scan:\n  min_portz: 5\n", 2, 3, "unknown key in section 'vertical_scan': 'min_portz' (known: enabled, max_gap_seconds, min_failed_fraction, min_ports)")]
    [InlineData("# comment\nvertical_scn:\n  min_ports: 5\n", 2, 1, "unknown section 'vertical_scn'")]
    [InlineData("vertical_scan:\n  min_ports: lots\n", 2, 14, "'vertical_scan.min_ports' expects an integer, got 'lots'")]
    [InlineData("vertical_scan:\n  min_ports: 2.5\n", 2, 14, "expects an integer, got '2.5'")]
    [InlineData("vertical_scan:\n  min_failed_fraction: 1.5\n", 2, 24, "'vertical_scan.min_failed_fraction' must be between 0 and 1, got 1.5")]
    [InlineData("syn_flood:\n  min_rate: -1\n", 2, 13, "must be 0 or more")]
    [InlineData("syn_flood:\n  enabled: yes please\n", 2, 12, "expects true or false")]
    [InlineData("ssh_brute_force:\n  ports: 22\n", 2, 10, "expects a list of integers")]
    [InlineData("ssh_brute_force:\n  ports: [22, 70000]\n", 2, 15, "must be between 0 and 65535")]
    [InlineData("syn_flood: 5\n", 1, 12, "section 'syn_flood' must be a mapping")]
    [InlineData("syn_flood:\n  min_rate:\n", 2, 12, "needs a number value")]
    [InlineData("syn_flood:\n  min_rate: 1\n  min_rate: 2\n", 3, 3, "invalid YAML: Duplicate key")]
    [InlineData("syn_flood:\n  min_rate: [1\n", 3, 1, "invalid YAML")]
    public void BadFilesNameTheKeyLineAndColumn(string yaml, int line, int column, string message)
    {
        var e = Assert.Throws<DetectionRulesException>(() => DetectionRules.Parse(yaml, "my-rules.yaml"));
        Assert.Contains(message, e.Message);
        Assert.StartsWith($"my-rules.yaml:{line}:{column}: ", e.Message);
        Assert.Equal((line, column), ((int)e.Line, (int)e.Column));
    }

    [Fact]
    public void AnEmptyFileChangesNothing()
    {
        Assert.Equal(DetectionRules.Default.SynFlood, DetectionRules.Parse("").SynFlood);
        Assert.Equal(DetectionRules.Default.SynFlood, DetectionRules.Parse("# nothing\n").SynFlood);
    }
}

using PcapLab.Detect.Rules;

namespace PcapLab.Detect;

/// <summary>
/// Every built-in detection rule with its thresholds, as read from a YAML rules file merged over the embedded defaults
/// (<c>rules.default.yaml</c>, which documents every threshold). Immutable: tweak in code with <c>with</c>, e.g.
/// <c>DetectionRules.Default with { VerticalScan = DetectionRules.Default.VerticalScan with { MinPorts = 10 } }</c>.
/// </summary>
public sealed record DetectionRules
{
    /// <summary>Most <c>flow_id</c>s kept as evidence per alert (the first ones in time, or the largest for volume). Default 1000.</summary>
    public int MaxEvidenceFlows { get; init; }

    /// <summary>One source probing many ports of one host (<c>vertical_scan</c>).</summary>
    public VerticalScanRule VerticalScan { get; init; } = new();

    /// <summary>One source probing one port on many hosts (<c>horizontal_scan</c>).</summary>
    public HorizontalScanRule HorizontalScan { get; init; } = new();

    /// <summary>One source sending ICMP echo requests to many hosts (<c>icmp_sweep</c>).</summary>
    public IcmpSweepRule IcmpSweep { get; init; } = new();

    /// <summary>Many half-open or refused TCP connections to one host:port at a high rate (<c>syn_flood</c>).</summary>
    public SynFloodRule SynFlood { get; init; } = new();

    /// <summary>High packet rate of unanswered UDP to one host (<c>udp_flood</c>).</summary>
    public UdpFloodRule UdpFlood { get; init; } = new();

    /// <summary>High packet rate of ICMP to one host (<c>icmp_flood</c>).</summary>
    public IcmpFloodRule IcmpFlood { get; init; } = new();

    /// <summary>Many short, similar SSH connections from one source to one server (<c>ssh_brute_force</c>).</summary>
    public SshBruteForceRule SshBruteForce { get; init; } = new();

    /// <summary>Many short FTP control connections from one source to one server (<c>ftp_brute_force</c>).</summary>
    public FtpBruteForceRule FtpBruteForce { get; init; } = new();

    /// <summary>Many HTTP 401/403 answers to one source (<c>http_auth_brute_force</c>).</summary>
    public HttpAuthBruteForceRule HttpAuthBruteForce { get; init; } = new();

    /// <summary>A source sending far more than the others, or more than an absolute limit (<c>high_volume</c>).</summary>
    public HighVolumeRule HighVolume { get; init; } = new();

    /// <summary>Long, high-entropy, many-distinct subdomains or TXT/NULL volume under one domain (<c>dns_tunnel</c>).</summary>
    public DnsTunnelRule DnsTunnel { get; init; } = new();

    /// <summary>Regular connection intervals and sizes between two hosts, RITA-style (<c>beaconing</c>).</summary>
    public BeaconingRule Beaconing { get; init; } = new();

    /// <summary>SQL injection, XSS, path traversal, command injection and Log4Shell payloads in HTTP requests (<c>web_attack</c>).</summary>
    public WebAttackRule WebAttack { get; init; } = new();

    /// <summary>All rules in the order they run.</summary>
    public IReadOnlyList<DetectionRule> All =>
        [VerticalScan, HorizontalScan, IcmpSweep, SynFlood, UdpFlood, IcmpFlood, SshBruteForce, FtpBruteForce,
         HttpAuthBruteForce, HighVolume, DnsTunnel, Beaconing, WebAttack];

    private static readonly Lazy<DetectionRules> s_default = new(() => RulesFile.ReadDefaults());

    /// <summary>The embedded defaults (<c>rules.default.yaml</c>).</summary>
    public static DetectionRules Default => s_default.Value;

    /// <summary>The embedded defaults' YAML text, comments included: a starting point for a custom rules file.</summary>
    public static string DefaultYaml => RulesFile.DefaultText;

    /// <summary>Reads a rules file and merges it over the defaults; null gives <see cref="Default"/>. Only the keys present change.</summary>
    /// <exception cref="DetectionRulesException">Unknown section or key, wrong type, value out of range, or invalid YAML (file:line:column in the message).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static DetectionRules Load(string? path)
    {
        if (path is null) return Default;
        if (!File.Exists(path)) throw new FileNotFoundException($"rules file not found: {path}", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses rules YAML text merged over the defaults; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="DetectionRulesException">As <see cref="Load"/>.</exception>
    public static DetectionRules Parse(string yaml, string source = "rules")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var rules = RulesFile.ReadDefaults();
        RulesFile.Apply(rules, yaml, source, requireAll: false);
        return rules;
    }
}

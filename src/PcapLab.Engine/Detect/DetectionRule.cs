namespace PcapLab.Detect;

/// <summary>
/// One rule (or family of rules) and its thresholds: a section of the rules file. Thresholds are documented on each
/// property; their defaults live in the embedded <c>rules.default.yaml</c> (see <see cref="DetectionRules.Default"/>).
/// </summary>
public abstract record DetectionRule
{
    /// <summary>False turns the rule off: it runs nothing and a run removes its earlier alerts.</summary>
    public bool Enabled { get; init; }

    /// <summary>The values this rule writes into <c>alerts.rule</c> (its section name, or one per attack class).</summary>
    public abstract IReadOnlyList<string> AlertRules { get; }

    internal abstract void Detect(AlertSink sink);
}

/// <summary>Marks a threshold that must lie in [0, 1].</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class UnitIntervalAttribute : Attribute;

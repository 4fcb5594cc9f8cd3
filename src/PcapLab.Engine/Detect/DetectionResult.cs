namespace PcapLab.Detect;

/// <summary>What a <see cref="Detector.Run"/> wrote: alerts per rule name (0 for rules that ran and found nothing).</summary>
/// <param name="AlertsByRule">Alert count per <c>alerts.rule</c> value, for every rule that ran, in run order.</param>
/// <param name="Disabled">Rule names that were disabled (their earlier alerts were removed).</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record DetectionResult(IReadOnlyDictionary<string, long> AlertsByRule, IReadOnlyList<string> Disabled, TimeSpan Elapsed)
{
    /// <summary>All alerts written by this run.</summary>
    public long Total => AlertsByRule.Values.Sum();

    /// <summary>Alerts written by <paramref name="rule"/> (0 when it found nothing or did not run).</summary>
    public long this[string rule] => AlertsByRule.TryGetValue(rule, out var n) ? n : 0;
}

namespace PcapLab.Detect;

/// <summary>How bad an alert is; stored in <c>alerts.severity</c> as the upper-case name.</summary>
public enum AlertSeverity
{
    /// <summary>Seen and explained as normal.</summary>
    Benign,
    /// <summary>Worth a look: reconnaissance, unusual volume, periodic traffic.</summary>
    Suspicious,
    /// <summary>An attack: floods, brute force, tunnelling with encoded names, web-attack payloads.</summary>
    Malicious,
}

internal static class AlertSeverityText
{
    public static string ToText(this AlertSeverity s) => s switch
    {
        AlertSeverity.Benign => "BENIGN",
        AlertSeverity.Suspicious => "SUSPICIOUS",
        _ => "MALICIOUS",
    };
}

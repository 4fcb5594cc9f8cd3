namespace PcapLab.Detect.Rules;

/// <summary>
/// Beaconing in the style of RITA: for each source→destination pair with enough connections, scores how regular the
/// intervals between connection starts are and how alike the connections' sizes are. Malware calling home on a timer
/// has near-constant intervals (with some jitter) and near-constant sizes; people browsing do not. Timing score = mean
/// of (1 − |Bowley skew|) and (1 − MAD/median) of the intervals (skew over an IQR of at least a tenth of the median); size score = the same two over originator bytes;
/// score = (2 × timing + size) / 3, in [0, 1]. Severity SUSPICIOUS (update checks and NTP beacon too).
/// </summary>
public sealed record BeaconingRule : DetectionRule
{
    /// <summary>Connections between the pair needed to score it. Default 20.</summary>
    public int MinConnections { get; init; }

    /// <summary>Median interval (seconds) below which the pair is bursty, not beaconing (parallel connections). Default 1.</summary>
    public double MinMedianIntervalSeconds { get; init; }

    /// <summary>Score at or above which to alert. Default 0.8.</summary>
    [UnitInterval] public double MinScore { get; init; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["beaconing"];

    internal override void Detect(AlertSink sink)
    {
        var found = new List<StagedAlert>();
        using (var r = sink.Db.Query("""
            SELECT orig_h, resp_h, list(epoch_ns(ts) ORDER BY ts, flow_id) AS t, list(coalesce(orig_bytes, 0) ORDER BY ts, flow_id) AS b,
                   list(flow_id ORDER BY ts, flow_id) AS ids, epoch_ns(max(last_ts)) AS last_t, string_agg(DISTINCT proto || '/' || resp_p, ', ') AS services
            FROM flows WHERE proto IN ('tcp', 'udp')
            GROUP BY orig_h, resp_h HAVING count(*) >= $1
            ORDER BY orig_h, resp_h
            """, MinConnections))
        {
            while (r.Read())
            {
                long[] t = Longs(r.GetValue(2));
                long[] bytes = Longs(r.GetValue(3));
                var s = BeaconScore.Compute(t, bytes);
                if (s.MedianIntervalSeconds < MinMedianIntervalSeconds || s.Score < MinScore) continue;
                string src = r.GetString(0), dst = r.GetString(1);
                found.Add(new StagedAlert(t[0], r.GetInt64(5), AlertSeverity.Suspicious, "beaconing", src, dst,
                    FormattableString.Invariant($"{src} → {dst} ({r.GetString(6)}): {t.Length} connections every {s.MedianIntervalSeconds:0.#} s (median), timing score {s.Timing:0.00}, size score {s.Size:0.00}, median {s.MedianBytes:0} bytes"),
                    Longs(r.GetValue(4)), Math.Round(s.Score, 4)));
            }
        }
        foreach (var a in found) sink.Add(a);
    }

    private static long[] Longs(object? list) => ((object?[])list!).Select(v => Convert.ToInt64(v ?? 0L)).ToArray();
}

/// <summary>RITA-style regularity scores of a series of connection start times and sizes.</summary>
/// <param name="Score">(2 × timing + size) / 3.</param>
/// <param name="Timing">Mean of the intervals' skew and dispersion scores.</param>
/// <param name="Size">Mean of the sizes' skew and dispersion scores.</param>
/// <param name="MedianIntervalSeconds">Median interval between connection starts.</param>
/// <param name="MedianBytes">Median originator bytes.</param>
public readonly record struct BeaconScore(double Score, double Timing, double Size, double MedianIntervalSeconds, double MedianBytes)
{
    /// <summary>Scores start times (ns, ascending) and originator byte counts of one pair's connections (at least 3).</summary>
    public static BeaconScore Compute(ReadOnlySpan<long> startsNs, ReadOnlySpan<long> bytes)
    {
        if (startsNs.Length < 3 || bytes.Length != startsNs.Length) return default;
        var intervals = new double[startsNs.Length - 1];
        for (int i = 1; i < startsNs.Length; i++) intervals[i - 1] = (startsNs[i] - startsNs[i - 1]) / 1e9;
        var sizes = new double[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) sizes[i] = bytes[i];
        var (timing, medianInterval) = Regularity(intervals);
        var (size, medianBytes) = Regularity(sizes);
        return new BeaconScore((2 * timing + size) / 3, timing, size, medianInterval, medianBytes);
    }

    /// <summary>Mean of 1 − |Bowley skew| (symmetry) and 1 − MAD/median (tightness), each clamped to [0, 1].</summary>
    internal static (double Score, double Median) Regularity(double[] values)
    {
        Array.Sort(values);
        double q1 = Quantile(values, 0.25), q2 = Quantile(values, 0.5), q3 = Quantile(values, 0.75);
        // Skew is taken relative to at least a tenth of the median, so a second of jitter on a minute's period cannot look skewed.
        double spread = Math.Max(q3 - q1, 0.1 * Math.Abs(q2));
        double bowley = spread > 0 ? (q3 + q1 - 2 * q2) / spread : 0; // no spread at all → perfectly symmetric
        var deviations = values.Select(v => Math.Abs(v - q2)).Order().ToArray();
        double mad = Quantile(deviations, 0.5);
        double tightness = q2 > 0 ? Math.Clamp(1 - mad / q2, 0, 1) : (mad == 0 ? 1 : 0);
        return ((Math.Clamp(1 - Math.Abs(bowley), 0, 1) + tightness) / 2, q2);
    }

    // Linear interpolation between order statistics (R type 7), over sorted values.
    private static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}

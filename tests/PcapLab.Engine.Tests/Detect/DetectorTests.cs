using PcapLab.Detect;

namespace PcapLab.Engine.Tests.Detect;

public sealed class DetectorTests
{
    private static void Scan(DetectDb d, string attacker = "127.66.0.1")
    {
        for (int i = 0; i < 100; i++) d.Flow(i * 0.001, attacker, 45000, "127.10.0.1", i + 1, state: "REJ", respPkts: 1);
    }

    [Fact]
    public void RerunningReplacesARulesAlertsInsteadOfAddingMore()
    {
        using var d = new DetectDb();
        Scan(d);
        var first = d.Detect();
        var before = d.Alerts();
        var second = d.Detect();
        var after = d.Alerts();
        Assert.Equal(1, first["vertical_scan"]);
        Assert.Equal(first.AlertsByRule, second.AlertsByRule);
        Assert.Equal(before.Select(a => (a.Rule, a.Src, a.Dst, a.Summary, a.Score, string.Join(',', a.FlowIds))),
                     after.Select(a => (a.Rule, a.Src, a.Dst, a.Summary, a.Score, string.Join(',', a.FlowIds))));
        Assert.Equal(before.Count, after.Count);
    }

    [Fact]
    public void ResultCountsEveryRuleThatRan()
    {
        using var d = new DetectDb();
        Scan(d);
        var r = d.Detect();
        Assert.Equal(17, r.AlertsByRule.Count); // 12 rules + 5 web-attack classes
        Assert.Equal(1, r.Total);
        Assert.Empty(r.Disabled);
        Assert.Equal(0, r["syn_flood"]);
    }

    [Fact]
    public void DisabledRuleRaisesNothingAndDropsItsEarlierAlerts()
    {
        using var d = new DetectDb();
        Scan(d);
        d.Detect();
        Assert.Single(d.Alerts("vertical_scan"));
        var r = d.Detect(DetectionRules.Parse("vertical_scan:\n  enabled: false\n"));
        Assert.Empty(d.Alerts("vertical_scan"));
        Assert.Contains("vertical_scan", r.Disabled);
        Assert.False(r.AlertsByRule.ContainsKey("vertical_scan"));
    }

    [Fact]
    public void AlertsFromOtherSourcesAreLeftAlone()
    {
        using var d = new DetectDb();
        Scan(d);
        d.Db.Execute("INSERT INTO alerts (alert_id, ts, last_ts, severity, rule, src, summary, score) VALUES (1, TIMESTAMP_NS '2024-03-01 12:00:00', TIMESTAMP_NS '2024-03-01 12:00:01', 'MALICIOUS', 'model:ids.json', '127.66.0.1', 'scored', 0.97)");
        d.Detect();
        d.Detect();
        Assert.Single(d.Alerts("model:ids.json"));
        var scan = Assert.Single(d.Alerts("vertical_scan"));
        Assert.True(scan.Id > 1);
    }

    [Fact]
    public void AlertTimesAndEvidenceComeFromTheFlows()
    {
        using var d = new DetectDb();
        Scan(d);
        d.Detect();
        var a = Assert.Single(d.Alerts("vertical_scan"));
        Assert.Equal(DetectDb.Epoch, DateTime.SpecifyKind(a.Ts, DateTimeKind.Utc));
        Assert.Equal(DetectDb.Epoch.AddTicks(990_000), DateTime.SpecifyKind(a.LastTs, DateTimeKind.Utc));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), a.FlowIds);
    }

    [Fact]
    public void EmptyStoreRaisesNothing()
    {
        using var d = new DetectDb();
        Assert.Equal(0, d.Detect().Total);
    }

    [Fact]
    public void CancelledRunStopsBeforeTheNextRule()
    {
        using var d = new DetectDb();
        Scan(d);
        d.Detect();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Detector.Run(d.Db, DetectionRules.Default, cts.Token));
        Assert.Single(d.Alerts("vertical_scan")); // nothing was half-replaced
    }

    [Fact]
    public void EvidenceCapApplies()
    {
        using var d = new DetectDb();
        Scan(d);
        d.Detect(DetectionRules.Default with { MaxEvidenceFlows = 7 });
        Assert.Equal(7, Assert.Single(d.Alerts("vertical_scan")).FlowIds.Length);
    }
}

using PcapLab.Ml;
using PcapLab.Ml.Features;
using PcapLab.Ml.Labels;

namespace PcapLab.Engine.Tests.Ml.Wiring;

public sealed class LabelSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pcaplab-labels-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Csv(string text)
    {
        var path = Path.Combine(_dir, $"labels-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void CsvRulesMatchByCidrPortProtoTimeAndCaptureFirstRuleWins()
    {
        using var f = new HandmadeFlows();
        var scan = f.Add(1, "127.66.0.1", "127.10.0.1", 22, "S0");
        var scanLate = f.Add(100, "127.66.0.1", "127.10.0.1", 22, "S0");
        var scanUdp = f.Add(2, "127.66.0.9", "127.10.0.5", 53, "S0", proto: "udp");
        var web = f.Add(3, "127.20.0.1", "127.10.0.1", 8080, "SF");
        var other = f.Add(4, "192.168.1.1", "127.10.0.1", 8080, "SF");
        var inB = f.Add(5, "192.168.1.1", "127.10.0.1", 9999, "SF", capture: 2);
        var t0 = HandmadeFlows.T0.ToString("O");
        var t10 = HandmadeFlows.T0.AddSeconds(10).ToString("O");
        var path = Csv($"""
            # time window, addresses, ports → label
            start,end,src_cidr,dst_cidr,dst_port,proto,label,capture
            {t0},{t10},127.66.0.0/16,127.10.0.1,1-1024,tcp,portscan,
            ,,127.66.0.0/16,,,tcp,late,
            ,,127.66.0.0/24,127.10.0.0/24,53,udp,dnstunnel,
            ,,127.20.0.0/16,,8080,,benign,
            ,,127.20.0.0/16,,8080,,shadowed,
            ,,,,,,from-b,train/benign/b.pcap
            ,,10.0.0.0/8,,,,nothing,
            """);
        var labels = LabelSource.FromCsv(path).Apply(f.Db);
        Assert.Equal("portscan", labels.ByFlow[scan]);
        Assert.Equal("late", labels.ByFlow[scanLate]);          // outside the first rule's time window
        Assert.Equal("dnstunnel", labels.ByFlow[scanUdp]);
        Assert.Equal("benign", labels.ByFlow[web]);             // the first of two matching rules wins
        Assert.Equal("from-b", labels.ByFlow[inB]);             // by capture path ending
        Assert.False(labels.ByFlow.ContainsKey(other));
        Assert.Equal(1, labels.Unlabeled);
        Assert.Contains(labels.Warnings, w => w.Contains("line 7") && w.Contains("shadowed") && w.Contains("matched no flow"));
        Assert.Contains(labels.Warnings, w => w.Contains("line 9") && w.Contains("nothing") && w.Contains("matched no flow"));
        Assert.Contains(labels.Warnings, w => w.Contains("1 flow(s) matched no label rule"));

        var withDefault = LabelSource.FromCsv(path, defaultLabel: "benign").Apply(f.Db);
        Assert.Equal("benign", withDefault.ByFlow[other]);
        Assert.Equal(0, withDefault.Unlabeled);
    }

    [Theory]
    [InlineData("src,label\n127.0.0.300,x\n", "line 2: src '127.0.0.300' is not an address or CIDR block")]
    [InlineData("dst_port,label\n70000,x\n", "line 2: dst_port '70000' is not a port")]
    [InlineData("proto,label\nsctp,x\n", "line 2: proto 'sctp' is not tcp, udp or icmp")]
    [InlineData("start,label\nyesterday,x\n", "line 2: start 'yesterday' is not an ISO-8601 time")]
    [InlineData("src,dst\n1.2.3.4,5.6.7.8\n", "has no 'label' column")]
    [InlineData("src,colour,label\n1.2.3.4,red,x\n", "unknown column(s) colour")]
    [InlineData("src,label\n", "has a header but no rules")]
    [InlineData("src,label\n1.2.3.4,\n", "line 2: the label is empty")]
    public void BadCsvNamesTheLineAndField(string csv, string message)
    {
        using var f = new HandmadeFlows();
        var e = Assert.Throws<LabelSourceException>(() => LabelSource.FromCsv(Csv(csv)).Apply(f.Db));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void MissingSourcesSayWhatIsMissing()
    {
        using var f = new HandmadeFlows();
        var csv = Assert.Throws<LabelSourceException>(() => LabelSource.Parse(Path.Combine(_dir, "nope.csv")).Apply(f.Db));
        Assert.Contains("nope.csv' does not exist", csv.Message);
        var dir = Assert.Throws<LabelSourceException>(() => LabelSource.FromDirectory(Path.Combine(_dir, "nodir")).Apply(f.Db));
        Assert.Contains("nodir' does not exist", dir.Message);
        Directory.CreateDirectory(Path.Combine(_dir, "empty", "benign"));
        var empty = Assert.Throws<LabelSourceException>(() => LabelSource.FromDirectory(Path.Combine(_dir, "empty")).Apply(f.Db));
        Assert.Contains("has no captures", empty.Message);
    }

    [Fact]
    public void SqlExpressionLabelsEachFlowRowAndNullLeavesItOut()
    {
        using var f = new HandmadeFlows();
        var brute = f.Add(1, "127.66.0.4", "127.10.0.4", 22, "S0");
        var ok = f.Add(2, "127.20.0.4", "127.10.0.4", 22, "SF");
        var dns = f.Add(3, "127.20.0.2", "127.10.0.2", 53, "SF", proto: "udp");
        var source = LabelSource.Parse("CASE WHEN resp_p = 22 AND conn_state <> 'SF' THEN 'bruteforce' WHEN resp_p = 22 THEN 'benign' END");
        var labels = source.Apply(f.Db);
        Assert.Equal("bruteforce", labels.ByFlow[brute]);
        Assert.Equal("benign", labels.ByFlow[ok]);
        Assert.False(labels.ByFlow.ContainsKey(dns));
        Assert.Contains(labels.Warnings, w => w.Contains("1 flow(s) got a NULL"));

        var bad = Assert.Throws<LabelSourceException>(() => LabelSource.FromSql("CASE WHEN no_such_column = 1 THEN 'x' END").Apply(f.Db));
        Assert.Contains("label SQL expression failed", bad.Message);
        Assert.Contains("no_such_column", bad.Message);
    }

    [Fact]
    public void BadTrainingDataGetsClearMessages()
    {
        using var f = new HandmadeFlows();
        for (var i = 0; i < 30; i++) f.Add(i, "10.0.0.1", "10.0.0.2", 80 + i, "SF", capture: 1 + i % 2);
        var model = Path.Combine(_dir, "m.json");
        var one = Assert.Throws<TrainingDataException>(() => FlowModels.Train(f.Db, LabelSource.FromSql("'benign'"), null, model));
        Assert.Contains("at least two classes", one.Message);
        var none = Assert.Throws<TrainingDataException>(() => FlowModels.Train(f.Db, LabelSource.FromSql("NULL"), null, model));
        Assert.Contains("labelled no flow", none.Message);
        var few = Assert.Throws<TrainingDataException>(() => FlowModels.Train(f.Db, LabelSource.FromSql("CASE WHEN resp_p < 84 THEN 'a' WHEN resp_p < 88 THEN 'b' END"), null, model));
        Assert.Contains("too few samples", few.Message);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void CorruptOrForeignModelFilesAreRefusedWithTheirName()
    {
        using var f = new HandmadeFlows();
        for (var i = 0; i < 40; i++) f.Add(i * 0.5, "10.0.0.1", $"10.0.0.{2 + i % 3}", 80 + i % 7, i % 2 == 0 ? "S0" : "SF", capture: 1 + i % 2);
        var corrupt = Path.Combine(_dir, "corrupt.json");
        File.WriteAllText(corrupt, "{\"format\": \"pcaplab-ids-model\", \"format_version\": 1, \"card\": ");
        var e = Assert.Throws<ModelFileException>(() => FlowModels.Score(f.Db, corrupt));
        Assert.Contains("corrupt.json", e.Message);
        Assert.Throws<ModelFileException>(() => FlowModels.Score(f.Db, Path.Combine(_dir, "absent.json")));

        // A model trained on another feature set (an older extractor version) is refused before anything is written.
        var current = FlowFeatures.Extract(f.Db);
        var names = current.FeatureNames.ToArray();
        names[0] = "flowfeatures_v0";
        var labels = Enumerable.Range(0, current.Rows).Select(r => r % 2 == 0 ? "a" : "b").ToArray();
        var older = new FeatureTable(names, current.Values) { Labels = labels, GroupKeys = current.GroupKeys, TimestampsNs = current.TimestampsNs, RowIds = current.RowIds };
        var foreign = Path.Combine(_dir, "v0.json");
        using (var m = Trainer.Train(older, new TrainOptions { Rounds = 3 }).Model) m.Save(foreign);
        var mismatch = Assert.Throws<ModelFeatureMismatchException>(() => FlowModels.Score(f.Db, foreign));
        Assert.Contains("missing: flowfeatures_v0", mismatch.Message);
        Assert.Contains($"not in the model: flowfeatures_v{FlowFeatures.Version}", mismatch.Message);
        Assert.Equal(0, f.Db.Scalar<long>("SELECT count(*) FROM predictions"));
    }
}

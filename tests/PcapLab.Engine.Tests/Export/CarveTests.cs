using System.Diagnostics;
using PcapLab.Export;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Export;

/// <summary>Carved packets are the original frames, byte for byte, as tshark sees them.</summary>
public class CarveTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "read/lo-usec.pcap", "proto = 'tcp'" },
        { "read/lo-nsec-be.pcap", "proto = 'udp'" },
        { "read/lo-usec-gzip.pcap", "proto <> 'udp'" },
        { "read/two-sections.pcapng", "proto = 'tcp'" },
        { "read/three-if.pcapng", "proto IN ('udp', 'icmp')" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Carved_frames_equal_the_original_frames(string capture, string condition)
    {
        var source = Path.Combine(Repo.TestData, capture);
        using var lab = new Lab();
        Assert.True(lab.Load(source).AllOk);
        var frames = lab.Query($"SELECT frame_no FROM packets WHERE flow_id IN (SELECT flow_id FROM flows WHERE {condition}) ORDER BY frame_no")
            .Column("frame_no").Select(f => Convert.ToInt64(f)).ToArray();
        Assert.NotEmpty(frames);

        using var tmp = new Tool.TempDir();
        var carved = tmp.File("carved" + (capture.Contains(".pcapng") ? ".pcapng" : ".pcap"));
        var result = PacketCarver.CarveFlows(lab.Connection, condition, carved);
        Assert.Equal(frames.Length, result.Packets);

        // tshark selects the same frames from the original; both files must dump identically.
        var expected = tmp.File("expected.pcapng");
        Tool.Check("tshark", "-n", "-r", source, "-Y", $"frame.number in {{{string.Join(", ", frames)}}}", "-w", expected);
        bool pcapng = capture.Contains(".pcapng");
        Assert.Equal(Dump(expected, pcapng), Dump(carved, pcapng));
        Assert.Equal(frames.Length, Tshark.Fields(carved, "frame.number").Count);
    }

    [Fact]
    public void Carving_nothing_says_so_and_writes_nothing()
    {
        using var lab = new Lab();
        lab.Load(Path.Combine(Repo.TestData, "read/lo-usec.pcap"));
        using var tmp = new Tool.TempDir();
        var e = Assert.Throws<CarveException>(() => PacketCarver.CarveFlows(lab.Connection, "conn_state = 'no-such-state'", tmp.File("x.pcap")));
        Assert.Contains("no packets match", e.Message);
        Assert.False(File.Exists(tmp.File("x.pcap")));
    }

    // Timestamps, lengths and every byte of every frame (and the interface, which only pcapng names).
    private static string Dump(string file, bool withInterfaces) =>
        string.Join("\n", Tshark.Fields(file, "frame.time_epoch", "frame.len", "frame.cap_len", withInterfaces ? "frame.interface_name" : "frame.len").Select(r => string.Join('\t', r)))
        + "\n" + Tool.Check("tshark", "-n", "-r", file, "-x");
}

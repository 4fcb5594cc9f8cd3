using PcapLab.Read;
using static PcapLab.Engine.Tests.Read.ReadTestSupport;

namespace PcapLab.Engine.Tests.Read;

/// <summary>Every packet of every recorded capture agrees with tshark on time, lengths and interface.</summary>
public class TsharkOracleTests
{
    [Theory]
    [InlineData("lo-usec.pcap", CaptureFormat.Pcap, false)]
    [InlineData("lo-nsec.pcap", CaptureFormat.PcapNanosecond, false)]
    [InlineData("lo-snap200.pcap", CaptureFormat.Pcap, false)]
    [InlineData("lo-usec-modified.pcap", CaptureFormat.PcapModified, false)]
    [InlineData("lo-usec-gzip.pcap", CaptureFormat.Pcap, true)]
    [InlineData("lo-usec-be.pcap", CaptureFormat.Pcap, false)]
    [InlineData("lo-nsec-be.pcap", CaptureFormat.PcapNanosecond, false)]
    [InlineData("three-if.pcapng", CaptureFormat.Pcapng, false)]
    [InlineData("three-if.pcapng.gz", CaptureFormat.Pcapng, true)]
    [InlineData("veth.pcapng", CaptureFormat.Pcapng, false)]
    public void Packets_match_tshark(string name, CaptureFormat format, bool gzip)
    {
        var path = Capture(name);
        var expected = TsharkFrames(path);
        using var reader = CaptureReader.Open(path);
        Assert.Equal(format, reader.Format);
        Assert.Equal(gzip, reader.IsGzip);
        var actual = OurFrames(reader);
        Assert.Null(reader.Fault);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Count, reader.PacketsRead);
    }

    /// <summary>tshark 4.0 numbers interfaces per section; ours are global, so the second section is shifted by the first's count.</summary>
    [Theory]
    [InlineData("two-sections.pcapng")]
    [InlineData("two-sections-be.pcapng")]
    public void Sections_restart_interfaces_but_ids_stay_global(string name)
    {
        var first = Capture("three-if.pcapng");
        var expected = TsharkFrames(first).Concat(TsharkFrames(Capture("veth.pcapng"), CapinfosInterfaces(first)))
            .Select((f, i) => f with { Number = i + 1 }).ToList();
        using var reader = CaptureReader.Open(Capture(name));
        var actual = OurFrames(reader);
        Assert.Null(reader.Fault);
        Assert.Equal(expected, actual);
        Assert.Equal(4, reader.Interfaces.Count);
        Assert.Equal(["lo", "plr-a", "any", "plr-a"], reader.Interfaces.Select(i => i.Name));
    }

    [Fact]
    public void Interfaces_carry_link_types_and_resolution()
    {
        using var reader = CaptureReader.Open(Capture("three-if.pcapng"));
        Drain(reader);
        Assert.Equal([LinkType.Ethernet, LinkType.Ethernet, LinkType.LinuxSll], reader.Interfaces.Select(i => i.LinkType));
        Assert.All(reader.Interfaces, i => Assert.Equal(1_000_000_000, i.TsResolutionPerSecond));
        Assert.Equal([0, 1, 2], reader.Interfaces.Select(i => i.Id));
    }

    [Fact]
    public void Pcap_interface_is_known_before_the_first_packet()
    {
        using var reader = CaptureReader.Open(Capture("lo-snap200.pcap"));
        var iface = Assert.Single(reader.Interfaces);
        Assert.Equal(LinkType.Ethernet, iface.LinkType);
        Assert.Equal(200, iface.SnapLength);
        Assert.Equal(1_000_000, iface.TsResolutionPerSecond);
    }

    [Fact]
    public void Offsets_point_at_each_record()
    {
        // lo-usec.pcap: 24-byte file header, then 16-byte record headers each followed by caplen bytes.
        using var reader = CaptureReader.Open(Capture("lo-usec.pcap"));
        long expected = 24;
        while (reader.TryRead(out var p))
        {
            Assert.Equal(expected, p.Offset);
            expected += 16 + p.CapturedLength;
            Assert.Equal(expected, reader.Position);
        }
        Assert.Equal(new FileInfo(Capture("lo-usec.pcap")).Length, expected);
        Assert.Equal(expected, reader.SourcePosition);
        Assert.Equal(expected, reader.SourceLength);
    }

    [Fact]
    public void Gzip_progress_counts_compressed_bytes()
    {
        var path = Capture("three-if.pcapng.gz");
        using var reader = CaptureReader.Open(path);
        Drain(reader);
        Assert.Null(reader.Fault);
        Assert.Equal(new FileInfo(path).Length, reader.SourceLength);
        Assert.Equal(reader.SourceLength, reader.SourcePosition);
        Assert.Equal(new FileInfo(Capture("three-if.pcapng")).Length, reader.Position);
    }

    [Fact]
    public void Packet_bytes_equal_the_plain_file_bytes()
    {
        // The data span of record n starts 16 bytes after its offset in the uncompressed file.
        var plain = File.ReadAllBytes(Capture("lo-usec.pcap"));
        using var reader = CaptureReader.Open(Capture("lo-usec-gzip.pcap"));
        int n = 0;
        while (reader.TryRead(out var p))
        {
            Assert.True(p.Data.SequenceEqual(plain.AsSpan((int)p.Offset + 16, p.CapturedLength)));
            Assert.Equal(LinkType.Ethernet, p.LinkType);
            n++;
        }
        Assert.Equal(20, n);
    }

    [Fact]
    public void Snap_length_cut_packets_are_not_warnings()
    {
        using var reader = CaptureReader.Open(Capture("lo-snap200.pcap"));
        Drain(reader);
        Assert.Empty(reader.Warnings);
    }
}

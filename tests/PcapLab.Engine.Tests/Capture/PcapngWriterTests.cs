using PcapLab.Live;
using PcapLab.Read;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Live;

/// <summary>The pcapng writer, checked by tshark and capinfos (no capture privileges needed).</summary>
public class PcapngWriterTests
{
    [Theory]
    [InlineData("lo-nsec.pcap")]
    [InlineData("lo-usec-be.pcap")]
    [InlineData("lo-snap200.pcap")]
    public void Rewriting_a_real_capture_reads_back_identically_in_tshark(string name)
    {
        var source = Path.Combine(Repo.TestData, "read", name);
        var output = Path.Combine(Directory.CreateTempSubdirectory("pcaplab-writer-").FullName, "out.pcapng");
        try
        {
            using (var reader = CaptureReader.Open(source))
            using (var w = PcapngWriter.Create(output, "rewritten by a test"))
            {
                long delivered = 0;
                while (reader.TryRead(out var rec))
                {
                    if (w.InterfaceCount == 0)
                    {
                        var i = reader.Interfaces[0];
                        w.AddInterface(new PcapngInterface(i.LinkType, i.SnapLength, "lo", "loopback for a test", "udp or tcp"));
                    }
                    w.WritePacket(0, rec.TimestampNs, rec.Data, rec.OriginalLength);
                    delivered++;
                }
                w.WriteStatistics(0, new InterfaceStatistics(1_700_000_000_000_000_000, 1_700_000_001_000_000_000, delivered + 5, 2, 3, delivered));
            }
            CaptureFileChecks.AssertTsharkReadsCleanly(output);
            string[] fields = ["frame.len", "frame.cap_len", "frame.time_epoch", "frame.protocols", "ip.src", "ip.dst", "udp.payload", "tcp.payload"];
            var expected = Tshark.Fields(source, fields);
            var actual = Tshark.Fields(output, fields);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(r => string.Join('|', r)), actual.Select(r => string.Join('|', r)));

            // Section and interface metadata, and the statistics block, as capinfos sees them.
            Assert.Contains("pcapng", Tool.Run("capinfos", "-t", output).Stdout);
            var iface = Tool.Run("capinfos", "-M", "-I", output).Stdout;
            Assert.Contains("Name = lo", iface);
            Assert.Contains("Description = loopback for a test", iface);
            Assert.Contains("Capture length = ", iface);
            Assert.Contains("Time precision = nanoseconds (9)", iface);
            Assert.Contains("Number of stat entries = 1", iface);
            Assert.Contains("udp or tcp", iface);
        }
        finally { Directory.Delete(Path.GetDirectoryName(output)!, recursive: true); }
    }

    [Fact]
    public void Our_reader_sees_the_packets_offsets_and_interface_written()
    {
        var dir = Directory.CreateTempSubdirectory("pcaplab-writer-").FullName;
        try
        {
            var output = Path.Combine(dir, "x.pcapng");
            var offsets = new List<long>();
            byte[][] frames = [[1, 2, 3], [.. Enumerable.Range(0, 61).Select(i => (byte)i)], new byte[1514]];
            using (var w = PcapngWriter.Create(output))
            {
                w.AddInterface(new PcapngInterface(LinkType.Ethernet, 1514, "eth9", null));
                for (int i = 0; i < frames.Length; i++) offsets.Add(w.WritePacket(0, 1_700_000_000_123_456_789 + i, frames[i], frames[i].Length + i));
                Assert.Equal(offsets[^1] + 28 + 1516 + 4, w.Length);
            }
            Assert.Equal(new FileInfo(output).Length, offsets[^1] + 28 + 1516 + 4);
            using var r = CaptureReader.Open(output);
            int n = 0;
            while (r.TryRead(out var rec))
            {
                Assert.Equal(frames[n], rec.Data.ToArray());
                Assert.Equal(frames[n].Length + n, rec.OriginalLength);
                Assert.Equal(1_700_000_000_123_456_789 + n, rec.TimestampNs);
                Assert.Equal(offsets[n], rec.Offset);
                n++;
            }
            Assert.Null(r.Fault);
            Assert.Equal(3, n);
            Assert.Equal("eth9", r.Interfaces[0].Name);
            Assert.Equal(1_000_000_000, r.Interfaces[0].TsResolutionPerSecond);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

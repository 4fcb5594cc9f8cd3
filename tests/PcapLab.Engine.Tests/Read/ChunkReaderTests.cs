using PcapLab.Read;
using static PcapLab.Engine.Tests.Read.ReadTestSupport;

namespace PcapLab.Engine.Tests.Read;

/// <summary>
/// The span readers on partial input: every prefix of a real capture yields exactly the records it holds whole,
/// consumes nothing of the rest, asks for more instead of faulting, and resumes from its state on the next chunk.
/// </summary>
public class ChunkReaderTests
{
    [Theory]
    [InlineData("lo-usec.pcap")]
    [InlineData("lo-nsec-be.pcap")]
    [InlineData("lo-usec-modified.pcap")]
    public void Pcap_every_prefix(string name)
    {
        var bytes = File.ReadAllBytes(Capture(name));
        var complete = RecordEnds(name);
        using var probe = CaptureReader.Open(Capture(name));
        for (int cut = 0; cut <= bytes.Length; cut++)
        {
            var context = new CaptureContext("x");
            var reader = new PcapReader(bytes.AsSpan(0, cut), false, 0, new PcapReaderState(context, probe.Format, name.Contains("-be")));
            int records = 0;
            while (reader.TryReadRecord(out _)) records++;
            Assert.Null(context.Fault);
            int expectedRecords = complete.Count(end => end <= cut);
            Assert.Equal(expectedRecords, records);
            int consumed = expectedRecords == 0 ? (cut >= 24 ? 24 : 0) : (int)complete[expectedRecords - 1];
            Assert.Equal(consumed, reader.BytesConsumed);
            Assert.True(reader.BytesNeeded > cut - consumed, $"cut {cut}: needs {reader.BytesNeeded}");
        }
    }

    [Theory]
    [InlineData("three-if.pcapng")]
    [InlineData("two-sections-be.pcapng")]
    [InlineData("veth-oldblocks.pcapng")]
    public void Pcapng_every_prefix(string name)
    {
        var bytes = File.ReadAllBytes(Capture(name));
        var packets = RecordEnds(name);
        for (int cut = 0; cut <= bytes.Length; cut++)
        {
            var context = new CaptureContext("x");
            var reader = new PcapngReader(bytes.AsSpan(0, cut), false, 0, new PcapngReaderState(context));
            int records = 0;
            while (reader.TryReadPacket(out _)) records++;
            Assert.Null(context.Fault);
            Assert.Equal(packets.Count(end => end <= cut), records);
            Assert.True(reader.BytesConsumed <= cut);
            Assert.True(reader.BytesNeeded > cut - reader.BytesConsumed, $"cut {cut}: needs {reader.BytesNeeded}");
        }
    }

    /// <summary>A stream handing out 1 to 13 bytes per read gives the same packets as the file.</summary>
    [Theory]
    [InlineData("lo-usec.pcap")]
    [InlineData("two-sections-be.pcapng")]
    [InlineData("three-if.pcapng.gz")]
    public void Trickled_input_reads_the_same(string name)
    {
        using var whole = CaptureReader.Open(Capture(name));
        var expected = OurFrames(whole);
        using var trickled = CaptureReader.Open(new TrickleStream(File.ReadAllBytes(Capture(name))), name);
        Assert.Equal(expected, OurFrames(trickled));
        Assert.Null(trickled.Fault);
        Assert.Equal(-1, trickled.SourceLength);
    }

    /// <summary>File offsets where each packet's record or block ends.</summary>
    private static List<long> RecordEnds(string name)
    {
        using var reader = CaptureReader.Open(Capture(name));
        var ends = new List<long>();
        while (reader.TryRead(out _)) ends.Add(reader.Position);
        return ends;
    }

    private sealed class TrickleStream(byte[] data) : Stream
    {
        private readonly Random _random = new(7);
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, Math.Min(1 + _random.Next(13), data.Length - _position));
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using PcapLab.Read;
using static PcapLab.Engine.Tests.Read.ReadTestSupport;

namespace PcapLab.Engine.Tests.Read;

/// <summary>
/// Broken captures derived from the recorded ones at known offsets: each gets a fault (or open error) naming the file
/// and the exact offset, after every packet before the damage was returned.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pcaplab-read-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Bytes(string name) => File.ReadAllBytes(Capture(name));

    /// <summary>Record (pcap) or packet block (pcapng) offsets, as the reader reports them for the intact file.</summary>
    private static List<long> PacketOffsets(string name)
    {
        using var reader = CaptureReader.Open(Capture(name));
        var offsets = new List<long>();
        while (reader.TryRead(out var p)) offsets.Add(p.Offset);
        Assert.Null(reader.Fault);
        return offsets;
    }

    /// <summary>Every pcapng block as (offset, type, length), walked from the little-endian test files.</summary>
    private static List<(int Offset, uint Type, int Length)> Blocks(byte[] file)
    {
        var blocks = new List<(int, uint, int)>();
        for (int o = 0; o < file.Length;)
        {
            int len = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(o + 4));
            blocks.Add((o, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(o)), len));
            o += len;
        }
        return blocks;
    }

    /// <summary>Reads to the end; asserts the packet count before the fault and the fault's kind, offset and message.</summary>
    private static CaptureFault ExpectFault(string path, long packetsBefore, CaptureFaultKind kind, long offset, string text)
    {
        using var reader = CaptureReader.Open(path);
        Assert.Equal(packetsBefore, Drain(reader));
        Assert.False(reader.TryRead(out _));   // stays stopped
        var fault = Assert.IsType<CaptureFault>(reader.Fault);
        Assert.Equal(kind, fault.Kind);
        Assert.Equal(offset, fault.Offset);
        Assert.StartsWith(path + ": ", fault.Message);
        Assert.Contains($"at offset {offset}", fault.Message);
        Assert.Contains(text, fault.Message);
        return fault;
    }

    private static CaptureOpenException ExpectOpenError(string path, string text)
    {
        var e = Assert.Throws<CaptureOpenException>(() => CaptureReader.Open(path));
        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(text, e.Message);
        return e;
    }

    [Fact] public void Missing_path() => ExpectOpenError(Path.Combine(_dir, "nope.pcap"), "no such file");

    [Fact] public void Directory_is_refused() => ExpectOpenError(_dir, "is a directory");

    [Fact] public void Empty_file() => ExpectOpenError(Write("empty.pcap", []), "empty file");

    [Fact]
    public void Unknown_magic_is_named() =>
        ExpectOpenError(Write("text.pcap", "hello world\n"u8.ToArray()), "not a pcap or pcapng file (magic 0x68656c6c at offset 0)");

    [Fact] public void Three_bytes_are_not_a_capture() => ExpectOpenError(Write("abc.pcap", "abc"u8.ToArray()), "magic 616263");

    [Fact]
    public void Gzip_of_text_is_not_a_capture() =>
        ExpectOpenError(Write("text.gz", Gzip("not a capture"u8.ToArray())), "magic 0x6e6f7420 at offset 0 inside the gzip stream");

    [Fact]
    public void Empty_gzip_stream()
    {
        var empty = Write("empty.pcap", []);
        Run("gzip", true, "-k", "-n", empty);   // the real tool: a 20-odd-byte member holding nothing
        ExpectOpenError(empty + ".gz", "empty file (the gzip stream holds no data)");
    }

    [Fact]
    public void Truncated_file_header() =>
        ExpectFault(Write("hdr.pcap", Bytes("lo-usec.pcap")[..10]), 0, CaptureFaultKind.Truncated, 0, "truncated file header at offset 0 (needs 24 bytes, 10 left)");

    [Fact]
    public void Truncated_record_header()
    {
        var r3 = PacketOffsets("lo-usec.pcap")[2];
        var path = Write("rechdr.pcap", Bytes("lo-usec.pcap")[..(int)(r3 + 5)]);
        ExpectFault(path, 2, CaptureFaultKind.Truncated, r3, $"truncated record header at offset {r3} (needs 16 bytes, 5 left)");
    }

    [Fact]
    public void Truncated_record_body()
    {
        var bytes = Bytes("lo-usec.pcap");
        var r3 = (int)PacketOffsets("lo-usec.pcap")[2];
        int caplen = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(r3 + 8));
        var path = Write("body.pcap", bytes[..(r3 + 16 + 10)]);
        ExpectFault(path, 2, CaptureFaultKind.Truncated, r3, $"truncated record body at offset {r3} (needs {caplen} bytes, 10 left)");
    }

    [Fact]
    public void Absurd_captured_length()
    {
        var bytes = Bytes("lo-nsec-be.pcap");
        var r4 = (int)PacketOffsets("lo-nsec-be.pcap")[3];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(r4 + 8), int.MaxValue);
        ExpectFault(Write("absurd.pcap", bytes), 3, CaptureFaultKind.Corrupt, r4, "claims 2147483647 captured bytes, more than the 262144-byte maximum");
    }

    [Fact]
    public void Captured_length_over_snap_length_is_a_warning()
    {
        var bytes = Bytes("lo-usec.pcap");
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 64);   // header snap length
        var path = Write("snap64.pcap", bytes);
        using var reader = CaptureReader.Open(path);
        var offsets = new List<long>();
        var over = new List<long>();
        while (reader.TryRead(out var p)) if (p.CapturedLength > 64) over.Add(p.Offset);
        Assert.Null(reader.Fault);
        Assert.Equal(20, reader.PacketsRead);
        Assert.NotEmpty(over);
        Assert.Equal(over, reader.Warnings.Select(w => w.Offset));
        Assert.All(reader.Warnings, w => Assert.StartsWith(path + ": packet at offset " + w.Offset, w.Message));
        Assert.Contains("more than the snap length 64", reader.Warnings[0].Message);
    }

    [Fact]
    public void Captured_length_over_original_length_is_a_warning()
    {
        var bytes = Bytes("lo-usec.pcap");
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24 + 12), 10);
        var path = Write("orig.pcap", bytes);
        using var reader = CaptureReader.Open(path);
        Assert.Equal(20, Drain(reader));
        var w = Assert.Single(reader.Warnings);
        Assert.Equal(24, w.Offset);
        Assert.Contains("more than its original length 10", w.Message);
    }

    [Fact]
    public void Warnings_are_bounded()
    {
        // Ten copies of the records of lo-usec.pcap with a snap length of 1: 200 oddities, 100 kept.
        var bytes = Bytes("lo-usec.pcap");
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 1);
        var records = bytes[24..];
        var many = bytes[..24].Concat(Enumerable.Repeat(records, 10).SelectMany(r => r)).ToArray();
        using var reader = CaptureReader.Open(Write("many.pcap", many));
        Assert.Equal(200, Drain(reader));
        Assert.Equal(100, reader.Warnings.Count);
        Assert.Equal(200, reader.WarningCount);
    }

    [Fact]
    public void Block_length_not_multiple_of_4()
    {
        var bytes = Bytes("three-if.pcapng");
        var b = Blocks(bytes).First(x => x.Type == 6);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(b.Offset + 4), b.Length + 1);
        ExpectFault(Write("len4.pcapng", bytes), 0, CaptureFaultKind.Corrupt, b.Offset, $"has length {b.Length + 1}, not a multiple of 4");
    }

    [Fact]
    public void Trailer_length_differs_from_header_length()
    {
        var bytes = Bytes("three-if.pcapng");
        var b = Blocks(bytes).Where(x => x.Type == 6).ElementAt(5);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(b.Offset + b.Length - 4), b.Length + 8);
        ExpectFault(Write("trailer.pcapng", bytes), 5, CaptureFaultKind.Corrupt, b.Offset, $"ends with length {b.Length + 8} but starts with length {b.Length}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public void Block_shorter_than_its_minimum(int length)
    {
        var bytes = Bytes("three-if.pcapng");
        var b = Blocks(bytes).Where(x => x.Type == 6).ElementAt(2);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(b.Offset + 4), length);
        ExpectFault(Write("short.pcapng", bytes), 2, CaptureFaultKind.Corrupt, b.Offset, $"has length {length}, shorter than the 32-byte minimum");
    }

    [Fact]
    public void Block_longer_than_the_cap()
    {
        var bytes = Bytes("three-if.pcapng");
        var b = Blocks(bytes).Where(x => x.Type == 6).ElementAt(3);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(b.Offset + 4), 0xFFFFFFF0);
        ExpectFault(Write("huge.pcapng", bytes), 3, CaptureFaultKind.Corrupt, b.Offset, "has length 4294967280, larger than the 67108864-byte limit");
    }

    [Fact]
    public void Block_longer_than_the_file()
    {
        var bytes = Bytes("three-if.pcapng");
        var b = Blocks(bytes).Where(x => x.Type == 6).ElementAt(4);
        int left = bytes.Length - b.Offset;
        // 3 MiB: bigger than the file and the initial buffer, within the cap, so the reader must grow, then find the end.
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(b.Offset + 4), 3 << 20);
        ExpectFault(Write("long.pcapng", bytes), 4, CaptureFaultKind.Truncated, b.Offset, $"truncated block at offset {b.Offset} (block length {3 << 20}, {left} bytes left)");
    }

    [Fact]
    public void Truncated_block_header()
    {
        var bytes = Bytes("three-if.pcapng");
        var b = Blocks(bytes).Where(x => x.Type == 6).ElementAt(7);
        ExpectFault(Write("bhdr.pcapng", bytes[..(b.Offset + 6)]), 7, CaptureFaultKind.Truncated, b.Offset, $"truncated block header at offset {b.Offset} (needs 12 bytes, 6 left)");
    }

    [Fact]
    public void Packet_block_naming_a_missing_interface()
    {
        var bytes = Bytes("three-if.pcapng");
        var b = Blocks(bytes).Where(x => x.Type == 6).ElementAt(9);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(b.Offset + 8), 7);
        ExpectFault(Write("ifid.pcapng", bytes), 9, CaptureFaultKind.Corrupt, b.Offset, "names interface 7, but its section has 3 interface(s)");
    }

    [Fact]
    public void Captured_length_larger_than_the_block()
    {
        var bytes = Bytes("three-if.pcapng");
        var b = Blocks(bytes).Where(x => x.Type == 6).ElementAt(1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(b.Offset + 20), 5000);
        ExpectFault(Write("epbcap.pcapng", bytes), 1, CaptureFaultKind.Corrupt, b.Offset, "claims 5000 captured bytes, but the block holds only");
    }

    [Fact]
    public void Bad_byte_order_magic_in_second_section()
    {
        var bytes = Bytes("two-sections.pcapng");
        var shb = Blocks(bytes).Where(x => x.Type == 0x0A0D0D0A).ElementAt(1);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(shb.Offset + 8), 0xDEADBEEF);
        ExpectFault(Write("bom.pcapng", bytes), 56, CaptureFaultKind.Corrupt, shb.Offset, "byte-order magic 0xdeadbeef, expected 0x1a2b3c4d");
    }

    [Fact]
    public void Endless_interface_blocks_stop_at_a_bound()
    {
        // veth.pcapng's SHB, then its IDB repeated 70000 times: a file can name more interfaces than memory should hold.
        var bytes = Bytes("veth.pcapng");
        var blocks = Blocks(bytes);
        var idb = blocks.First(b => b.Type == 1);
        var many = bytes[..idb.Offset].Concat(Enumerable.Repeat(bytes[idb.Offset..(idb.Offset + idb.Length)], 70000).SelectMany(b => b)).ToArray();
        long at = idb.Offset + 65536L * idb.Length;
        ExpectFault(Write("idbs.pcapng", many), 0, CaptureFaultKind.Corrupt, at, "would be interface number 65537");
    }

    [Fact]
    public void Unsupported_section_version()
    {
        var bytes = Bytes("veth.pcapng");
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(12), 2);
        ExpectFault(Write("v2.pcapng", bytes), 0, CaptureFaultKind.Corrupt, 0, "has version 2.0; only 1.x is supported");
    }

    [Fact]
    public void Gzip_cut_in_the_middle()
    {
        var gz = Bytes("lo-usec-gzip.pcap");
        var path = Write("cut.pcap.gz", gz[..(gz.Length / 2)]);
        using var reader = CaptureReader.Open(path);
        var offsets = new List<long>();
        while (reader.TryRead(out var p)) offsets.Add(p.Offset);
        var fault = Assert.IsType<CaptureFault>(reader.Fault);
        Assert.Equal(CaptureFaultKind.Truncated, fault.Kind);
        Assert.StartsWith(path + ": gzip stream cut short", fault.Message);
        Assert.Contains($"reading stopped at offset {fault.Offset}", fault.Message);
        Assert.Equal(PacketOffsets("lo-usec.pcap").Take(offsets.Count), offsets);
        Assert.True(offsets.Count < 20);
    }

    [Fact]
    public void Gzip_missing_only_its_trailer()
    {
        // Every packet is intact; only the 8-byte CRC32/ISIZE trailer is gone.
        var gz = Bytes("lo-usec-gzip.pcap");
        var path = Write("notrailer.pcap", gz[..^8]);
        long length = new FileInfo(Capture("lo-usec.pcap")).Length;
        var fault = ExpectFault(path, 20, CaptureFaultKind.Truncated, length, "gzip stream cut short");
        Assert.Contains($"the data ends at uncompressed offset {length}", fault.Message);
    }

    [Fact]
    public void Gzip_with_two_members_is_whole()
    {
        var plain = Bytes("lo-usec.pcap");
        var path = Write("members.pcap.gz", [.. Gzip(plain[..3000]), .. Gzip(plain[3000..])]);
        using var reader = CaptureReader.Open(path);
        Assert.Equal(20, Drain(reader));
        Assert.Null(reader.Fault);
        var w = Assert.Single(reader.Warnings);
        Assert.Equal(plain.Length, w.Offset);
        Assert.Contains("multi-member gzip", w.Message);
    }

    [Fact]
    public void Gzip_with_damaged_deflate_data()
    {
        var gz = Bytes("three-if.pcapng.gz");
        for (int i = gz.Length / 2; i < gz.Length / 2 + 16; i++) gz[i] ^= 0xA5;
        using var reader = CaptureReader.Open(Write("damaged.gz", gz));
        Drain(reader);
        var fault = Assert.IsType<CaptureFault>(reader.Fault);
        Assert.Contains($"at offset {fault.Offset}", fault.Message);
        Assert.True(reader.PacketsRead < 56);
    }

    [Fact]
    public void Stream_failure_is_an_io_fault_after_the_packets_before_it()
    {
        var bytes = Bytes("lo-usec.pcap");
        var r5 = PacketOffsets("lo-usec.pcap")[4];
        using var reader = CaptureReader.Open(new FailingStream(bytes, (int)r5 + 3), "failing.pcap");
        Assert.Equal(4, Drain(reader));
        var fault = Assert.IsType<CaptureFault>(reader.Fault);
        Assert.Equal(CaptureFaultKind.IoError, fault.Kind);
        Assert.Equal(r5, fault.Offset);
        Assert.StartsWith($"failing.pcap: read failed at offset {r5 + 3}, reading stopped at offset {r5}: disk on fire", fault.Message);
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    /// <summary>Hands out bytes a few at a time, then fails like a dying disk.</summary>
    private sealed class FailingStream(byte[] data, int failAt) : Stream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAt) throw new IOException("disk on fire");
            int n = Math.Min(buffer.Length, Math.Min(7, failAt - _position));
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

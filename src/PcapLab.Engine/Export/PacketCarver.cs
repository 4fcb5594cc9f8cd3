using System.Buffers.Binary;
using System.IO.Compression;
using PcapLab.Store.DuckDb;

namespace PcapLab.Export;

/// <summary>What a carve wrote.</summary>
/// <param name="OutputPath">The file written.</param>
/// <param name="Packets">Packets copied.</param>
/// <param name="Flows">Distinct flows they belong to.</param>
/// <param name="Format">pcap or pcapng (the source captures' own format).</param>
public sealed record CarveResult(string OutputPath, long Packets, long Flows, string Format);

/// <summary>
/// The pivot from flows to evidence: copies the exact original bytes of the packets of matching flows out of their
/// source captures into a new capture in the same format, timestamps and all. Packet records and blocks are copied
/// verbatim (pcapng sections keep their own section header and interface blocks), so tshark sees the same frames.
/// </summary>
public static class PacketCarver
{
    /// <summary>Carves the packets of the flows matching <paramref name="flowCondition"/> (SQL over the <c>flows</c> table, e.g. <c>conn_state = 'REJ'</c>).</summary>
    /// <remarks>The condition is the analyst's own SQL and runs as written; capture data never becomes SQL text.</remarks>
    public static CarveResult CarveFlows(DuckDbConnection db, string flowCondition, string outputPath, CancellationToken ct = default) =>
        Carve(db, $"SELECT p.capture_id, p.file_offset, p.flow_id FROM packets p WHERE p.flow_id IN (SELECT flow_id FROM flows WHERE {flowCondition})",
            outputPath, ct);

    /// <summary>Carves every packet of one flow.</summary>
    public static CarveResult CarveFlow(DuckDbConnection db, long flowId, string outputPath, CancellationToken ct = default) =>
        Carve(db, "SELECT capture_id, file_offset, flow_id FROM packets WHERE flow_id = $1", outputPath, ct, flowId);

    /// <summary>Carves the packets a query selects; it must return capture_id, file_offset and flow_id (in that order).</summary>
    public static CarveResult Carve(DuckDbConnection db, string packetQuery, string outputPath, CancellationToken ct = default, params object?[] parameters)
    {
        var wanted = new SortedDictionary<int, List<long>>();
        var flows = new HashSet<long>();
        using (var r = db.Query($"SELECT * FROM ({packetQuery}) ORDER BY 1, 2", parameters))
            while (r.Read())
            {
                int capture = (int)r.GetInt64(0);
                if (!wanted.TryGetValue(capture, out var list)) wanted[capture] = list = [];
                list.Add(r.GetInt64(1));
                if (!r.IsNull(2)) flows.Add(r.GetInt64(2));
            }
        if (wanted.Count == 0) throw new CarveException("no packets match: nothing was written");

        var sources = wanted.Keys.Select(id => (Id: id, Path: db.Scalar<string>("SELECT path FROM captures WHERE capture_id = $1", id)!,
            Format: db.Scalar<string>("SELECT format FROM captures WHERE capture_id = $1", id) ?? "")).ToList();
        bool pcapng = sources[0].Format == "pcapng";
        if (sources.Any(s => (s.Format == "pcapng") != pcapng))
            throw new CarveException("the matching packets come from both pcap and pcapng captures; narrow the condition to one capture (e.g. add \"AND capture_id = N\")");

        long packets = 0;
        var tmp = outputPath + ".partial";
        using (var output = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            byte[]? firstPcapHeader = null;
            foreach (var (id, path, _) in sources)
            {
                ct.ThrowIfCancellationRequested();
                using var input = OpenUncompressed(path);
                var offsets = wanted[id];
                packets += pcapng
                    ? CopyPcapng(input, offsets, output, path)
                    : CopyPcap(input, offsets, output, path, ref firstPcapHeader);
            }
        }
        File.Move(tmp, outputPath, overwrite: true);
        return new CarveResult(outputPath, packets, flows.Count, pcapng ? "pcapng" : "pcap");
    }

    private static Stream OpenUncompressed(string path)
    {
        if (!File.Exists(path)) throw new CarveException($"{path}: the source capture is gone; carving needs the original file");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int n = file.Read(magic);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : file;
    }

    // Classic pcap: the global header once, then each wanted record (header + captured bytes) verbatim.
    private static long CopyPcap(Stream input, List<long> offsets, Stream output, string path, ref byte[]? firstHeader)
    {
        var header = new byte[24];
        input.ReadExactly(header);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        bool bigEndian = magic is 0xd4c3b2a1 or 0x4d3cb2a1 or 0x34cdb2a1;
        int recordHeader = magic is 0xa1b2cd34 or 0x34cdb2a1 ? 24 : 16;
        if (firstHeader is null) { firstHeader = header; output.Write(header); }
        else if (!header.AsSpan().SequenceEqual(firstHeader))
            throw new CarveException($"{path}: its pcap header (link type, snap length or byte order) differs from the first source's; carve one capture at a time");
        long position = 24, copied = 0;
        var buffer = new byte[recordHeader + 262144];
        foreach (long offset in offsets)
        {
            Skip(input, offset - position, path);
            input.ReadExactly(buffer, 0, recordHeader);
            uint caplen = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(8));
            if (caplen > buffer.Length - recordHeader) Array.Resize(ref buffer, recordHeader + (int)caplen);
            input.ReadExactly(buffer, recordHeader, (int)caplen);
            output.Write(buffer, 0, recordHeader + (int)caplen);
            position = offset + recordHeader + caplen;
            copied++;
        }
        return copied;
    }

    // pcapng: walk every block; section headers and interface descriptions are always copied (they give the packets
    // their meaning), packet blocks only when wanted. Blocks are copied verbatim, in their section's byte order.
    private static long CopyPcapng(Stream input, List<long> offsets, Stream output, string path)
    {
        var want = new HashSet<long>(offsets);
        long position = 0, copied = 0;
        bool bigEndian = false;
        var buffer = new byte[1 << 16];
        Span<byte> head = stackalloc byte[12];
        while (copied < want.Count)
        {
            int got = input.ReadAtLeast(head[..8], 8, throwOnEndOfStream: false);
            if (got < 8) break;
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(head);
            if (type == 0x0A0D0D0A)
            {
                input.ReadExactly(head.Slice(8, 4));
                bigEndian = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]) == 0x4D3C2B1A;
            }
            uint length = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(head[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
            if (length < 12 || length % 4 != 0) throw new CarveException($"{path}: bad block length {length} at offset {position}; the file changed since it was loaded");
            if (type != 0x0A0D0D0A && bigEndian) type = BinaryPrimitives.ReadUInt32BigEndian(head);
            bool keep = type is 0x0A0D0D0A or 0x00000001 || want.Contains(position);
            if (length > buffer.Length) Array.Resize(ref buffer, (int)length);
            int already = type == 0x0A0D0D0A ? 12 : 8;
            head[..already].CopyTo(buffer);
            input.ReadExactly(buffer, already, (int)length - already);
            if (keep) output.Write(buffer, 0, (int)length);
            if (keep && type is not (0x0A0D0D0A or 0x00000001)) copied++;
            position += length;
        }
        return copied;
    }

    private static void Skip(Stream input, long count, string path)
    {
        if (count < 0) throw new CarveException($"{path}: packet offsets out of order");
        if (input.CanSeek) { input.Seek(count, SeekOrigin.Current); return; }
        Span<byte> sink = stackalloc byte[8192];
        while (count > 0)
        {
            int n = input.Read(sink[..(int)Math.Min(sink.Length, count)]);
            if (n == 0) throw new CarveException($"{path}: the file is shorter than when it was loaded");
            count -= n;
        }
    }
}

/// <summary>Carving could not be done; the message says why and what to do.</summary>
public sealed class CarveException(string message) : Exception(message);

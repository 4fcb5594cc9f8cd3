using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using PcapLab.Read;

namespace PcapLab.Live;

/// <summary>An interface to describe in a pcapng Interface Description Block.</summary>
/// <param name="LinkType">Link type of every packet on it.</param>
/// <param name="SnapLength">Maximum bytes kept per packet.</param>
/// <param name="Name"><c>if_name</c>, e.g. <c>eth0</c>.</param>
/// <param name="Description"><c>if_description</c>, or null.</param>
/// <param name="Filter">The BPF filter applied while capturing (<c>if_filter</c>), or null.</param>
/// <param name="NanosecondTimestamps">True for <c>if_tsresol</c> = 9 (nanoseconds), false for microseconds.</param>
public sealed record PcapngInterface(LinkType LinkType, int SnapLength, string? Name, string? Description, string? Filter = null,
    bool NanosecondTimestamps = true);

/// <summary>Capture statistics for a pcapng Interface Statistics Block.</summary>
/// <param name="StartNs">When capturing started, ns since the epoch (<c>isb_starttime</c>).</param>
/// <param name="EndNs">When these figures were read (<c>isb_endtime</c>).</param>
/// <param name="Received">Packets the capture received (<c>isb_ifrecv</c>; pcap_stats ps_recv).</param>
/// <param name="InterfaceDropped">Packets the interface or driver dropped (<c>isb_ifdrop</c>; ps_ifdrop).</param>
/// <param name="KernelDropped">Packets the OS dropped for lack of buffer space (<c>isb_osdrop</c>; ps_drop).</param>
/// <param name="Delivered">Packets written to this file (<c>isb_usrdeliv</c>).</param>
public readonly record struct InterfaceStatistics(long StartNs, long EndNs, long Received, long InterfaceDropped, long KernelDropped, long Delivered);

/// <summary>
/// Writes a pcapng file: one section (SHB naming PcapLab and the OS), Interface Description Blocks, Enhanced Packet
/// Blocks and Interface Statistics Blocks, little-endian. Writing a packet allocates nothing; the file is flushed to the
/// OS about once a second, so a reader (or a crash) sees whole blocks up to the last second.
/// </summary>
public sealed class PcapngWriter : IDisposable
{
    private const uint ShbType = 0x0A0D0D0A, IdbType = 1, IsbType = 5, EpbType = 6, ByteOrderMagic = 0x1A2B3C4D;
    private const ushort OptEnd = 0, OptComment = 1, ShbHardware = 2, ShbOs = 3, ShbUserAppl = 4;
    private const ushort IfName = 2, IfDescription = 3, IfTsResol = 9, IfFilter = 11;
    private const ushort IsbStartTime = 2, IsbEndTime = 3, IsbIfRecv = 4, IsbIfDrop = 5, IsbOsDrop = 7, IsbUsrDeliv = 8;
    private const int EpbHeader = 28;
    private static readonly long FlushEveryTicks = Stopwatch.Frequency;

    private readonly FileStream _file;
    private readonly List<long> _unitsPerSecond = [];
    // Block headers and option lists are built here; one buffer for the life of the writer.
    private readonly byte[] _scratch = new byte[4096];
    private long _length, _lastFlush;
    private bool _disposed;

    private PcapngWriter(FileStream file, string path)
    {
        _file = file;
        Path = path;
        _lastFlush = Stopwatch.GetTimestamp();
    }

    /// <summary>Creates (or truncates) <paramref name="path"/> and writes the Section Header Block.</summary>
    /// <param name="path">The output file.</param>
    /// <param name="comment">An <c>opt_comment</c> for the section, or null.</param>
    /// <exception cref="CaptureException">The file cannot be created.</exception>
    public static PcapngWriter Create(string path, string? comment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream file;
        try { file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaptureException(CaptureErrorKind.OutputFailed, $"cannot create '{path}': {e.Message}", e);
        }
        var w = new PcapngWriter(file, path);
        w.WriteSectionHeader(comment);
        return w;
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>Bytes written so far (including those not yet flushed): the offset the next block will have.</summary>
    public long Length => _length;

    /// <summary>Interfaces described so far.</summary>
    public int InterfaceCount => _unitsPerSecond.Count;

    /// <summary>Writes an Interface Description Block and returns the interface's id in this section.</summary>
    public int AddInterface(PcapngInterface iface)
    {
        ArgumentNullException.ThrowIfNull(iface);
        ArgumentOutOfRangeException.ThrowIfNegative(iface.SnapLength);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var opts = new OptionWriter(_scratch.AsSpan(16));
        if (iface.Name != null) opts.String(IfName, iface.Name);
        if (iface.Description != null) opts.String(IfDescription, iface.Description);
        opts.Byte(IfTsResol, (byte)(iface.NanosecondTimestamps ? 9 : 6));
        if (!string.IsNullOrEmpty(iface.Filter)) opts.Filter(IfFilter, iface.Filter);
        opts.End();
        var s = _scratch.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(s[8..], (ushort)iface.LinkType);
        BinaryPrimitives.WriteUInt16LittleEndian(s[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], (uint)iface.SnapLength);
        WriteBlock(IdbType, bodyLength: 8 + opts.Length);
        _unitsPerSecond.Add(iface.NanosecondTimestamps ? 1_000_000_000 : 1_000_000);
        return _unitsPerSecond.Count - 1;
    }

    /// <summary>Writes an Enhanced Packet Block and returns its offset in the file. Allocates nothing.</summary>
    /// <param name="interfaceId">An id returned by <see cref="AddInterface"/>.</param>
    /// <param name="timestampNs">Capture time, ns since the epoch.</param>
    /// <param name="data">The captured bytes.</param>
    /// <param name="originalLength">Length on the wire (at least <paramref name="data"/>'s length).</param>
    public long WritePacket(int interfaceId, long timestampNs, ReadOnlySpan<byte> data, int originalLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)interfaceId >= (uint)_unitsPerSecond.Count) throw new ArgumentOutOfRangeException(nameof(interfaceId), "no such interface in this section");
        long offset = _length;
        int padded = (data.Length + 3) & ~3;
        uint total = (uint)(EpbHeader + padded + 4);
        ulong units = ToUnits(timestampNs, _unitsPerSecond[interfaceId]);
        Span<byte> h = _scratch.AsSpan(0, EpbHeader);
        BinaryPrimitives.WriteUInt32LittleEndian(h, EpbType);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], total);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], (uint)interfaceId);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], (uint)(units >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], (uint)units);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], (uint)Math.Max(originalLength, data.Length));
        _file.Write(h);
        _file.Write(data);
        // Padding (zeros) and the trailing total length, from the scratch buffer's tail.
        Span<byte> tail = _scratch.AsSpan(EpbHeader, 8);
        tail.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(tail[(padded - data.Length)..], total);
        _file.Write(tail[..(padded - data.Length + 4)]);
        _length += total;
        FlushIfDue();
        return offset;
    }

    /// <summary>Writes an Interface Statistics Block for <paramref name="interfaceId"/> (at close, or at each rotation).</summary>
    public void WriteStatistics(int interfaceId, in InterfaceStatistics stats)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)interfaceId >= (uint)_unitsPerSecond.Count) throw new ArgumentOutOfRangeException(nameof(interfaceId), "no such interface in this section");
        long units = _unitsPerSecond[interfaceId];
        var opts = new OptionWriter(_scratch.AsSpan(20));
        opts.Timestamp(IsbStartTime, ToUnits(stats.StartNs, units));
        opts.Timestamp(IsbEndTime, ToUnits(stats.EndNs, units));
        opts.UInt64(IsbIfRecv, (ulong)stats.Received);
        opts.UInt64(IsbIfDrop, (ulong)stats.InterfaceDropped);
        opts.UInt64(IsbOsDrop, (ulong)stats.KernelDropped);
        opts.UInt64(IsbUsrDeliv, (ulong)stats.Delivered);
        opts.End();
        var s = _scratch.AsSpan();
        ulong ts = ToUnits(stats.EndNs, units);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], (uint)interfaceId);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], (uint)(ts >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)ts);
        WriteBlock(IsbType, bodyLength: 12 + opts.Length);
    }

    /// <summary>Pushes buffered blocks to the OS now.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _file.Flush(flushToDisk: false);
        _lastFlush = Stopwatch.GetTimestamp();
    }

    /// <summary>Flushes when the last flush is more than a second old; cheap enough to call per packet or per idle tick.</summary>
    public void FlushIfDue()
    {
        if (Stopwatch.GetTimestamp() - _lastFlush >= FlushEveryTicks) Flush();
    }

    /// <summary>Flushes and closes the file. Every block written is whole, so the file is valid.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _file.Dispose();
    }

    private void WriteSectionHeader(string? comment)
    {
        var opts = new OptionWriter(_scratch.AsSpan(24));
        if (comment != null) opts.String(OptComment, comment);
        opts.String(ShbOs, RuntimeInformation.OSDescription);
        opts.String(ShbHardware, RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant());
        opts.String(ShbUserAppl, "PcapLab " + PcapLab.Store.LabStore.Version);
        opts.End();
        var s = _scratch.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], ByteOrderMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(s[12..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(s[14..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(s[16..], -1); // section length not known
        WriteBlock(ShbType, bodyLength: 16 + opts.Length);
    }

    // The scratch buffer already holds the body (fixed fields from offset 8, then the options); add type and lengths.
    private void WriteBlock(uint type, int bodyLength)
    {
        int total = 12 + bodyLength;
        var s = _scratch.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, type);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(total - 4)..], (uint)total);
        _file.Write(s[..total]);
        _length += total;
    }

    private static ulong ToUnits(long ns, long unitsPerSecond) =>
        unitsPerSecond == 1_000_000_000 ? (ulong)ns : (ulong)(ns / (1_000_000_000 / unitsPerSecond));

    /// <summary>Lays out pcapng options (code, length, value padded to 4) into a span.</summary>
    private ref struct OptionWriter(Span<byte> buffer)
    {
        private readonly Span<byte> _buf = buffer;
        public int Length { get; private set; }

        public void String(ushort code, string value)
        {
            int n = Encoding.UTF8.GetByteCount(value);
            var dest = Reserve(code, n);
            Encoding.UTF8.GetBytes(value, dest);
        }

        /// <summary>if_filter: a leading 0 byte says "libpcap filter string".</summary>
        public void Filter(ushort code, string value)
        {
            int n = Encoding.UTF8.GetByteCount(value);
            var dest = Reserve(code, n + 1);
            dest[0] = 0;
            Encoding.UTF8.GetBytes(value, dest[1..]);
        }

        public void Byte(ushort code, byte value) => Reserve(code, 1)[0] = value;

        public void UInt64(ushort code, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(code, 8), value);

        /// <summary>A timestamp option: high 32 bits then low 32 bits, in the interface's units.</summary>
        public void Timestamp(ushort code, ulong units)
        {
            var d = Reserve(code, 8);
            BinaryPrimitives.WriteUInt32LittleEndian(d, (uint)(units >> 32));
            BinaryPrimitives.WriteUInt32LittleEndian(d[4..], (uint)units);
        }

        public void End() => Reserve(OptEnd, 0);

        private Span<byte> Reserve(ushort code, int length)
        {
            int padded = (length + 3) & ~3;
            // 4 for the trailing block length the caller writes after the options.
            if (Length + 4 + padded + 4 > _buf.Length) throw new ArgumentException("pcapng options too long for one block");
            var at = _buf[Length..];
            BinaryPrimitives.WriteUInt16LittleEndian(at, code);
            BinaryPrimitives.WriteUInt16LittleEndian(at[2..], (ushort)length);
            at.Slice(4, padded).Clear();
            Length += 4 + padded;
            return at.Slice(4, length);
        }
    }
}

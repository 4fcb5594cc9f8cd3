using System.Buffers.Binary;
using PcapLab.Read;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>One captured frame: tshark's 1-based number, its interface's link type and the captured bytes.</summary>
internal readonly record struct TestFrame(int Number, LinkType LinkType, byte[] Data);

/// <summary>
/// A minimal, test-only classic-pcap and pcapng frame iterator so the dissector can be checked before the Read stage lands.
/// It trusts well-formed files (the corpus); the real reader replaces it at merge.
/// </summary>
internal static class TestFrames
{
    /// <summary>The frames of a capture; empty when the file is neither pcap nor pcapng.</summary>
    public static List<TestFrame> Read(string path)
    {
        byte[] f = File.ReadAllBytes(path);
        var frames = new List<TestFrame>();
        if (f.Length < 24) return frames;
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(f);
        if (magic == 0x0A0D0D0A) ReadPcapng(f, frames);
        else if (magic is 0xA1B2C3D4 or 0xA1B23C4D or 0xA1B2CD34) ReadPcap(f, bigEndian: false, frames);
        else if (magic is 0xD4C3B2A1 or 0x4D3CB2A1 or 0x34CDB2A1) ReadPcap(f, bigEndian: true, frames);
        return frames;
    }

    private static uint U32(byte[] f, int at, bool be) =>
        be ? BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(at));

    private static void ReadPcap(byte[] f, bool bigEndian, List<TestFrame> frames)
    {
        // Kuznetsov's modified format adds 8 bytes (ifindex, protocol, type, pad) to each record header.
        int recordHeader = U32(f, 0, bigEndian) == 0xA1B2CD34 ? 24 : 16;
        var linkType = (LinkType)(U32(f, 20, bigEndian) & 0xFFFF);
        for (int at = 24; at + recordHeader <= f.Length;)
        {
            int caplen = (int)U32(f, at + 8, bigEndian);
            if (caplen < 0 || at + recordHeader + caplen > f.Length) break;
            frames.Add(new TestFrame(frames.Count + 1, linkType, f.AsSpan(at + recordHeader, caplen).ToArray()));
            at += recordHeader + caplen;
        }
    }

    private static void ReadPcapng(byte[] f, List<TestFrame> frames)
    {
        var interfaces = new List<LinkType>();
        bool be = false;
        for (int at = 0; at + 12 <= f.Length;)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(at)) == 0x0A0D0D0A)
            {
                be = BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(at + 8)) != 0x1A2B3C4D;
                interfaces.Clear();
            }
            uint type = U32(f, at, be);
            int length = (int)U32(f, at + 4, be);
            if (length < 12 || at + length > f.Length) break;
            if (type == 1) interfaces.Add((LinkType)(be ? BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(at + 8)) : BinaryPrimitives.ReadUInt16LittleEndian(f.AsSpan(at + 8))));
            else if (type is 6 or 2)
            {
                int iface = type == 6 ? (int)U32(f, at + 8, be) : (be ? BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(at + 8)) : BinaryPrimitives.ReadUInt16LittleEndian(f.AsSpan(at + 8)));
                int caplen = (int)U32(f, at + 20, be);
                frames.Add(new TestFrame(frames.Count + 1, interfaces[iface], f.AsSpan(at + 28, caplen).ToArray()));
            }
            else if (type == 3)
            {
                int caplen = Math.Min((int)U32(f, at + 8, be), length - 16);
                frames.Add(new TestFrame(frames.Count + 1, interfaces[0], f.AsSpan(at + 12, caplen).ToArray()));
            }
            at += length;
        }
    }
}

using PcapLab.Read;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>A captured frame with its 1-based number, as tshark numbers it.</summary>
internal readonly record struct TestFrame(int Number, LinkType LinkType, byte[] Data);

/// <summary>All frames of a capture, read with the Read stage's <see cref="CaptureReader"/>.</summary>
internal static class TestFrames
{
    public static List<TestFrame> Read(string path)
    {
        var frames = new List<TestFrame>();
        using var reader = CaptureReader.Open(path);
        while (reader.TryRead(out var p)) frames.Add(new TestFrame(frames.Count + 1, p.LinkType, p.Data.ToArray()));
        return frames;
    }
}

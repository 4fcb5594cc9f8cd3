using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>The recorded captures under tests/data/dissect (see its README for how each was made).</summary>
internal static class Captures
{
    public static string Path(string name) => System.IO.Path.Combine(Repo.TestData, "dissect", name);

    public static List<TestFrame> Frames(string name) => TestFrames.Read(Path(name));

    public static TestFrame Frame(string name, int number) => Frames(name)[number - 1];

    public static IEnumerable<string> All() =>
        Directory.GetFiles(System.IO.Path.Combine(Repo.TestData, "dissect"), "*.pcap").Select(System.IO.Path.GetFileName)!;
}

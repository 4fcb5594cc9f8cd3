using System.Diagnostics;

namespace PcapLab.Engine.Tests.Dissect;

/// <summary>What tshark says about one frame: its protocol path and the address/port/flag fields, all occurrences.</summary>
internal sealed record TsharkFrame(int Number, string[] Protocols, Dictionary<string, string[]> Fields)
{
    /// <summary>All occurrences of a field, outermost first (empty when absent).</summary>
    public string[] this[string field] => Fields.TryGetValue(field, out var v) ? v : [];
}

/// <summary>Runs tshark once per capture and parses its field output: the oracle the dissector is checked against.</summary>
internal static class TsharkOracle
{
    public static readonly string[] FieldNames =
    [
        "ip.src", "ip.dst", "ip.proto", "ipv6.src", "ipv6.dst",
        "tcp.srcport", "tcp.dstport", "tcp.flags", "udp.srcport", "udp.dstport", "vlan.id", "ieee8021ad.id",
    ];

    /// <summary>tshark's view of every frame of <paramref name="path"/>; extra arguments (decode-as) per capture.</summary>
    public static List<TsharkFrame> Run(string path, params string[] extraArgs)
    {
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true };
        // No name resolution and no reassembly: fragments must be reported as they are on the wire.
        foreach (var a in new[] { "-n", "-r", path, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
                     "-o", "tcp.desegment_tcp_streams:FALSE", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                     "-e", "frame.number", "-e", "frame.protocols" })
            psi.ArgumentList.Add(a);
        foreach (var a in extraArgs) psi.ArgumentList.Add(a);
        foreach (var f in FieldNames) { psi.ArgumentList.Add("-e"); psi.ArgumentList.Add(f); }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var frames = new List<TsharkFrame>();
        while (p.StandardOutput.ReadLine() is { } line)
        {
            var cols = line.Split('\t');
            var fields = new Dictionary<string, string[]>();
            for (int i = 0; i < FieldNames.Length && i + 2 < cols.Length; i++)
                if (cols[i + 2].Length > 0) fields[FieldNames[i]] = cols[i + 2].Split(',');
            frames.Add(new TsharkFrame(int.Parse(cols[0]), cols[1].Split(':'), fields));
        }
        p.WaitForExit();
        stderr.Wait();
        return frames;
    }
}

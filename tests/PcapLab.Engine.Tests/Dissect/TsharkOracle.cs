
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
        // No reassembly: fragments must be reported as they are on the wire.
        var options = new List<string> { "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE" };
        options.AddRange(extraArgs);
        var frames = new List<TsharkFrame>();
        foreach (var cols in PcapLab.Testing.Tshark.Fields(path, options, ["frame.number", "frame.protocols", .. FieldNames]))
        {
            var fields = new Dictionary<string, string[]>();
            for (int i = 0; i < FieldNames.Length && i + 2 < cols.Length; i++)
                if (cols[i + 2].Length > 0) fields[FieldNames[i]] = cols[i + 2].Split(',');
            frames.Add(new TsharkFrame(int.Parse(cols[0]), cols[1].Split(':'), fields));
        }
        return frames;
    }
}

using PcapLab.Ingest;
using PcapLab.Store;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Ingest;

/// <summary>
/// The oracle test of the foundation: for every packet of every committed test capture, the stored row's frame number,
/// lengths, addresses, protocol, ports and TCP flags equal what tshark reports for the same file.
/// </summary>
public class PacketsMatchTsharkTests
{
    public static TheoryData<string> Captures()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Repo.TestData, "*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".pcap") || f.EndsWith(".pcapng") || f.EndsWith(".gz"))
                     .Where(f => !f.Contains("/bad/") && !f.Contains("/fuzz/"))
                     .Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Repo.TestData, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_packet_matches_tshark(string relativePath)
    {
        var path = Path.Combine(Repo.TestData, relativePath);
        // Rows are per frame, so tshark must not move a datagram's ports to its last fragment; the pseudowire in l2.pcap
        // has a control word tshark cannot guess (the dissection oracle test does the same).
        var options = new List<string> { "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE" };
        if (relativePath.EndsWith("l2.pcap")) options.AddRange(["-d", "mpls.label==4000,pwethcw"]);
        var expected = Tshark.Fields(path, options, "frame.number", "frame.len", "frame.cap_len", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
            "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "tcp.flags", "icmp.type", "icmpv6.type", "ip.proto", "frame.interface_id");
        // tshark 4.0 also lists pcapng custom blocks as records without an interface; they are not packets, and tshark's
        // numbering then counts them, so such files are compared on packets in order.
        bool hasNonPackets = expected.Any(t => t[15].Length == 0) && path.EndsWith(".pcapng");
        if (hasNonPackets) expected = expected.Where(t => t[15].Length > 0).Select((t, i) => (string[])[(i + 1).ToString(), .. t[1..]]).ToList();
        Assert.NotEmpty(expected);

        var (database, db) = LabStore.Open(null);
        using (database) using (db)
        {
            var summary = Ingestor.Load(db, [path]);
            Assert.True(summary.AllOk, summary.Captures[0].Error);
            using var r = db.Query("""
                SELECT frame_no, len, caplen, src_ip, dst_ip, ip_proto, src_port, dst_port, tcp_flags, tunnel, ip_version
                FROM packets ORDER BY frame_no
                """);
            var mismatches = new List<string>();
            int i = 0;
            while (r.Read())
            {
                Assert.True(i < expected.Count, $"{relativePath}: more stored packets than tshark shows");
                var t = expected[i++];
                long frame = r.GetInt64(0);
                void Check(string what, string ours, string theirs)
                {
                    if (ours != theirs) mismatches.Add($"frame {frame} {what}: ours '{ours}' tshark '{theirs}'");
                }
                Check("frame_no", frame.ToString(), t[0]);
                Check("len", r.GetInt64(1).ToString(), t[1]);
                Check("caplen", r.GetInt64(2).ToString(), t[2]);

                bool tunnelled = !r.IsNull(9);
                bool icmpError = IsIcmpError(t[12], t[13]);
                string Pick(string all) => PickLayer(all, tunnelled, icmpError);
                string src = Pick(t[3].Length > 0 && (t[5].Length == 0 || r.GetValue(10) is 4 or (byte)4) ? t[3] : t[5]);
                string dst = Pick(t[4].Length > 0 && (t[6].Length == 0 || r.GetValue(10) is 4 or (byte)4) ? t[4] : t[6]);
                if (src.Length > 0 || !r.IsNull(3))
                {
                    Check("src_ip", r.IsNull(3) ? "" : r.GetString(3), src);
                    Check("dst_ip", r.IsNull(4) ? "" : r.GetString(4), dst);
                }
                string sport = Pick(t[7].Length > 0 ? t[7] : t[9]), dport = Pick(t[8].Length > 0 ? t[8] : t[10]);
                // A tunnel's own UDP ports (VXLAN, Teredo) are not the inner packet's: compare ports only for inner TCP/UDP.
                bool innerHasPorts = !tunnelled || (!r.IsNull(5) && Convert.ToInt32(r.GetValue(5)) is 6 or 17);
                if (!icmpError && innerHasPorts)
                {
                    Check("src_port", r.IsNull(6) ? "" : r.GetInt64(6).ToString(), sport);
                    Check("dst_port", r.IsNull(7) ? "" : r.GetInt64(7).ToString(), dport);
                }
                if (t[7].Length > 0 && !icmpError)
                    Check("tcp_flags", r.IsNull(8) ? "" : r.GetInt64(8).ToString(), Convert.ToInt32(Pick(t[11]), 16).ToString());
                if (t[14].Length > 0 && !r.IsNull(5) && (r.GetValue(10) is 4 or (byte)4) && !icmpError)
                    Check("ip_proto", r.GetInt64(5).ToString(), Pick(t[14]));
            }
            Assert.Equal(expected.Count, i);
            Assert.True(mismatches.Count == 0, $"{relativePath}: {mismatches.Count} mismatches:\n" + string.Join("\n", mismatches.Take(20)));
        }
    }

    // ICMP errors quote the offending packet's headers, which tshark lists as later occurrences of the same fields.
    private static bool IsIcmpError(string icmpTypes, string icmp6Types)
    {
        var first = (icmpTypes.Length > 0 ? icmpTypes : icmp6Types).Split(',')[0];
        if (first.Length == 0) return false;
        int type = int.Parse(first);
        return icmpTypes.Length > 0 ? type is 3 or 4 or 5 or 11 or 12 : type is >= 1 and <= 4;
    }

    // Our row holds the inner connection of a tunnel (tshark's last occurrence) and the outer packet otherwise (its first).
    private static string PickLayer(string all, bool tunnelled, bool icmpError)
    {
        if (all.Length == 0) return all;
        var parts = all.Split(',');
        if (!tunnelled) return parts[0];
        return icmpError && parts.Length >= 2 ? parts[^2] : parts[^1];
    }
}

/// <summary>A link type PcapLab does not decode is stored and counted, never dropped.</summary>
public class UnknownLinkTypeTests
{
    [Fact]
    public void Packets_of_an_undecoded_link_type_are_stored_and_counted_as_weirds()
    {
        var corpus = Repo.NdpiCorpus ?? throw new InvalidOperationException("the nDPI corpus is missing (../shared/corpus/ndpi)");
        var ppi = Path.Combine(corpus, "pcap", "someip_sd_sample.pcap"); // LINKTYPE_PPI (192), which PcapLab does not decode
        int frames = Tshark.Fields(ppi, "frame.number").Count;
        using var lab = new Lab();
        Assert.True(lab.Load(ppi).AllOk);
        Assert.Equal((long)frames, lab.Scalar<long>("SELECT count(*) FROM packets WHERE link_type = 192"));
        Assert.Equal((long)frames, lab.Scalar<long>("SELECT count FROM weirds WHERE name = 'unknown_link_type'"));
        Assert.Equal("linktype_192", lab.Scalar<string>("SELECT link_types[1] FROM captures"));
    }
}

using PcapLab.Export;
using PcapLab.Testing;

namespace PcapLab.Engine.Tests.Export;

/// <summary>Partitioned exports read back as one dataset with the same rows.</summary>
public class TableExportTests
{
    [Theory]
    [InlineData("packets", ExportPartition.Capture)]
    [InlineData("packets", ExportPartition.Hour)]
    [InlineData("flows", ExportPartition.Capture)]
    [InlineData("flows", ExportPartition.None)]
    public void Partitioned_parquet_reads_back_as_one_dataset(string table, ExportPartition partition)
    {
        using var lab = new Lab();
        Assert.True(lab.Load(Path.Combine(Repo.TestData, "read/lo-usec.pcap"), Path.Combine(Repo.TestData, "read/three-if.pcapng")).AllOk);
        using var tmp = new Tool.TempDir();
        long written = TableExport.Export(lab.Connection, table, "parquet", tmp.Path, partition);
        long rows = lab.Scalar<long>($"SELECT count(*) FROM {table}");
        Assert.Equal(rows, written);
        var glob = Path.Combine(tmp.Path, "**", "*.parquet");
        Assert.Equal(rows, lab.Scalar<long>("SELECT count(*) FROM read_parquet($1, hive_partitioning = true)", glob));
        // Same content: the order-independent sum of every row's hash matches.
        string cols = table == "packets" ? "capture_id, frame_no, ts, len, src_ip, dst_port, flow_id" : "flow_id, ts, orig_h, resp_p, conn_state, history";
        Assert.Equal(lab.Scalar<decimal>($"SELECT sum(hash({cols})) FROM {table}"),
            lab.Scalar<decimal>($"SELECT sum(hash({cols})) FROM read_parquet($1, hive_partitioning = true)", glob));
        if (partition == ExportPartition.Capture)
            Assert.Equal(lab.Scalar<long>($"SELECT count(DISTINCT capture_id) FROM {table}"), Directory.GetDirectories(tmp.Path, "capture_id=*").Length);
    }

    [Fact]
    public void Unknown_tables_and_formats_are_refused_with_a_clear_message()
    {
        using var lab = new Lab();
        using var tmp = new Tool.TempDir();
        Assert.Contains("no table or view named 'packets; drop table flows'",
            Assert.Throws<ArgumentException>(() => TableExport.Export(lab.Connection, "packets; drop table flows", "parquet", tmp.Path)).Message);
        Assert.Contains("unknown export format 'xlsx'", Assert.Throws<ArgumentException>(() => TableExport.Export(lab.Connection, "packets", "xlsx", tmp.Path)).Message);
        Assert.Equal(0, lab.Scalar<long>("SELECT count(*) FROM flows")); // still there
    }
}

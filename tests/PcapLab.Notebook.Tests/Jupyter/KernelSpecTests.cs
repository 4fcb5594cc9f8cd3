using System.Text.Json;
using PcapLab.Notebook.Jupyter;

namespace PcapLab.Notebook.Tests.Jupyter;

public class KernelSpecTests
{
    [Fact]
    public void WritesKernelJsonAndLogosUnderThePrefix()
    {
        var prefix = Directory.CreateTempSubdirectory("pcaplab-spec").FullName;
        try
        {
            Assert.Equal(0, KernelCommandEntry.InstallKernelSpec(prefix, false, "pl-test", "/opt/pcaplab/pcaplab"));
            var dir = Path.Combine(prefix, "share", "jupyter", "kernels", "pl-test");
            using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "kernel.json")));
            var r = spec.RootElement;
            Assert.Equal(["/opt/pcaplab/pcaplab", "kernel", "--connection-file", "{connection_file}"],
                r.GetProperty("argv").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("PcapLab", r.GetProperty("display_name").GetString());
            Assert.Equal("csharp", r.GetProperty("language").GetString());
            Assert.Equal("message", r.GetProperty("interrupt_mode").GetString());
            foreach (var (file, size) in new[] { ("logo-32x32.png", 32), ("logo-64x64.png", 64) })
            {
                var png = File.ReadAllBytes(Path.Combine(dir, file));
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
                Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            }
        }
        finally { Directory.Delete(prefix, true); }
    }

    [Fact]
    public void RejectsANameThatIsAPath() =>
        Assert.Equal(1, KernelCommandEntry.InstallKernelSpec(Path.GetTempPath(), false, "../evil", "/x"));
}

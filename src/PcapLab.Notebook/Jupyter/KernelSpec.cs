using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PcapLab.Notebook.Jupyter;

/// <summary>Writes the Jupyter kernelspec (kernel.json and logos) that makes "PcapLab" appear in kernel pickers.</summary>
internal static class KernelSpec
{
    public const string DefaultName = "pcaplab";

    /// <summary>The kernels folder: &lt;prefix&gt;/share/jupyter/kernels with a prefix, else the user's data dir
    /// ($JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter) + /kernels.</summary>
    public static string KernelsDirectory(string? prefix)
    {
        if (!string.IsNullOrEmpty(prefix)) return Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");
        var data = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        if (string.IsNullOrEmpty(data))
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            data = Path.Combine(!string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"), "jupyter");
        }
        return Path.Combine(data, "kernels");
    }

    /// <summary>Writes the spec and returns its folder.</summary>
    public static string Install(string? prefix, string name, string executable)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\', ' ']) >= 0 || name is "." or "..")
            throw new ArgumentException($"kernel name '{name}' must be one word without slashes", nameof(name));
        var dir = Path.Combine(KernelsDirectory(prefix), name);
        Directory.CreateDirectory(dir);
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray(Path.GetFullPath(executable), "kernel", "--connection-file", "{connection_file}"),
            ["display_name"] = "PcapLab",
            ["language"] = "csharp",
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
        File.WriteAllText(Path.Combine(dir, "kernel.json"), spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllBytes(Path.Combine(dir, "logo-32x32.png"), Logo(32));
        File.WriteAllBytes(Path.Combine(dir, "logo-64x64.png"), Logo(64));
        return dir;
    }

    /// <summary>The logo: packets as bars of varying length on a dark blue square, drawn at any size.</summary>
    internal static byte[] Logo(int size)
    {
        int[] bars = [70, 45, 85, 30, 60];
        var raw = new byte[size * (1 + size * 4)];
        for (int y = 0; y < size; y++)
        {
            int row = y * (1 + size * 4);
            raw[row] = 0; // filter: none
            int band = (y - size / 8) * bars.Length / Math.Max(1, size - size / 4);
            bool inBand = y >= size / 8 && y < size - size / 8 && ((y - size / 8) * bars.Length * 2 / Math.Max(1, size - size / 4)) % 2 == 0;
            for (int x = 0; x < size; x++)
            {
                int p = row + 1 + x * 4;
                bool bar = inBand && band < bars.Length && x >= size / 8 && x < size / 8 + bars[band] * (size - size / 4) / 100;
                (raw[p], raw[p + 1], raw[p + 2], raw[p + 3]) = bar ? ((byte)0x7C, (byte)0xE0, (byte)0xC8, (byte)255) : ((byte)0x12, (byte)0x2A, (byte)0x4C, (byte)255);
            }
        }
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, size);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), size);
        ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
        Chunk(ms, "IHDR", ihdr);
        using (var z = new MemoryStream())
        {
            using (var zs = new ZLibStream(z, CompressionLevel.SmallestSize, leaveOpen: true)) zs.Write(raw);
            Chunk(ms, "IDAT", z.ToArray());
        }
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> b4 = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b4, data.Length);
        s.Write(b4);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        uint crc = Crc32(Crc32(0xFFFFFFFF, typeBytes), data) ^ 0xFFFFFFFF;
        BinaryPrimitives.WriteUInt32BigEndian(b4, crc);
        s.Write(b4);
    }

    // PNG's CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), bitwise: logos are written once.
    private static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return crc;
    }
}

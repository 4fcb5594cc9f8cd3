using System.Text.Json;

namespace PcapLab.Notebook.Jupyter;

/// <summary>The connection file Jupyter writes for a kernel: where to bind and the key that signs every message.</summary>
public sealed record ConnectionInfo(
    string Transport, string Ip, int ShellPort, int IopubPort, int StdinPort, int ControlPort, int HbPort,
    string Key, string SignatureScheme)
{
    /// <summary>Reads a connection file (JSON with transport, ip, *_port, key, signature_scheme).</summary>
    public static ConnectionInfo Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var r = doc.RootElement;
        string Str(string name, string fallback) =>
            r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;
        int Port(string name) =>
            r.TryGetProperty(name, out var v) && v.TryGetInt32(out var p) && p is > 0 and < 65536 ? p
                : throw new InvalidDataException($"connection file {path}: '{name}' is missing or not a port number");
        var info = new ConnectionInfo(
            Str("transport", "tcp"), Str("ip", "127.0.0.1"),
            Port("shell_port"), Port("iopub_port"), Port("stdin_port"), Port("control_port"), Port("hb_port"),
            Str("key", ""), Str("signature_scheme", "hmac-sha256"));
        if (info.Transport != "tcp" && info.Transport != "ipc")
            throw new InvalidDataException($"connection file {path}: transport '{info.Transport}' is not supported (tcp or ipc)");
        if (info.Key.Length > 0 && info.SignatureScheme != "hmac-sha256")
            throw new InvalidDataException($"connection file {path}: signature_scheme '{info.SignatureScheme}' is not supported (hmac-sha256)");
        return info;
    }

    /// <summary>The endpoint for a port, exactly as the connection file says (ipc uses "ip-port" paths as jupyter_client does).</summary>
    public string Endpoint(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"tcp://{(Ip.Contains(':') ? "[" + Ip + "]" : Ip)}:{port}";
}

using System.Text;

namespace PcapLab.Records.Ssh;

/// <summary>
/// SSH identification strings (RFC 4253 4.2): the first "SSH-" line of each side. A server may send other lines
/// first; up to a few are skipped. Everything after the banners is encrypted and only counted.
/// </summary>
internal sealed class SshAnalyzer(IRecordSink sink, IWeirdSink weirds, long flowId) : StreamAnalyzer
{
    private const int MaxLine = 255;
    private const int MaxPreambleLines = 16;

    private string? _client, _server;
    private int _preamble;
    private long _ts, _frame;
    private bool _emitted;

    public override int Consume(bool fromOrig, ReadOnlySpan<byte> data, long tsNs, long frameNo)
    {
        if ((fromOrig ? _client : _server) != null) return data.Length;
        int used = 0;
        while (used < data.Length)
        {
            var rest = data[used..];
            int lf = rest.IndexOf((byte)'\n');
            if (lf < 0)
            {
                if (rest.Length > MaxLine) { weirds.Report("ssh_banner_too_long", flowId); Done = true; Emit(); return data.Length; }
                return used;
            }
            var line = rest[..lf];
            if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            used += lf + 1;
            if (!line.StartsWith("SSH-"u8))
            {
                if (++_preamble > MaxPreambleLines) { weirds.Report("ssh_no_banner", flowId); Done = true; Emit(); return data.Length; }
                continue;
            }
            if (_ts == 0) { _ts = tsNs; _frame = frameNo; }
            string banner = Encoding.Latin1.GetString(line);
            if (fromOrig) _client = banner; else _server = banner;
            if (_client != null && _server != null) { Emit(); Done = true; }
            return data.Length;
        }
        return used;
    }

    /// <summary>Major protocol version from a banner: "SSH-2.0-..." and "SSH-1.99-..." are 2, "SSH-1.5-..." is 1.</summary>
    public static int? VersionOf(string? banner)
    {
        if (banner == null || banner.Length < 7) return null;
        if (banner.StartsWith("SSH-2.", StringComparison.Ordinal) || banner.StartsWith("SSH-1.99", StringComparison.Ordinal)) return 2;
        if (banner.StartsWith("SSH-1.", StringComparison.Ordinal)) return 1;
        return null;
    }

    private void Emit()
    {
        if (_emitted || (_client == null && _server == null)) return;
        _emitted = true;
        sink.OnSsh(new SshRecord
        {
            Ts = _ts, FlowId = flowId, FrameNo = _frame, Client = _client, Server = _server,
            Version = VersionOf(_server) ?? VersionOf(_client),
        });
    }

    public override void OnGap(bool fromOrig, long lostBytes) { Done = true; }

    public override void OnEnd() => Emit();
}

using System.Buffers;
using System.Buffers.Binary;

namespace PcapLab.Records.Tls;

/// <summary>
/// TLS for one connection: walks the record layer of both directions, assembles handshake messages that span records
/// (and, through <see cref="TcpStream"/>, records that span segments), parses ClientHello and ServerHello (and the
/// TLS 1.2 ServerKeyExchange for the curve), then only reads record headers until both sides are encrypted.
/// One <see cref="TlsRecord"/> is emitted when the handshake is established, or when the flow ends.
/// </summary>
internal sealed class TlsAnalyzer : StreamAnalyzer
{
    private const int MaxRecordLength = 16384 + 2048;
    private const int MaxHandshakeBuffer = 64 * 1024;

    private struct Direction
    {
        public long Skip;
        public bool Encrypted, Ccs, AppData, DoneWithHandshake;
        public byte[]? Buf;
        public int BufLen;
    }

    private readonly IRecordSink _sink;
    private readonly IWeirdSink _weirds;
    private readonly long _flowId;
    private Direction _orig, _resp;
    private TlsHello? _client, _server;
    private ushort? _skeCurve;
    private long _ts, _frame;
    private bool _emitted;

    public TlsAnalyzer(IRecordSink sink, IWeirdSink weirds, long flowId) { _sink = sink; _weirds = weirds; _flowId = flowId; }

    public override int Consume(bool fromOrig, ReadOnlySpan<byte> data, long tsNs, long frameNo)
    {
        ref Direction d = ref fromOrig ? ref _orig : ref _resp;
        int used = 0;
        while (!Done)
        {
            if (d.Skip > 0)
            {
                int n = (int)Math.Min(d.Skip, data.Length - used);
                if (n == 0) break;
                d.Skip -= n; used += n;
                continue;
            }
            var rest = data[used..];
            if (rest.Length < 5) break;
            byte type = rest[0];
            int len = BinaryPrimitives.ReadUInt16BigEndian(rest[3..]);
            if (type < 20 || type > 24 || rest[1] != 3 || len > MaxRecordLength)
            {
                _weirds.Report("tls_bad_record", _flowId);
                Finish();
                return data.Length;
            }
            if (type == 22 && !d.Encrypted && !d.DoneWithHandshake)
            {
                if (rest.Length < 5 + len) break; // whole record needed; the stream keeps it
                OnHandshakeBytes(ref d, rest.Slice(5, len), tsNs, frameNo);
                used += 5 + len;
                continue;
            }
            if (type == 20) { d.Ccs = true; d.Encrypted = true; }
            else if (type == 23) d.AppData = true;
            used += 5;
            d.Skip = len;
            CheckEstablished();
        }
        return Done ? data.Length : used;
    }

    private void OnHandshakeBytes(ref Direction d, ReadOnlySpan<byte> body, long tsNs, long frameNo)
    {
        if (d.BufLen == 0)
        {
            int n = ParseMessages(ref d, body, tsNs, frameNo);
            if (n < body.Length && !d.DoneWithHandshake) Append(ref d, body[n..]);
            return;
        }
        if (!Append(ref d, body)) return;
        int used = ParseMessages(ref d, d.Buf.AsSpan(0, d.BufLen), tsNs, frameNo);
        if (d.Buf == null) return;
        d.Buf.AsSpan(used, d.BufLen - used).CopyTo(d.Buf);
        d.BufLen -= used;
        if (d.DoneWithHandshake) Release(ref d);
    }

    private bool Append(ref Direction d, ReadOnlySpan<byte> bytes)
    {
        int need = d.BufLen + bytes.Length;
        if (need > MaxHandshakeBuffer)
        {
            _weirds.Report("tls_handshake_too_long", _flowId);
            d.DoneWithHandshake = true;
            Release(ref d);
            return false;
        }
        if (d.Buf == null || d.Buf.Length < need)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(need, 4096));
            if (d.Buf != null) { d.Buf.AsSpan(0, d.BufLen).CopyTo(bigger); ArrayPool<byte>.Shared.Return(d.Buf); }
            d.Buf = bigger;
        }
        bytes.CopyTo(d.Buf.AsSpan(d.BufLen));
        d.BufLen = need;
        return true;
    }

    private static void Release(ref Direction d)
    {
        if (d.Buf != null) ArrayPool<byte>.Shared.Return(d.Buf);
        d.Buf = null; d.BufLen = 0;
    }

    private int ParseMessages(ref Direction d, ReadOnlySpan<byte> s, long tsNs, long frameNo)
    {
        int used = 0;
        while (!d.DoneWithHandshake && s.Length - used >= 4)
        {
            byte type = s[used];
            int len = (s[used + 1] << 16) | (s[used + 2] << 8) | s[used + 3];
            if (len > MaxHandshakeBuffer) { _weirds.Report("tls_handshake_too_long", _flowId); d.DoneWithHandshake = true; break; }
            if (s.Length - used - 4 < len) break;
            OnMessage(ref d, type, s.Slice(used + 4, len), tsNs, frameNo);
            used += 4 + len;
        }
        return used;
    }

    private void OnMessage(ref Direction d, byte type, ReadOnlySpan<byte> body, long tsNs, long frameNo)
    {
        switch (type)
        {
            case 1 when _client == null:
            {
                var h = new TlsHello();
                var r = new TlsHandshakeReader(body);
                if (r.TryReadClientHello(h)) _client = h;
                else _weirds.Report("tls_bad_client_hello", _flowId);
                if (_ts == 0) { _ts = tsNs; _frame = frameNo; }
                d.DoneWithHandshake = true;
                break;
            }
            case 2 when _server == null:
            {
                var h = new TlsHello();
                var r = new TlsHandshakeReader(body);
                if (r.TryReadServerHello(h)) _server = h;
                else { _weirds.Report("tls_bad_server_hello", _flowId); d.DoneWithHandshake = true; }
                if (_ts == 0) { _ts = tsNs; _frame = frameNo; }
                if (_server != null && _server.EffectiveVersion >= 0x0304) d.DoneWithHandshake = true; // the rest is encrypted
                break;
            }
            case 12:
                // ServerKeyExchange for ECDHE: curve_type 3 (named_curve) then the group.
                if (body.Length >= 3 && body[0] == 3) _skeCurve = BinaryPrimitives.ReadUInt16BigEndian(body[1..]);
                d.DoneWithHandshake = true;
                break;
            case 14:
                d.DoneWithHandshake = true;
                break;
        }
    }

    private void CheckEstablished()
    {
        if (_server == null) return;
        bool established = _server.EffectiveVersion >= 0x0304 ? _orig.AppData && _resp.AppData : _orig.Ccs && _resp.Ccs;
        if (!established) return;
        Emit(true);
        Finish();
    }

    private void Finish()
    {
        Done = true;
        Release(ref _orig);
        Release(ref _resp);
    }

    private void Emit(bool established)
    {
        if (_emitted || (_client == null && _server == null)) return;
        _emitted = true;
        _sink.OnTls(TlsRecords.FromHellos(_flowId, _ts, _frame, established, _client, _server, _skeCurve, 't'));
    }

    public override void OnGap(bool fromOrig, long lostBytes) => Finish();

    public override void OnEnd()
    {
        Emit(false);
        Finish();
    }
}

using System.Buffers.Binary;

namespace PcapLab.Records.Tls;

/// <summary>
/// The handshake of one DTLS 1.0/1.2/1.3 flow (RFC 6347, RFC 9147): walks the 13-byte record headers of each datagram,
/// reassembles ClientHello and ServerHello from their handshake fragments (message_seq, fragment_offset,
/// fragment_length), and parses them with <see cref="TlsHandshakeReader"/> in DTLS mode. One <see cref="TlsRecord"/>
/// (JA4 protocol 'd') is emitted when both sides switch to encrypted records, or when the flow ends.
/// </summary>
internal sealed class DtlsHandshake
{
    /// <summary>Largest hello reassembled; a longer one is a weird.</summary>
    public const int MaxHelloLength = 64 * 1024;
    /// <summary>Datagrams carrying handshake records looked at before giving up on the hellos.</summary>
    public const int MaxHandshakeDatagrams = 32;
    private const int RecordHeader = 13, FragmentHeader = 12;

    // One hello being put together from fragments.
    private sealed class Message(int seq, int length)
    {
        public readonly int Seq = seq, Length = length;
        public readonly HandshakeAssembly Bytes = new(length);
    }

    private readonly IRecordSink _sink;
    private readonly IWeirdSink _weirds;
    private readonly long _flowId;
    private Message? _pendingClient, _pendingServer;
    private TlsHello? _clientHello, _serverHello;
    private ushort? _skeCurve;
    private bool _origEncrypted, _respEncrypted, _gaveUp;
    private int _datagrams;
    private long _ts, _frame;

    /// <summary>Starts watching one UDP flow whose first datagram looked like DTLS.</summary>
    public DtlsHandshake(IRecordSink sink, IWeirdSink weirds, long flowId) { _sink = sink; _weirds = weirds; _flowId = flowId; }

    /// <summary>True once the row was emitted.</summary>
    public bool Done { get; private set; }

    /// <summary>One UDP payload, which may hold several records.</summary>
    public void OnDatagram(bool fromOrig, ReadOnlySpan<byte> d, long tsNs, long frameNo)
    {
        if (Done) return;
        bool handshake = false;
        while (d.Length > 0)
        {
            byte type = d[0];
            if (type is >= 0x20 and <= 0x3f) { MarkEncrypted(fromOrig); break; } // DTLS 1.3 unified (ciphertext) header
            if (d.Length < RecordHeader || type is < 20 or > 26 || d[1] is not (0xfe or 0x01)) break;
            int epoch = BinaryPrimitives.ReadUInt16BigEndian(d[3..]);
            int len = BinaryPrimitives.ReadUInt16BigEndian(d[11..]);
            if (len > d.Length - RecordHeader) { _weirds.Report("dtls_truncated_record", _flowId); break; }
            var body = d.Slice(RecordHeader, len);
            if (type == 22 && epoch == 0) { handshake = true; OnHandshakeRecord(body, tsNs, frameNo); }
            else if (type == 20 || type == 23 || epoch != 0) MarkEncrypted(fromOrig);
            if (Done) return;
            d = d[(RecordHeader + len)..];
        }
        if (handshake && ++_datagrams >= MaxHandshakeDatagrams) _gaveUp = true;
    }

    private void MarkEncrypted(bool fromOrig)
    {
        if (fromOrig) _origEncrypted = true; else _respEncrypted = true;
        if (_serverHello != null && _origEncrypted && _respEncrypted) Emit(established: true);
    }

    private void OnHandshakeRecord(ReadOnlySpan<byte> r, long tsNs, long frameNo)
    {
        while (r.Length > 0 && !_gaveUp)
        {
            if (r.Length < FragmentHeader) { _weirds.Report("dtls_bad_fragment", _flowId); return; }
            byte msgType = r[0];
            int length = Read24(r[1..]), seq = BinaryPrimitives.ReadUInt16BigEndian(r[4..]);
            int offset = Read24(r[6..]), fragLen = Read24(r[9..]);
            if (fragLen > r.Length - FragmentHeader || offset + fragLen > length)
            {
                _weirds.Report("dtls_bad_fragment", _flowId);
                return;
            }
            var frag = r.Slice(FragmentHeader, fragLen);
            r = r[(FragmentHeader + fragLen)..];
            if (msgType == 1 && _clientHello == null) OnFragment(ref _pendingClient, true, length, seq, offset, frag, tsNs, frameNo);
            else if (msgType == 2 && _serverHello == null) OnFragment(ref _pendingServer, false, length, seq, offset, frag, tsNs, frameNo);
            // DTLS 1.2 ServerKeyExchange for ECDHE: curve_type 3 (named_curve) then the group, in the first fragment.
            else if (msgType == 12 && _skeCurve == null && offset == 0 && frag.Length >= 3 && frag[0] == 3)
                _skeCurve = BinaryPrimitives.ReadUInt16BigEndian(frag[1..]);
        }
    }

    private void OnFragment(ref Message? m, bool client, int length, int seq, int offset, ReadOnlySpan<byte> frag, long tsNs, long frameNo)
    {
        if (length > MaxHelloLength) { _weirds.Report("dtls_handshake_too_long", _flowId); _gaveUp = true; return; }
        if (offset == 0 && frag.Length == length)
        {
            Parse(client, frag, tsNs, frameNo); // the common case: the whole hello in one fragment, nothing to copy
            m = null;
            return;
        }
        // A retransmitted or re-sent hello (after HelloVerifyRequest) starts the assembly over.
        if (m == null || m.Seq != seq || m.Length != length) m = new Message(seq, length);
        m.Bytes.Add(offset, frag);
        if (m.Bytes.Contiguous == length)
        {
            Parse(client, m.Bytes.Prefix, tsNs, frameNo);
            m = null;
        }
    }

    private void Parse(bool client, ReadOnlySpan<byte> body, long tsNs, long frameNo)
    {
        var h = new TlsHello();
        var r = new TlsHandshakeReader(body, dtls: true);
        if (client ? r.TryReadClientHello(h) : r.TryReadServerHello(h))
        {
            if (client) _clientHello = h; else _serverHello = h;
            if (_ts == 0) { _ts = tsNs; _frame = frameNo; }
        }
        else _weirds.Report(client ? "dtls_bad_client_hello" : "dtls_bad_server_hello", _flowId);
    }

    private static int Read24(ReadOnlySpan<byte> s) => (s[0] << 16) | (s[1] << 8) | s[2];

    private void Emit(bool established)
    {
        if (Done) return;
        Done = true;
        _pendingClient = _pendingServer = null;
        if (_clientHello == null && _serverHello == null) return;
        _sink.OnTls(TlsRecords.FromHellos(_flowId, _ts, _frame, established, _clientHello, _serverHello, _skeCurve, 'd'));
    }

    /// <summary>The flow ended: emit what was parsed.</summary>
    public void OnEnd() => Emit(established: false);
}

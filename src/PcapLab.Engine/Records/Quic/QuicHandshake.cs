using System.Buffers.Binary;
using PcapLab.Records.Tls;

namespace PcapLab.Records.Quic;

/// <summary>
/// The TLS handshake of one QUIC connection, as far as a passive observer can read it: decrypts the first Initial
/// packets of each side (coalesced ones too), reassembles their CRYPTO frames by offset, and parses the ClientHello
/// and ServerHello with <see cref="TlsHandshakeReader"/>. One <see cref="TlsRecord"/> (JA4 protocol 'q') is emitted
/// when both sides send 1-RTT (short-header) packets after the hellos, or when the flow ends.
/// Work is bounded per direction (<see cref="MaxInitialPackets"/>, <see cref="MaxCryptoBytes"/>); failures are weirds.
/// </summary>
internal sealed class QuicHandshake
{
    /// <summary>Initial packets looked at per direction before giving up on its hello.</summary>
    public const int MaxInitialPackets = 8;
    /// <summary>The highest CRYPTO stream offset kept per direction; a hello needing more is reported as too long.</summary>
    public const int MaxCryptoBytes = 32 * 1024;

    private sealed class Side
    {
        public QuicInitialKeys? Keys;
        public byte[]? KeysDcid;
        public uint KeysVersion;
        public long LargestPn = -1;
        public int Packets;
        public bool Done, ShortHeaderSeen;
        public HandshakeAssembly? Crypto;

        public void Release()
        {
            Keys?.Dispose();
            Keys = null; Crypto = null;
        }
    }

    private readonly IRecordSink _sink;
    private readonly IWeirdSink _weirds;
    private readonly long _flowId;
    private readonly Side _client = new(), _server = new();
    private byte[]? _clientDcid, _scratch;
    private TlsHello? _clientHello, _serverHello;
    private long _ts, _frame;
    private bool _retried;

    /// <summary>Starts watching one UDP flow whose first datagram looked like a QUIC Initial.</summary>
    public QuicHandshake(IRecordSink sink, IWeirdSink weirds, long flowId) { _sink = sink; _weirds = weirds; _flowId = flowId; }

    /// <summary>True once the row was emitted: later datagrams are ignored.</summary>
    public bool Done { get; private set; }

    /// <summary>One UDP payload; <paramref name="fromClient"/> is the flow's originator direction.</summary>
    public void OnDatagram(bool fromClient, ReadOnlySpan<byte> d, long tsNs, long frameNo)
    {
        if (Done || d.IsEmpty) return;
        var side = fromClient ? _client : _server;
        if ((d[0] & 0x80) == 0)
        {
            side.ShortHeaderSeen = true;
            if (_serverHello != null && _client.ShortHeaderSeen && _server.ShortHeaderSeen) Emit(established: true);
            return;
        }
        if (IsRetry(d)) { _retried = true; return; }
        if (side.Done && !(fromClient && _retried)) return;
        int pos = 0;
        // A client whose hello is already read still has its first Initial after a Retry looked at: it names the server's keys.
        while (pos < d.Length && (!side.Done || (fromClient && _retried)) && (d[pos] & 0x80) != 0)
        {
            var rest = d[pos..];
            if (!QuicPacket.TryReadLongHeader(rest, out var h))
            {
                if (QuicVersion.TryGetSalt(QuicVersion.OfLongHeader(rest), out _)) _weirds.Report("quic_truncated_packet", _flowId);
                break;
            }
            if (h.IsInitial && fromClient && _retried)
            {
                // After a Retry the client restarts with the server's chosen connection id, and the server's Initial keys follow it.
                _clientDcid = rest.Slice(h.DcidOffset, h.DcidLength).ToArray();
                _retried = false;
            }
            if (h.IsInitial && !side.Done) OnInitial(side, fromClient, rest[..h.PacketLength], in h, tsNs, frameNo);
            pos += h.PacketLength;
        }
    }

    private static bool IsRetry(ReadOnlySpan<byte> d)
    {
        uint version = QuicVersion.OfLongHeader(d);
        return version != 0 && QuicVersion.TryGetSalt(version, out _) && ((d[0] >> 4) & 3) == QuicVersion.RetryType(version);
    }

    private void OnInitial(Side side, bool fromClient, ReadOnlySpan<byte> packet, in QuicLongHeader h, long tsNs, long frameNo)
    {
        var dcid = packet.Slice(h.DcidOffset, h.DcidLength);
        // Both sides' Initial keys come from the client's first Destination Connection ID (RFC 9001 5.2), even after the
        // client switches to the server's connection id; only a Retry or a new version (after Version Negotiation) restarts them.
        if (fromClient && _clientDcid != null && h.Version != _client.KeysVersion) _clientDcid = null;
        ReadOnlySpan<byte> keyDcid = fromClient && _clientDcid == null ? dcid : _clientDcid;
        if (!QuicVersion.TryGetSalt(h.Version, out _)) return; // a version this does not decrypt (Google Q0xx, a probe)
        if (!fromClient && _clientDcid == null) { _weirds.Report("quic_server_initial_without_client", _flowId); side.Done = true; return; }
        if (++side.Packets > MaxInitialPackets) { side.Done = true; side.Release(); return; }
        if (side.Keys == null || side.KeysVersion != h.Version || !keyDcid.SequenceEqual(side.KeysDcid))
        {
            side.Keys?.Dispose();
            side.Keys = QuicInitialKeys.Derive(h.Version, keyDcid, server: !fromClient);
            side.KeysDcid = keyDcid.ToArray();
            side.KeysVersion = h.Version;
            side.LargestPn = -1;
        }
        if (_scratch == null || _scratch.Length < packet.Length) _scratch = new byte[Math.Max(packet.Length, 1500)];
        var buf = _scratch.AsSpan(0, packet.Length);
        packet.CopyTo(buf);
        var result = side.Keys!.TryUnprotect(buf, h.PnOffset, side.LargestPn, out var payload, out long pn);
        if (result != QuicUnprotect.Ok)
        {
            _weirds.Report(result == QuicUnprotect.Truncated ? "quic_truncated_packet" : "quic_decryption_failed", _flowId);
            return;
        }
        side.LargestPn = Math.Max(side.LargestPn, pn);
        if (fromClient) _clientDcid ??= side.KeysDcid;
        if (ReadFrames(side, h.Version, buf[payload])) TryParseHello(side, fromClient, tsNs, frameNo);
    }

    // Initial packets carry only PADDING, PING, ACK, CRYPTO and CONNECTION_CLOSE (RFC 9000 12.4); stop on anything else.
    private bool ReadFrames(Side side, uint version, ReadOnlySpan<byte> p)
    {
        int pos = 0;
        bool crypto = false;
        while (pos < p.Length)
        {
            if (p[pos] == 0) { pos++; continue; } // PADDING
            if (!QuicPacket.TryReadVarint(p, ref pos, out long type)) break;
            if (type == 0x08 && QuicVersion.IsGoogleTls(version)) type = 0x06; // T05x numbers CRYPTO 0x08
            switch (type)
            {
                case 0x01:
                    continue;
                case 0x02 or 0x03:
                    if (!SkipAck(p, ref pos, ecn: type == 0x03)) { _weirds.Report("quic_bad_frame", _flowId); return crypto; }
                    continue;
                case 0x06:
                    if (!QuicPacket.TryReadVarint(p, ref pos, out long offset) || !QuicPacket.TryReadVarint(p, ref pos, out long len)
                        || len > p.Length - pos)
                    {
                        _weirds.Report("quic_bad_frame", _flowId);
                        return crypto;
                    }
                    if (!AddCrypto(side, offset, p.Slice(pos, (int)len))) return false;
                    pos += (int)len;
                    crypto = true;
                    continue;
                case 0x1c or 0x1d:
                    return crypto; // CONNECTION_CLOSE: nothing after it matters
                default:
                    _weirds.Report("quic_unexpected_frame", _flowId);
                    return crypto;
            }
        }
        return crypto;
    }

    private static bool SkipAck(ReadOnlySpan<byte> p, ref int pos, bool ecn)
    {
        if (!QuicPacket.TryReadVarint(p, ref pos, out _) || !QuicPacket.TryReadVarint(p, ref pos, out _)
            || !QuicPacket.TryReadVarint(p, ref pos, out long ranges) || !QuicPacket.TryReadVarint(p, ref pos, out _))
            return false;
        if (ranges > p.Length) return false;
        for (long i = 0; i < 2 * ranges + (ecn ? 3 : 0); i++)
            if (!QuicPacket.TryReadVarint(p, ref pos, out _)) return false;
        return true;
    }

    private bool AddCrypto(Side side, long offset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return true;
        if (offset + data.Length > MaxCryptoBytes)
        {
            _weirds.Report("quic_crypto_too_long", _flowId);
            side.Done = true;
            side.Release();
            return false;
        }
        side.Crypto ??= new HandshakeAssembly(4096);
        side.Crypto.Add((int)offset, data);
        return true;
    }

    private void TryParseHello(Side side, bool fromClient, long tsNs, long frameNo)
    {
        var s = side.Crypto!.Prefix;
        if (s.Length < 4) return;
        int len = (s[1] << 16) | (s[2] << 8) | s[3];
        if (len > MaxCryptoBytes - 4)
        {
            _weirds.Report("quic_crypto_too_long", _flowId);
            side.Done = true;
            side.Release();
            return;
        }
        if (s.Length < 4 + len) return; // wait for the rest of the hello
        var body = s.Slice(4, len);
        var h = new TlsHello();
        var r = new TlsHandshakeReader(body);
        if (fromClient && s[0] == 1 && r.TryReadClientHello(h)) _clientHello ??= h;
        else if (!fromClient && s[0] == 2 && r.TryReadServerHello(h)) _serverHello ??= h;
        else _weirds.Report(fromClient ? "quic_bad_client_hello" : "quic_bad_server_hello", _flowId);
        if (_ts == 0) { _ts = tsNs; _frame = frameNo; }
        side.Done = true;
        side.Release();
    }

    private void Emit(bool established)
    {
        if (Done) return;
        Done = true;
        _client.Release();
        _server.Release();
        if (_clientHello == null && _serverHello == null) return;
        _sink.OnTls(TlsRecords.FromHellos(_flowId, _ts, _frame, established, _clientHello, _serverHello, null, 'q'));
    }

    /// <summary>The flow ended: emit what was parsed (not established) and free the keys.</summary>
    public void OnEnd() => Emit(established: false);
}

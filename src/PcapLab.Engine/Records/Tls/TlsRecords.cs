using System.Text;

namespace PcapLab.Records.Tls;

/// <summary>Builds a tls row from parsed hellos: the one place TLS over TCP, QUIC and DTLS turn hellos into a <see cref="TlsRecord"/>.</summary>
internal static class TlsRecords
{
    /// <summary>
    /// The row for one flow. <paramref name="protocol"/> is JA4's transport letter: 't' (TCP), 'q' (QUIC), 'd' (DTLS).
    /// <paramref name="skeCurve"/> is the TLS 1.2 ServerKeyExchange group, used when the ServerHello has no key_share.
    /// </summary>
    public static TlsRecord FromHellos(long flowId, long ts, long frameNo, bool established, TlsHello? client, TlsHello? server,
        ushort? skeCurve, char protocol)
    {
        var rec = new TlsRecord { Ts = ts, FlowId = flowId, FrameNo = frameNo, Established = established };
        if (client != null)
        {
            rec.ServerName = client.ServerName;
            rec.ClientAlpn = [.. client.Alpn.Select(a => Encoding.Latin1.GetString(a))];
            rec.ClientVersion = TlsNames.Version(client.EffectiveVersion);
            rec.Ja3 = TlsFingerprints.Ja3(client);
            rec.Ja4 = TlsFingerprints.Ja4(client, protocol);
        }
        if (server != null)
        {
            rec.Version = TlsNames.Version(server.EffectiveVersion);
            if (server.Ciphers.Count > 0) rec.Cipher = TlsNames.Cipher(server.Ciphers[0]);
            var curve = server.KeyShareGroup ?? skeCurve;
            if (curve != null) rec.Curve = TlsNames.Group(curve.Value);
            if (server.Alpn.Count > 0) rec.NextProtocol = Encoding.Latin1.GetString(server.Alpn[0]);
            rec.Ja3s = TlsFingerprints.Ja3s(server);
            rec.Ja4s = TlsFingerprints.Ja4s(server, protocol);
        }
        return rec;
    }
}

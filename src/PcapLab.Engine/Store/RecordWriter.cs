using PcapLab.Records;
using PcapLab.Store.DuckDb;

namespace PcapLab.Store;

/// <summary>
/// Collects application records (dns, http, tls, ssh) on the packet thread and appends them, a chunk at a time,
/// on the store thread. Records are rare next to packets, so they are plain objects.
/// </summary>
internal sealed class RecordBatch : IRecordSink
{
    public readonly List<DnsRecord> Dns = [];
    public readonly List<HttpRecord> Http = [];
    public readonly List<TlsRecord> Tls = [];
    public readonly List<SshRecord> Ssh = [];
    public int CaptureId;
    public long FlowIdBase;

    public int Count => Dns.Count + Http.Count + Tls.Count + Ssh.Count;

    public void OnDns(DnsRecord r) => Dns.Add(r);
    public void OnHttp(HttpRecord r) => Http.Add(r);
    public void OnTls(TlsRecord r) => Tls.Add(r);
    public void OnSsh(SshRecord r) => Ssh.Add(r);

    public void Clear() { Dns.Clear(); Http.Clear(); Tls.Clear(); Ssh.Clear(); }
}

/// <summary>Appends <see cref="RecordBatch"/>es to the dns, http, tls and ssh tables.</summary>
internal sealed class RecordWriter(DuckDbConnection connection) : IDisposable
{
    private readonly DuckDbAppender _dns = connection.CreateAppender("dns");
    private readonly DuckDbAppender _http = connection.CreateAppender("http");
    private readonly DuckDbAppender _tls = connection.CreateAppender("tls");
    private readonly DuckDbAppender _ssh = connection.CreateAppender("ssh");

    public void Write(RecordBatch b)
    {
        Append(_dns, b.Dns, b, (a, i, r, b) =>
        {
            int c = Common(a, i, b, r.FlowId, r.FrameNo, r.Ts);
            a.SetString(c++, i, r.Proto);
            a.Column<ushort>(c++)[i] = r.TransId;
            Set(a, c++, i, r.Rtt);
            Text(a, c++, i, r.Query);
            Set(a, c++, i, r.QClass);
            Text(a, c++, i, r.QClassName);
            Set(a, c++, i, r.QType);
            Text(a, c++, i, r.QTypeName);
            Set(a, c++, i, r.Rcode is byte rc ? (ushort?)rc : null);
            Text(a, c++, i, r.RcodeName);
            a.Column<byte>(c++)[i] = r.AA ? (byte)1 : (byte)0;
            a.Column<byte>(c++)[i] = r.TC ? (byte)1 : (byte)0;
            a.Column<byte>(c++)[i] = r.RD ? (byte)1 : (byte)0;
            a.Column<byte>(c++)[i] = r.RA ? (byte)1 : (byte)0;
            a.Column<byte>(c++)[i] = r.Z;
            a.SetStringList(c++, i, r.Answers);
            a.SetList<double>(c++, i, r.TTLs);
            a.Column<byte>(c++)[i] = r.Rejected ? (byte)1 : (byte)0;
            a.Column<byte>(c++)[i] = r.IsResponse ? (byte)1 : (byte)0;
        });
        Append(_http, b.Http, b, (a, i, r, b) =>
        {
            int c = Common(a, i, b, r.FlowId, r.FrameNo, r.Ts);
            a.Column<int>(c++)[i] = r.TransDepth;
            Text(a, c++, i, r.Method);
            Text(a, c++, i, r.Host);
            Text(a, c++, i, r.Uri);
            Text(a, c++, i, r.Version);
            Text(a, c++, i, r.UserAgent);
            Text(a, c++, i, r.Referrer);
            Text(a, c++, i, r.Origin);
            if (r.StatusCode is int sc) a.Column<int>(c)[i] = sc; else a.SetNull(c, i);
            c++;
            Text(a, c++, i, r.StatusMsg);
            a.Column<long>(c++)[i] = r.RequestBodyLen;
            a.Column<long>(c++)[i] = r.ResponseBodyLen;
            Text(a, c++, i, r.OrigMimeTypes);
            Text(a, c++, i, r.RespMimeTypes);
            a.Column<int>(c++)[i] = r.RequestHeaderCount;
            a.Column<int>(c++)[i] = r.ResponseHeaderCount;
            Text(a, c++, i, r.RequestBody);
        });
        Append(_tls, b.Tls, b, (a, i, r, b) =>
        {
            int c = Common(a, i, b, r.FlowId, r.FrameNo, r.Ts);
            Text(a, c++, i, r.Version);
            Text(a, c++, i, r.Cipher);
            Text(a, c++, i, r.Curve);
            Text(a, c++, i, r.ServerName);
            a.SetStringList(c++, i, r.ClientAlpn);
            Text(a, c++, i, r.NextProtocol);
            Text(a, c++, i, r.ClientVersion);
            Text(a, c++, i, r.Ja3);
            Text(a, c++, i, r.Ja3s);
            Text(a, c++, i, r.Ja4);
            Text(a, c++, i, r.Ja4s);
            a.Column<byte>(c++)[i] = r.Established ? (byte)1 : (byte)0;
        });
        Append(_ssh, b.Ssh, b, (a, i, r, b) =>
        {
            int c = Common(a, i, b, r.FlowId, r.FrameNo, r.Ts);
            if (r.Version is int v) a.Column<int>(c)[i] = v; else a.SetNull(c, i);
            c++;
            Text(a, c++, i, r.Client);
            Text(a, c++, i, r.Server);
        });
    }

    private static void Append<T>(DuckDbAppender a, List<T> rows, RecordBatch b, Action<DuckDbAppender, int, T, RecordBatch> fill)
    {
        for (int start = 0; start < rows.Count; start += a.VectorSize)
        {
            int n = Math.Min(a.VectorSize, rows.Count - start);
            for (int i = 0; i < n; i++) fill(a, i, rows[start + i], b);
            a.AppendChunk(n);
        }
    }

    // capture_id, flow_id, frame_no, ts: the first four columns of every record table.
    private static int Common(DuckDbAppender a, int i, RecordBatch b, long flowId, long frameNo, long ts)
    {
        a.Column<int>(0)[i] = b.CaptureId;
        if (flowId != 0) a.Column<long>(1)[i] = flowId + b.FlowIdBase; else a.SetNull(1, i);
        a.Column<long>(2)[i] = frameNo;
        a.Column<long>(3)[i] = ts;
        return 4;
    }

    private static void Text(DuckDbAppender a, int col, int row, string? value)
    {
        if (value is null) a.SetNull(col, row); else a.SetString(col, row, value);
    }

    private static void Set(DuckDbAppender a, int col, int row, ushort? value)
    {
        if (value is ushort v) a.Column<ushort>(col)[row] = v; else a.SetNull(col, row);
    }

    private static void Set(DuckDbAppender a, int col, int row, double? value)
    {
        if (value is double v) a.Column<double>(col)[row] = v; else a.SetNull(col, row);
    }

    public void Dispose()
    {
        _dns.Dispose(); _http.Dispose(); _tls.Dispose(); _ssh.Dispose();
    }
}

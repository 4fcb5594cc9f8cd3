using System.Buffers.Text;

namespace PcapLab.Records.Http;

/// <summary>
/// HTTP/1.x for one connection: requests and responses are paired in order, so pipelined requests (several sent
/// before the first response) pair correctly. Bodies are framed by Content-Length or chunked encoding, or run to the
/// end of the connection; HEAD requests and 1xx/204/304 responses have none. Bodies are counted, never buffered.
/// </summary>
internal sealed class HttpAnalyzer : StreamAnalyzer
{
    private const int MaxHeaderBlock = 32 * 1024;

    private enum BodyMode : byte { None, Length, ChunkSize, ChunkData, ChunkDataEnd, Trailer, UntilClose }

    private struct Side
    {
        public bool InBody;
        public bool Resync;   // after a gap or a bad line: skip to the next line that starts a message
        public BodyMode Mode;
        public long Remaining;
        public long BodyLen;
    }

    private readonly AppLayerOptions _opt;
    private readonly IRecordSink _sink;
    private readonly IWeirdSink _weirds;
    private readonly long _flowId;
    private readonly Queue<HttpRecord> _requests = new();
    private HttpRecord? _inRequest;   // request whose body is being read
    // The first bytes of a request body, kept for web-attack rules (form posts carry the payloads).
    private const int BodyPrefixLimit = 2048;
    private byte[]? _bodyPrefix;
    private int _bodyPrefixLength;
    private HttpRecord? _inResponse;  // transaction whose response body is being read
    private Side _orig, _resp;
    private int _depth, _responses;
    private bool _rolesKnown, _swapped;

    public HttpAnalyzer(AppLayerOptions opt, IRecordSink sink, IWeirdSink weirds, long flowId)
    {
        _opt = opt; _sink = sink; _weirds = weirds; _flowId = flowId;
    }

    public override int Consume(bool fromOrig, ReadOnlySpan<byte> data, long tsNs, long frameNo)
    {
        // The flow's originator is normally the client; when the capture began mid-connection it may be the server.
        // The first message decides: a status line from the originator (or a request from the responder) swaps roles.
        if (!_rolesKnown && !data.IsEmpty)
        {
            _rolesKnown = true;
            _swapped = fromOrig ? data.StartsWith("HTTP/1."u8) : !data.StartsWith("HTTP/1."u8);
        }
        fromOrig ^= _swapped; // from here on: true = from the client
        int used = 0;
        while (used < data.Length && !Done)
        {
            ref Side s = ref fromOrig ? ref _orig : ref _resp;
            int n = s.InBody ? ConsumeBody(ref s, fromOrig, data[used..]) : ConsumeHeaders(fromOrig, data[used..], tsNs, frameNo);
            if (n == 0) break;
            used += n;
        }
        return Done ? data.Length : used;
    }

    private int ConsumeHeaders(bool fromOrig, ReadOnlySpan<byte> data, long tsNs, long frameNo)
    {
        // Tolerate stray CRLFs between messages (RFC 9112 2.2).
        int skip = 0;
        while (skip < data.Length && (data[skip] == '\r' || data[skip] == '\n')) skip++;
        if (skip > 0) return skip;
        ref Side side = ref fromOrig ? ref _orig : ref _resp;
        if (side.Resync)
        {
            int start = FindMessageStart(data, fromOrig);
            if (start < 0) return Math.Max(0, data.Length - 16); // keep a tail that may hold the start of a line
            if (start > 0) return start;
            side.Resync = false;
        }
        int end = HttpHeaderReader.FindEnd(data);
        if (end < 0)
        {
            if (data.Length > MaxHeaderBlock) { _weirds.Report("http_header_too_long", _flowId); Done = true; }
            return 0;
        }
        var block = data[..end];
        int lf = block.IndexOf((byte)'\n');
        var first = block[..lf];
        if (first.Length > 0 && first[^1] == '\r') first = first[..^1];
        var headers = new HttpHeaderReader(block[(lf + 1)..]);
        bool ok = fromOrig ? OnRequest(first, ref headers, tsNs, frameNo) : OnResponse(first, ref headers, tsNs, frameNo);
        if (!ok)
        {
            _weirds.Report(fromOrig ? "http_bad_request_line" : "http_bad_status_line", _flowId);
            side.Resync = true;
            return lf + 1;
        }
        return end;
    }

    private bool OnRequest(ReadOnlySpan<byte> line, ref HttpHeaderReader headers, long tsNs, long frameNo)
    {
        var p = new HttpRequestLineParser();
        if (!p.TryParse(line)) return false;
        if (++_depth > _opt.MaxHttpTransactions) { Done = true; return true; }
        var rec = new HttpRecord
        {
            Ts = tsNs, FlowId = _flowId, FrameNo = frameNo, TransDepth = _depth,
            Method = HttpHeaderReader.Text(p.Method), Uri = HttpHeaderReader.Text(p.Target),
            Version = p.Version.IsEmpty ? "0.9" : HttpHeaderReader.Text(p.Version),
        };
        var info = ReadHeaders(ref headers, rec, request: true);
        rec.RequestHeaderCount = info.Count;
        if (_requests.Count >= _opt.MaxPendingHttpRequests)
        {
            _weirds.Report("http_pending_request_limit", _flowId);
            _sink.OnHttp(_requests.Dequeue());
        }
        _requests.Enqueue(rec);
        StartBody(ref _orig, info, hasBodyByDefault: false);
        _inRequest = _orig.InBody ? rec : null;
        _bodyPrefixLength = 0;
        return true;
    }

    private bool OnResponse(ReadOnlySpan<byte> line, ref HttpHeaderReader headers, long tsNs, long frameNo)
    {
        var p = new HttpStatusLineParser();
        if (!p.TryParse(line)) return false;
        _responses++;
        var scratch = new HttpRecord();
        var info = ReadHeaders(ref headers, scratch, request: false);
        if (p.StatusCode >= 100 && p.StatusCode < 200 && p.StatusCode != 101) return true; // interim: the final response follows
        HttpRecord rec = _requests.Count > 0 ? _requests.Dequeue() : new HttpRecord
        {
            Ts = tsNs, FlowId = _flowId, FrameNo = frameNo, TransDepth = _responses, Version = HttpHeaderReader.Text(p.Version),
        };
        rec.StatusCode = p.StatusCode;
        rec.StatusMsg = HttpHeaderReader.Text(p.Reason);
        rec.RespMimeTypes = scratch.RespMimeTypes;
        rec.ResponseHeaderCount = info.Count;
        bool noBody = rec.Method == "HEAD" || p.StatusCode == 204 || p.StatusCode == 304 || p.StatusCode == 101
            || (rec.Method == "CONNECT" && p.StatusCode is >= 200 and < 300);
        if (noBody) info = default;
        StartBody(ref _resp, info, hasBodyByDefault: !noBody);
        if (_resp.InBody) _inResponse = rec;
        else _sink.OnHttp(rec);
        // After 101 Switching Protocols, or a 2xx answer to CONNECT, the connection carries another protocol.
        if (p.StatusCode == 101 || (rec.Method == "CONNECT" && p.StatusCode is >= 200 and < 300)) Done = true;
        return true;
    }

    private struct HeaderInfo { public int Count; public long ContentLength; public bool HasLength; public bool Chunked; }

    private HeaderInfo ReadHeaders(ref HttpHeaderReader headers, HttpRecord rec, bool request)
    {
        var info = new HeaderInfo { ContentLength = -1 };
        while (headers.TryReadLine(out var line))
        {
            info.Count++;
            if (!HttpHeaderReader.TrySplit(line, out var name, out var value)) continue;
            if (Is(name, "content-length"u8))
            {
                if (Utf8Parser.TryParse(value, out long len, out int used) && used == value.Length && len >= 0) { info.ContentLength = len; info.HasLength = true; }
                else _weirds.Report("http_bad_content_length", _flowId);
            }
            else if (Is(name, "transfer-encoding"u8)) info.Chunked = ContainsChunked(value);
            else if (Is(name, "content-type"u8))
            {
                if (request) rec.OrigMimeTypes = HttpHeaderReader.Text(value); else rec.RespMimeTypes = HttpHeaderReader.Text(value);
            }
            else if (request)
            {
                if (Is(name, "host"u8)) rec.Host = HttpHeaderReader.Text(value);
                else if (Is(name, "user-agent"u8)) rec.UserAgent = HttpHeaderReader.Text(value);
                else if (Is(name, "referer"u8)) rec.Referrer = HttpHeaderReader.Text(value);
                else if (Is(name, "origin"u8)) rec.Origin = HttpHeaderReader.Text(value);
            }
        }
        return info;
    }

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lower) => System.Text.Ascii.EqualsIgnoreCase(name, lower);

    private static bool ContainsChunked(ReadOnlySpan<byte> v)
    {
        for (int i = 0; i + 7 <= v.Length; i++) if (System.Text.Ascii.EqualsIgnoreCase(v.Slice(i, 7), "chunked"u8)) return true;
        return false;
    }

    private static void StartBody(ref Side s, HeaderInfo info, bool hasBodyByDefault)
    {
        s.BodyLen = 0;
        if (info.Chunked) { s.InBody = true; s.Mode = BodyMode.ChunkSize; }
        else if (info.HasLength) { s.InBody = info.ContentLength > 0; s.Mode = BodyMode.Length; s.Remaining = info.ContentLength; }
        else if (hasBodyByDefault) { s.InBody = true; s.Mode = BodyMode.UntilClose; }
        else { s.InBody = false; s.Mode = BodyMode.None; }
    }

    private int ConsumeBody(ref Side s, bool fromOrig, ReadOnlySpan<byte> data)
    {
        switch (s.Mode)
        {
            case BodyMode.Length:
            case BodyMode.ChunkData:
            {
                int n = (int)Math.Min(s.Remaining, data.Length);
                if (fromOrig) KeepBodyPrefix(data[..n]);
                s.Remaining -= n; s.BodyLen += n;
                if (s.Remaining == 0)
                {
                    if (s.Mode == BodyMode.ChunkData) s.Mode = BodyMode.ChunkDataEnd;
                    else EndBody(ref s, fromOrig);
                }
                return n;
            }
            case BodyMode.UntilClose:
                if (fromOrig) KeepBodyPrefix(data);
                s.BodyLen += data.Length;
                return data.Length;
            case BodyMode.ChunkDataEnd:
            {
                int lf = data.IndexOf((byte)'\n');
                if (lf < 0) return data.Length > 2 ? Bad("http_bad_chunk") : 0;
                s.Mode = BodyMode.ChunkSize;
                return lf + 1;
            }
            case BodyMode.ChunkSize:
            {
                int lf = data.IndexOf((byte)'\n');
                if (lf < 0) return data.Length > 1024 ? Bad("http_bad_chunk") : 0;
                var line = data[..lf];
                int semi = line.IndexOf((byte)';');
                if (semi >= 0) line = line[..semi];
                line = line.Trim("\r \t"u8);
                if (!Utf8Parser.TryParse(line, out ulong size, out int used, 'x') || used != line.Length || size > int.MaxValue)
                    return Bad("http_bad_chunk");
                if (size == 0) s.Mode = BodyMode.Trailer;
                else { s.Mode = BodyMode.ChunkData; s.Remaining = (long)size; }
                return lf + 1;
            }
            case BodyMode.Trailer:
            {
                int lf = data.IndexOf((byte)'\n');
                if (lf < 0) return data.Length > MaxHeaderBlock ? Bad("http_bad_chunk") : 0;
                bool empty = lf == 0 || (lf == 1 && data[0] == '\r');
                if (empty) EndBody(ref s, fromOrig);
                return lf + 1;
            }
            default:
                s.InBody = false;
                return 0;
        }
    }

    private int Bad(string weird)
    {
        _weirds.Report(weird, _flowId);
        Done = true; // chunk framing lost: the rest of this connection cannot be framed reliably
        return 0;
    }

    private void KeepBodyPrefix(ReadOnlySpan<byte> data)
    {
        if (_inRequest is null || _bodyPrefixLength >= BodyPrefixLimit || data.IsEmpty) return;
        _bodyPrefix ??= new byte[BodyPrefixLimit];
        int n = Math.Min(data.Length, BodyPrefixLimit - _bodyPrefixLength);
        data[..n].CopyTo(_bodyPrefix.AsSpan(_bodyPrefixLength));
        _bodyPrefixLength += n;
    }

    // Hands the kept body prefix to the request as text (invalid UTF-8 becomes U+FFFD; the rules look for ASCII patterns).
    private void FinishRequestBody(long bodyLength)
    {
        if (_inRequest is null) return;
        _inRequest.RequestBodyLen = bodyLength;
        if (_bodyPrefixLength > 0) _inRequest.RequestBody = System.Text.Encoding.UTF8.GetString(_bodyPrefix!, 0, _bodyPrefixLength);
        _bodyPrefixLength = 0;
        _inRequest = null;
    }

    private void EndBody(ref Side s, bool fromOrig)
    {
        s.InBody = false;
        s.Mode = BodyMode.None;
        if (fromOrig) FinishRequestBody(s.BodyLen);
        else if (_inResponse != null)
        {
            _inResponse.ResponseBodyLen = s.BodyLen;
            _sink.OnHttp(_inResponse);
            _inResponse = null;
        }
    }

    // Where the next request line (a method and a space) or status line ("HTTP/1.") starts at the beginning of a line.
    private static int FindMessageStart(ReadOnlySpan<byte> data, bool request)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (i > 0 && data[i - 1] != '\n') continue;
            var rest = data[i..];
            if (request ? LooksLikeRequest(rest) : rest.StartsWith("HTTP/1."u8)) return i;
        }
        return -1;
    }

    private static bool LooksLikeRequest(ReadOnlySpan<byte> s)
    {
        int sp = s.IndexOf((byte)' ');
        if (sp < 3 || sp > 10) return false;
        foreach (byte b in s[..sp]) if (b < 'A' || b > 'Z') return false;
        return true;
    }

    /// <summary>Bytes were lost: close the message in progress with what was counted and resynchronise on the next message.</summary>
    public override void OnGap(bool fromOrig, long lostBytes)
    {
        fromOrig ^= _swapped;
        ref Side s = ref fromOrig ? ref _orig : ref _resp;
        // Inside a body of known length the hole only shortens what is left of it: framing survives.
        if (s.InBody && lostBytes >= 0 && s.Mode is BodyMode.Length or BodyMode.ChunkData && lostBytes <= s.Remaining)
        {
            s.Remaining -= lostBytes;
            if (s.Remaining == 0)
            {
                if (s.Mode == BodyMode.ChunkData) s.Mode = BodyMode.ChunkDataEnd;
                else EndBody(ref s, fromOrig);
            }
            return;
        }
        if (s.InBody && s.Mode == BodyMode.UntilClose) return; // still counting to the end of the connection
        if (s.InBody)
        {
            if (fromOrig) FinishRequestBody(s.BodyLen);
            else if (_inResponse != null) { _inResponse.ResponseBodyLen = s.BodyLen; _sink.OnHttp(_inResponse); _inResponse = null; }
        }
        s.InBody = false;
        s.Mode = BodyMode.None;
        s.Resync = true;
    }

    public override void OnEnd()
    {
        FinishRequestBody(_orig.BodyLen);
        if (_inResponse != null)
        {
            _inResponse.ResponseBodyLen = _resp.BodyLen;
            _sink.OnHttp(_inResponse);
            _inResponse = null;
        }
        while (_requests.Count > 0) _sink.OnHttp(_requests.Dequeue());
    }
}

namespace PcapLab.Records;

/// <summary>Receives application records as the analyzers finish them (one call per row of dns/http/tls/ssh).</summary>
public interface IRecordSink
{
    /// <summary>One dns.log row: a query with its answers, or an unanswered query at flow end.</summary>
    void OnDns(DnsRecord r);
    /// <summary>One http.log row: a request/response pair (either side may be missing at flow end).</summary>
    void OnHttp(HttpRecord r);
    /// <summary>One ssl.log row: a TLS handshake.</summary>
    void OnTls(TlsRecord r);
    /// <summary>One ssh.log row: the two banners.</summary>
    void OnSsh(SshRecord r);
}

/// <summary>Limits of the application layer; every per-flow buffer is bounded by these.</summary>
public sealed class AppLayerOptions
{
    /// <summary>Bytes a TCP direction may hold for a parser (unconsumed plus out-of-order data). Beyond it the data is skipped and a <c>content_gap</c> weird is recorded.</summary>
    public int MaxStreamBuffer { get; init; } = 64 * 1024;
    /// <summary>Out-of-order segments kept per direction.</summary>
    public int MaxOutOfOrderSegments { get; init; } = 64;
    /// <summary>Flows with application state at once; new flows beyond it are not analysed (weird <c>app_layer_flow_limit</c>).</summary>
    public int MaxFlows { get; init; } = 1 << 20;
    /// <summary>DNS queries awaiting their response per flow.</summary>
    public int MaxPendingDnsQueries { get; init; } = 64;
    /// <summary>HTTP requests awaiting their response per flow (pipelining depth).</summary>
    public int MaxPendingHttpRequests { get; init; } = 32;
    /// <summary>HTTP transactions analysed per flow before the flow is only counted.</summary>
    public int MaxHttpTransactions { get; init; } = 1000;
    /// <summary>Default options.</summary>
    public static AppLayerOptions Default { get; } = new();
}

/// <summary>A dns.log row (Zeek's names). Times are nanoseconds since the Unix epoch.</summary>
public sealed class DnsRecord
{
    /// <summary>Time of the query (or of the response when no query was seen), ns since epoch.</summary>
    public long Ts { get; set; }
    /// <summary>The flow this message belongs to.</summary>
    public long FlowId { get; set; }
    /// <summary>Frame number (1-based) of the packet that carried the query (or the response when no query was seen).</summary>
    public long FrameNo { get; set; }
    /// <summary>Transport: "udp" or "tcp".</summary>
    public string Proto { get; set; } = "udp";
    /// <summary>DNS transaction id.</summary>
    public ushort TransId { get; set; }
    /// <summary>Round-trip time between query and response in seconds; null when unanswered.</summary>
    public double? Rtt { get; set; }
    /// <summary>Queried name (no trailing dot, as Zeek), or null.</summary>
    public string? Query { get; set; }
    /// <summary>Query class number.</summary>
    public ushort? QClass { get; set; }
    /// <summary>Query class name (C_INTERNET, ...).</summary>
    public string? QClassName { get; set; }
    /// <summary>Query type number.</summary>
    public ushort? QType { get; set; }
    /// <summary>Query type name (A, AAAA, ...).</summary>
    public string? QTypeName { get; set; }
    /// <summary>Response code; null when unanswered.</summary>
    public byte? Rcode { get; set; }
    /// <summary>Response code name (NOERROR, NXDOMAIN, ...).</summary>
    public string? RcodeName { get; set; }
    /// <summary>Authoritative answer (from the response).</summary>
    public bool AA { get; set; }
    /// <summary>Truncated.</summary>
    public bool TC { get; set; }
    /// <summary>Recursion desired (from the query).</summary>
    public bool RD { get; set; }
    /// <summary>Recursion available (from the response).</summary>
    public bool RA { get; set; }
    /// <summary>The 3-bit Z field.</summary>
    public byte Z { get; set; }
    /// <summary>Answer-section values rendered like Zeek (addresses, names, "TXT n text", ...).</summary>
    public string[] Answers { get; set; } = [];
    /// <summary>TTL of each answer in seconds, same order as <see cref="Answers"/>.</summary>
    public double[] TTLs { get; set; } = [];
    /// <summary>True when the server answered with an error other than NXDOMAIN (Zeek's dns_rejected).</summary>
    public bool Rejected { get; set; }
    /// <summary>True when a response was seen.</summary>
    public bool IsResponse { get; set; }
}

/// <summary>An http.log row (Zeek's names). Times are nanoseconds since the Unix epoch.</summary>
public sealed class HttpRecord
{
    /// <summary>Time of the request's first byte (or of the response when no request was seen).</summary>
    public long Ts { get; set; }
    /// <summary>The flow.</summary>
    public long FlowId { get; set; }
    /// <summary>Frame carrying the start of the request (or response).</summary>
    public long FrameNo { get; set; }
    /// <summary>1-based position of this transaction on the connection.</summary>
    public int TransDepth { get; set; }
    /// <summary>Request method.</summary>
    public string? Method { get; set; }
    /// <summary>Host header.</summary>
    public string? Host { get; set; }
    /// <summary>Request target as sent.</summary>
    public string? Uri { get; set; }
    /// <summary>HTTP version of the request ("1.1"), or of the response when no request was seen.</summary>
    public string? Version { get; set; }
    /// <summary>User-Agent header.</summary>
    public string? UserAgent { get; set; }
    /// <summary>Referer header.</summary>
    public string? Referrer { get; set; }
    /// <summary>Origin header.</summary>
    public string? Origin { get; set; }
    /// <summary>Response status code; null when no response was seen.</summary>
    public int? StatusCode { get; set; }
    /// <summary>Response reason phrase.</summary>
    public string? StatusMsg { get; set; }
    /// <summary>Request body bytes after removing chunked framing.</summary>
    public long RequestBodyLen { get; set; }
    /// <summary>Response body bytes after removing chunked framing.</summary>
    public long ResponseBodyLen { get; set; }
    /// <summary>Request Content-Type (Zeek's orig_mime_types comes from content sniffing; this is the declared type).</summary>
    public string? OrigMimeTypes { get; set; }
    /// <summary>Response Content-Type.</summary>
    public string? RespMimeTypes { get; set; }
    /// <summary>Number of request header lines.</summary>
    public int RequestHeaderCount { get; set; }
    /// <summary>Number of response header lines.</summary>
    public int ResponseHeaderCount { get; set; }

    /// <summary>The first 2 KiB of the request body as text (for web-attack rules over form posts), or null when there was none.</summary>
    public string? RequestBody { get; set; }
}

/// <summary>An ssl.log row (Zeek's names, TLS is "ssl" there) with JA3/JA4, for TLS over TCP, QUIC (Initial packets) and DTLS; JA4's first letter tells which (t/q/d). Times are nanoseconds since the Unix epoch.</summary>
public sealed class TlsRecord
{
    /// <summary>Time of the ClientHello (or ServerHello when no ClientHello was seen).</summary>
    public long Ts { get; set; }
    /// <summary>The flow.</summary>
    public long FlowId { get; set; }
    /// <summary>Frame that completed the ClientHello.</summary>
    public long FrameNo { get; set; }
    /// <summary>Negotiated version ("TLSv13", "TLSv12", ...), from the ServerHello's supported_versions when present.</summary>
    public string? Version { get; set; }
    /// <summary>Negotiated cipher suite (IANA name for common suites, else hex such as 0xc0ff).</summary>
    public string? Cipher { get; set; }
    /// <summary>Key-exchange group from the ServerHello key_share (TLS 1.3), e.g. x25519.</summary>
    public string? Curve { get; set; }
    /// <summary>Server Name Indication from the ClientHello.</summary>
    public string? ServerName { get; set; }
    /// <summary>ALPN protocols offered by the client, in order.</summary>
    public string[] ClientAlpn { get; set; } = [];
    /// <summary>ALPN protocol chosen by the server (Zeek's next_protocol).</summary>
    public string? NextProtocol { get; set; }
    /// <summary>The ClientHello's highest offered version ("TLSv13" when supported_versions offers it).</summary>
    public string? ClientVersion { get; set; }
    /// <summary>JA3 client fingerprint (MD5 hex).</summary>
    public string? Ja3 { get; set; }
    /// <summary>JA3S server fingerprint (MD5 hex).</summary>
    public string? Ja3s { get; set; }
    /// <summary>JA4 client fingerprint (FoxIO).</summary>
    public string? Ja4 { get; set; }
    /// <summary>JA4S server fingerprint (FoxIO).</summary>
    public string? Ja4s { get; set; }
    /// <summary>True when both sides moved to encrypted traffic (ChangeCipherSpec for TLS 1.2 and older, application-data records for 1.3, 1-RTT packets for QUIC).</summary>
    public bool Established { get; set; }
}

/// <summary>An ssh.log row (banners only; the rest of SSH is encrypted). Times are nanoseconds since the Unix epoch.</summary>
public sealed class SshRecord
{
    /// <summary>Time of the first banner.</summary>
    public long Ts { get; set; }
    /// <summary>The flow.</summary>
    public long FlowId { get; set; }
    /// <summary>Frame carrying the first banner.</summary>
    public long FrameNo { get; set; }
    /// <summary>SSH major version (1 or 2; "1.99" counts as 2), or null when no banner parsed.</summary>
    public int? Version { get; set; }
    /// <summary>Client banner without the line ending.</summary>
    public string? Client { get; set; }
    /// <summary>Server banner without the line ending.</summary>
    public string? Server { get; set; }
}

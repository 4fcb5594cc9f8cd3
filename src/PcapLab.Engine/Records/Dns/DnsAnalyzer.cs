using System.Buffers.Binary;
using System.Text;
using PcapLab.Dissect;

namespace PcapLab.Records.Dns;

/// <summary>
/// DNS for one flow: parses each message, pairs queries with responses by transaction id like Zeek
/// (one row per query with its answers; unanswered queries are emitted when the flow ends).
/// </summary>
internal sealed class DnsTransactions
{
    private readonly AppLayerOptions _opt;
    private readonly IRecordSink _sink;
    private readonly IWeirdSink _weirds;
    private readonly long _flowId;
    private readonly string _proto;
    private readonly Dictionary<ushort, DnsRecord> _pending = [];

    public DnsTransactions(AppLayerOptions opt, IRecordSink sink, IWeirdSink weirds, long flowId, string proto)
    {
        _opt = opt; _sink = sink; _weirds = weirds; _flowId = flowId; _proto = proto;
    }

    /// <summary>Handles one DNS message; malformed parts become weirds and the rest of the message is dropped.</summary>
    public void OnMessage(ReadOnlySpan<byte> msg, long tsNs, long frameNo)
    {
        var r = new DnsMessageReader(msg);
        if (!r.TryReadHeader()) { Weird(r.Error); return; }
        Span<byte> name = stackalloc byte[DnsMessageReader.MaxRenderedName];
        string? query = null; ushort qtype = 0, qclass = 0;
        bool haveQuestion = false;
        for (int i = 0; i < r.QdCount; i++)
        {
            if (!r.TryReadQuestion(name, out int n, out ushort t, out ushort c)) { Weird(r.Error); break; }
            if (i == 0) { query = Encoding.ASCII.GetString(name[..n]); qtype = t; qclass = c; haveQuestion = true; }
        }
        if (!r.IsResponse)
        {
            if (_pending.ContainsKey(r.Id)) return; // a retransmitted query: the first one is the row
            var q = NewRecord(r.Id, tsNs, frameNo, query, haveQuestion, qtype, qclass);
            q.RD = (r.Flags & 0x0100) != 0;
            q.Z = (byte)((r.Flags >> 4) & 7);
            if (_pending.Count >= _opt.MaxPendingDnsQueries) { _weirds.Report("dns_unmatched_query_limit", _flowId); Flush(); }
            _pending[r.Id] = q;
            return;
        }
        if (!_pending.Remove(r.Id, out var rec))
            rec = NewRecord(r.Id, tsNs, frameNo, query, haveQuestion, qtype, qclass);
        else
            rec.Rtt = (tsNs - rec.Ts) / 1e9;
        if (rec.Query == null && haveQuestion) { rec.Query = query; rec.QType = qtype; rec.QTypeName = DnsNames.QueryType(qtype); rec.QClass = qclass; rec.QClassName = DnsNames.QueryClass(qclass); }
        rec.IsResponse = true;
        rec.Rcode = r.Rcode;
        rec.RcodeName = DnsNames.Rcode(r.Rcode);
        rec.AA = (r.Flags & 0x0400) != 0;
        rec.TC = (r.Flags & 0x0200) != 0;
        rec.RA = (r.Flags & 0x0080) != 0;
        rec.RD |= (r.Flags & 0x0100) != 0;
        rec.Z = (byte)((r.Flags >> 4) & 7);
        rec.Rejected = r.Rcode != 0 && r.Rcode != 3;
        ReadAnswers(ref r, msg, name, rec);
        _sink.OnDns(rec);
    }

    private DnsRecord NewRecord(ushort id, long tsNs, long frameNo, string? query, bool haveQuestion, ushort qtype, ushort qclass) => new()
    {
        Ts = tsNs, FlowId = _flowId, FrameNo = frameNo, Proto = _proto, TransId = id, Query = query,
        QType = haveQuestion ? qtype : null, QTypeName = haveQuestion ? DnsNames.QueryType(qtype) : null,
        QClass = haveQuestion ? qclass : null, QClassName = haveQuestion ? DnsNames.QueryClass(qclass) : null,
    };

    private void ReadAnswers(ref DnsMessageReader r, ReadOnlySpan<byte> msg, scoped Span<byte> name, DnsRecord rec)
    {
        if (r.AnCount == 0) return;
        var answers = new List<string>(Math.Min((int)r.AnCount, 64));
        var ttls = new List<double>(answers.Capacity);
        for (int i = 0; i < r.AnCount; i++)
        {
            if (!r.TryReadRecord(name, out _, out ushort type, out _, out uint ttl, out int off, out int len)) { Weird(r.Error); break; }
            if (type == 41) continue; // OPT pseudo-record
            string? text = Render(msg, type, off, len, name);
            if (text == null) continue;
            answers.Add(text);
            ttls.Add(ttl);
        }
        rec.Answers = [.. answers];
        rec.TTLs = [.. ttls];
    }

    // Renders one answer's RDATA the way Zeek's dns.log does; null (with a weird) when the RDATA is malformed.
    private string? Render(ReadOnlySpan<byte> msg, ushort type, int off, int len, Span<byte> name)
    {
        ReadOnlySpan<byte> rd = msg.Slice(off, len);
        switch (type)
        {
            case 1:
                if (len != 4) return BadRdata();
                return IpAddr.V4(rd).ToString();
            case 28:
                if (len != 16) return BadRdata();
                return IpAddr.V6(rd).ToString();
            case 2: case 5: case 12: case 39: case 6:
                return NameAt(msg, off, off + len, name);
            case 15:
                if (len < 3) return BadRdata();
                return NameAt(msg, off + 2, off + len, name);
            case 33:
                if (len < 7) return BadRdata();
                return NameAt(msg, off + 6, off + len, name);
            case 16: case 99:
                return RenderTxt(type == 16 ? "TXT" : "SPF", rd);
            default:
                return "<unknown type=" + type + ">";
        }
    }

    private string? NameAt(ReadOnlySpan<byte> msg, int off, int limit, Span<byte> name)
    {
        var e = DnsMessageReader.ReadNameAt(msg, off, name, out int n, out int end);
        if (e != DnsError.None) { Weird(e); return null; }
        if (end > limit) return BadRdata();
        return Encoding.ASCII.GetString(name[..n]);
    }

    private string? RenderTxt(string kind, ReadOnlySpan<byte> rd)
    {
        var sb = new StringBuilder();
        int pos = 0;
        while (pos < rd.Length)
        {
            int n = rd[pos];
            if (pos + 1 + n > rd.Length) return BadRdata();
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(kind).Append(' ').Append(n).Append(' ');
            foreach (byte b in rd.Slice(pos + 1, n))
                if (b >= 0x20 && b < 0x7F) sb.Append((char)b); else sb.Append("\\x").Append(b.ToString("x2"));
            pos += 1 + n;
        }
        return sb.ToString();
    }

    private string? BadRdata() { _weirds.Report("dns_bad_rdata", _flowId); return null; }

    private void Weird(DnsError e) => _weirds.Report(e switch
    {
        DnsError.TruncatedHeader => "dns_truncated_header",
        DnsError.CompressionLoop => "dns_compression_loop",
        DnsError.BadPointer => "dns_bad_compression_pointer",
        DnsError.BadLabel => "dns_bad_label",
        DnsError.NameTooLong => "dns_name_too_long",
        _ => "dns_truncated_message",
    }, _flowId);

    /// <summary>Emits every query still waiting for its response.</summary>
    public void Flush()
    {
        foreach (var q in _pending.Values.OrderBy(q => q.FrameNo)) _sink.OnDns(q);
        _pending.Clear();
    }
}

/// <summary>DNS over TCP: 2-byte length-prefixed messages in each direction.</summary>
internal sealed class DnsTcpAnalyzer(DnsTransactions dns) : StreamAnalyzer
{
    public override int Consume(bool fromOrig, ReadOnlySpan<byte> data, long tsNs, long frameNo)
    {
        int used = 0;
        while (data.Length - used >= 2)
        {
            int len = BinaryPrimitives.ReadUInt16BigEndian(data[used..]);
            if (data.Length - used - 2 < len) break;
            dns.OnMessage(data.Slice(used + 2, len), tsNs, frameNo);
            used += 2 + len;
        }
        return used;
    }

    public override void OnEnd() => dns.Flush();
}

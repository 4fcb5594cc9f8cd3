using PcapLab.Testing;
using System.Text;
using PcapLab.Dissect;
using PcapLab.Records;
using PcapLab.Records.Http;

namespace PcapLab.Engine.Tests.Records;

/// <summary>Span parsers in the Kestrel style: every prefix of a message is "need more", never a wrong answer.</summary>
public class ParserTests
{
    private const string Request = "GET /index.html?q=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n";

    [Fact]
    public void Every_prefix_of_a_header_block_is_incomplete()
    {
        var bytes = Encoding.ASCII.GetBytes(Request);
        Assert.Equal(bytes.Length, HttpHeaderReader.FindEnd(bytes));
        for (int n = 0; n < bytes.Length; n++) Assert.Equal(-1, HttpHeaderReader.FindEnd(bytes.AsSpan(0, n)));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1", true, "GET", "/", "1.1")]
    [InlineData("OPTIONS * HTTP/1.0", true, "OPTIONS", "*", "1.0")]
    [InlineData("GET /a b HTTP/1.1", true, "GET", "/a b", "1.1")]
    [InlineData("GET /", true, "GET", "/", "")]
    [InlineData("GET", false, "", "", "")]
    [InlineData("GET  HTTP/1.1", true, "GET", "", "1.1")]
    [InlineData("GET      /x HTTP/1.1", true, "GET", "/x", "1.1")]
    [InlineData(" / HTTP/1.1", false, "", "", "")]
    [InlineData("G(T / HTTP/1.1", false, "", "", "")]
    [InlineData("GET / FTP/1.1", false, "", "", "")]
    public void Request_lines(string line, bool ok, string method, string target, string version)
    {
        var p = new HttpRequestLineParser();
        Assert.Equal(ok, p.TryParse(Encoding.ASCII.GetBytes(line)));
        if (!ok) return;
        Assert.Equal(method, Encoding.ASCII.GetString(p.Method));
        Assert.Equal(target, Encoding.ASCII.GetString(p.Target));
        Assert.Equal(version, Encoding.ASCII.GetString(p.Version));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK", true, 200, "OK")]
    [InlineData("HTTP/1.0 404 Not Found", true, 404, "Not Found")]
    [InlineData("HTTP/1.1 204", true, 204, "")]
    [InlineData("HTTP/1.1 2x0 OK", false, 0, "")]
    [InlineData("HTTP/1.1", false, 0, "")]
    [InlineData("HTTX/1.1 200 OK", false, 0, "")]
    public void Status_lines(string line, bool ok, int code, string reason)
    {
        var p = new HttpStatusLineParser();
        Assert.Equal(ok, p.TryParse(Encoding.ASCII.GetBytes(line)));
        if (!ok) return;
        Assert.Equal(code, p.StatusCode);
        Assert.Equal(reason, Encoding.ASCII.GetString(p.Reason));
    }

    [Fact]
    public void Unanswered_dns_queries_are_emitted_when_the_flow_ends()
    {
        var c = new Collected();
        var app = new AppLayer(AppLayerOptions.Default, c, c);
        var p = new PacketInfo();
        p.Reset(); p.IpVersion = 4; p.IpProto = 17; p.SrcPort = 40000; p.DstPort = 53;
        byte[] query = [0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, (byte)'w', (byte)'w', (byte)'w', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 28, 0, 1];
        Assert.Equal("dns", app.OnPacket(9, true, in p, query, 1_000, 1));
        Assert.Null(app.OnPacket(9, true, in p, query, 2_000, 2)); // a retransmission is not a second row
        Assert.Empty(c.Dns);
        app.OnFlowEnded(9);
        var r = Assert.Single(c.Dns);
        Assert.Equal("www.test", r.Query);
        Assert.Equal("AAAA", r.QTypeName);
        Assert.Equal("C_INTERNET", r.QClassName);
        Assert.True(r.RD);
        Assert.False(r.IsResponse);
        Assert.Null(r.Rcode);
        Assert.Null(r.Rtt);
        Assert.Equal(1, r.FrameNo);
    }

    [Fact]
    public void In_order_segments_allocate_nothing()
    {
        var c = new Collected();
        var app = new AppLayer(AppLayerOptions.Default, c, c);
        uint cs = 100, ss = 700;
        var syn = ReassemblyTests.Tcp(cs, TcpFlags.Syn, 0);
        app.OnPacket(4, true, in syn, default, 1, 1);
        var synAck = ReassemblyTests.Tcp(ss, TcpFlags.Syn | TcpFlags.Ack, 0);
        app.OnPacket(4, false, in synAck, default, 2, 2);
        var req = "GET /big HTTP/1.1\r\nHost: h\r\n\r\n"u8.ToArray();
        var p = ReassemblyTests.Tcp(cs + 1, TcpFlags.Ack, req.Length);
        app.OnPacket(4, true, in p, req, 3, 3);
        var head = "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"u8.ToArray();
        uint seq = ss + 1;
        p = ReassemblyTests.Tcp(seq, TcpFlags.Ack, head.Length);
        app.OnPacket(4, false, in p, head, 4, 4);
        seq += (uint)head.Length;
        var chunk = new byte[1000];
        // One segment first, then 4 rounds of 125 body segments and 125 empty ACKs (the first round warms up).
        p = ReassemblyTests.Tcp(seq, TcpFlags.Ack, chunk.Length);
        app.OnPacket(4, false, in p, chunk, 5, 5);
        seq += 1000;
        long frame = 6;
        Assert.Equal(0, Allocations.SteadyState(() =>
        {
            for (int i = 0; i < 125; i++, frame++)
            {
                var data = ReassemblyTests.Tcp(seq, TcpFlags.Ack, chunk.Length);
                app.OnPacket(4, false, in data, chunk, frame, frame);
                seq += 1000;
                var ack = ReassemblyTests.Tcp(cs + 1 + (uint)req.Length, TcpFlags.Ack, 0);
                ack.TcpAck = seq;
                app.OnPacket(4, true, in ack, default, frame, frame);
            }
        }));
        app.OnFlowEnded(4);
        Assert.Equal(501_000, Assert.Single(c.Http).ResponseBodyLen);
    }

    [Fact]
    public void Http_roles_follow_the_content_when_the_originator_is_the_server()
    {
        // Capture started mid-connection: the first packet seen is the server's response.
        var c = new Collected();
        var app = new AppLayer(AppLayerOptions.Default, c, c);
        var resp = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"u8.ToArray();
        var req = "GET /next HTTP/1.1\r\nHost: h\r\n\r\n"u8.ToArray();
        var resp2 = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"u8.ToArray();
        var p = ReassemblyTests.Tcp(1000, TcpFlags.Ack | TcpFlags.Psh, resp.Length);
        Assert.Equal("http", app.OnPacket(5, true, in p, resp, 1, 1));
        p = ReassemblyTests.Tcp(50, TcpFlags.Ack | TcpFlags.Psh, req.Length);
        app.OnPacket(5, false, in p, req, 2, 2);
        p = ReassemblyTests.Tcp(1000 + (uint)resp.Length, TcpFlags.Ack | TcpFlags.Psh, resp2.Length);
        app.OnPacket(5, true, in p, resp2, 3, 3);
        app.OnFlowEnded(5);
        Assert.Equal(2, c.Http.Count);
        Assert.Equal(200, c.Http[0].StatusCode);
        Assert.Null(c.Http[0].Method);
        Assert.Equal("/next", c.Http[1].Uri);
        Assert.Equal(404, c.Http[1].StatusCode);
        Assert.Empty(c.Weirds);
    }
}

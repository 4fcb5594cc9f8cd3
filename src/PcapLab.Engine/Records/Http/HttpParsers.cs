using System.Text;

namespace PcapLab.Records.Http;

/// <summary>Parses an HTTP/1.x request line ("GET /x HTTP/1.1") from a span; no allocation, never throws.</summary>
public ref struct HttpRequestLineParser
{
    /// <summary>The method token.</summary>
    public ReadOnlySpan<byte> Method;
    /// <summary>The request target as sent.</summary>
    public ReadOnlySpan<byte> Target;
    /// <summary>The version after "HTTP/" ("1.1"); empty for HTTP/0.9 style lines.</summary>
    public ReadOnlySpan<byte> Version;

    /// <summary>Parses <paramref name="line"/> (without its line ending); false when it is not a request line.</summary>
    public bool TryParse(ReadOnlySpan<byte> line)
    {
        int sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0 || sp1 > 32) return false;
        Method = line[..sp1];
        foreach (byte b in Method) if (!IsTokenChar(b)) return false;
        var rest = line[(sp1 + 1)..];
        int sp2 = rest.LastIndexOf((byte)' ');
        if (sp2 < 0) { Target = rest; Version = default; return rest.Length > 0; }
        Target = rest[..sp2].Trim((byte)' '); // extra spaces around the target are skipped, as Zeek does
        var v = rest[(sp2 + 1)..];
        if (!v.StartsWith("HTTP/"u8)) return false;
        Version = v[5..];
        return true; // an empty target ("GET  HTTP/1.1") is malformed but still a request, as tshark and Zeek log it
    }

    /// <summary>RFC 9110 tchar.</summary>
    public static bool IsTokenChar(byte b) =>
        b > 0x20 && b < 0x7F && b is not ((byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'@' or (byte)',' or (byte)';'
            or (byte)':' or (byte)'\\' or (byte)'"' or (byte)'/' or (byte)'[' or (byte)']' or (byte)'?' or (byte)'=' or (byte)'{'
            or (byte)'}');
}

/// <summary>Parses an HTTP/1.x status line ("HTTP/1.1 200 OK").</summary>
public ref struct HttpStatusLineParser
{
    /// <summary>The version after "HTTP/".</summary>
    public ReadOnlySpan<byte> Version;
    /// <summary>The three-digit status code.</summary>
    public int StatusCode;
    /// <summary>The reason phrase (may be empty).</summary>
    public ReadOnlySpan<byte> Reason;

    /// <summary>Parses <paramref name="line"/>; false when it is not a status line.</summary>
    public bool TryParse(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("HTTP/"u8)) return false;
        int sp = line.IndexOf((byte)' ');
        if (sp < 6) return false;
        Version = line[5..sp];
        var rest = line[(sp + 1)..];
        if (rest.Length < 3) return false;
        int code = 0;
        for (int i = 0; i < 3; i++)
        {
            if ((uint)(rest[i] - '0') > 9) return false;
            code = code * 10 + (rest[i] - '0');
        }
        StatusCode = code;
        Reason = rest.Length > 4 ? rest[4..] : default;
        return true;
    }
}

/// <summary>
/// Finds a complete HTTP header block and iterates its lines. The block ends at an empty line (CRLF CRLF, or bare LF LF
/// which real servers sometimes send).
/// </summary>
public ref struct HttpHeaderReader
{
    private readonly ReadOnlySpan<byte> _block;
    private int _pos;

    /// <summary>Starts after the first line of a header block found by <see cref="FindEnd"/>.</summary>
    public HttpHeaderReader(ReadOnlySpan<byte> block) { _block = block; _pos = 0; }

    /// <summary>Length of the header block including the empty line, or -1 when the block is not complete yet.</summary>
    public static int FindEnd(ReadOnlySpan<byte> data)
    {
        int from = 0;
        while (true)
        {
            int lf = data[from..].IndexOf((byte)'\n');
            if (lf < 0) return -1;
            lf += from;
            int next = lf + 1;
            if (next < data.Length && data[next] == '\n') return next + 1;
            if (next + 1 < data.Length && data[next] == '\r' && data[next + 1] == '\n') return next + 2;
            if (next >= data.Length || (next + 1 >= data.Length && data[next] == '\r')) return -1;
            from = next;
        }
    }

    /// <summary>Reads the next line (without CR LF); false at the empty line that ends the block.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        line = default;
        if (_pos >= _block.Length) return false;
        var rest = _block[_pos..];
        int lf = rest.IndexOf((byte)'\n');
        if (lf < 0) { line = rest; _pos = _block.Length; return line.Length > 0; }
        line = rest[..lf];
        if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
        _pos += lf + 1;
        return line.Length > 0;
    }

    /// <summary>Splits a header line at its colon and trims the value.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int c = line.IndexOf((byte)':');
        if (c <= 0) { name = value = default; return false; }
        name = line[..c];
        value = line[(c + 1)..].Trim((byte)' ').Trim((byte)'\t');
        return true;
    }

    /// <summary>Latin-1 decoding of header bytes, as HTTP field values are octets.</summary>
    public static string Text(ReadOnlySpan<byte> b) => Encoding.Latin1.GetString(b);
}

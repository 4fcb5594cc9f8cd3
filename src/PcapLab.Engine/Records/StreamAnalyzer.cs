namespace PcapLab.Records;

/// <summary>
/// A parser of one TCP connection's two byte streams, fed in order by <see cref="TcpStream"/>.
/// Implementations consume what they can and return the count; the rest is kept and offered again with more data.
/// </summary>
internal abstract class StreamAnalyzer
{
    /// <summary>True once the analyzer needs no more bytes; the streams then only count.</summary>
    public bool Done { get; protected set; }

    /// <summary>Parses in-order bytes of one direction; returns how many were consumed (the rest is re-offered later).</summary>
    public abstract int Consume(bool fromOrig, ReadOnlySpan<byte> data, long tsNs, long frameNo);

    /// <summary>
    /// Bytes of one direction were lost (capture gap or buffer limit); parsers resynchronise or give up.
    /// <paramref name="lostBytes"/> is how many bytes directly follow what was delivered, or -1 when unknown.
    /// </summary>
    public virtual void OnGap(bool fromOrig, long lostBytes) => Done = true;

    /// <summary>The flow ended: emit whatever is pending.</summary>
    public abstract void OnEnd();
}

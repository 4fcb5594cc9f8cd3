namespace PcapLab;

/// <summary>
/// Receives "weirds": malformed or unexpected input that is recorded and counted instead of being fatal,
/// in the sense of Zeek's weird.log (names are snake_case constants such as <c>truncated_tcp_header</c>).
/// </summary>
public interface IWeirdSink
{
    /// <summary>Records one weird. <paramref name="name"/> must be a constant string so that reporting never allocates.</summary>
    /// <param name="name">Weird name, e.g. <c>dns_compression_loop</c>.</param>
    /// <param name="flowId">The flow it belongs to, or 0 when none.</param>
    /// <param name="detail">Optional extra detail; null on the hot path.</param>
    void Report(string name, long flowId, string? detail = null);
}

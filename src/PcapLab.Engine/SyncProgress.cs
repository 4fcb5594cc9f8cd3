namespace PcapLab;

/// <summary>
/// Reports progress on the thread that reports it. <see cref="Progress{T}"/> posts to the thread pool instead, which
/// reorders lines and can outlive the work; loads and captures want their updates in order and done when they are.
/// </summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}

namespace PcapLab.Read;

/// <summary>
/// What outlives a reader chunk besides its small state struct: the file's name, the interfaces seen so far,
/// the warnings (bounded) and the fault. Readers write here only for cold events (a new interface, an oddity, a fault).
/// </summary>
internal sealed class CaptureContext(string displayName)
{
    /// <summary>Warnings kept; later ones are only counted so a pathological file cannot grow memory.</summary>
    internal const int MaxWarnings = 100;

    private readonly List<CaptureWarning> _warnings = [];
    private readonly List<CaptureInterface> _interfaces = [];
    private InterfaceFacts[] _facts = new InterfaceFacts[4];

    internal string DisplayName { get; } = displayName;
    internal IReadOnlyList<CaptureWarning> Warnings => _warnings;
    internal long WarningCount { get; private set; }
    internal IReadOnlyList<CaptureInterface> Interfaces => _interfaces;
    internal int InterfaceCount => _interfaces.Count;
    internal CaptureFault? Fault { get; private set; }

    /// <summary>The hot-path facts of interface <paramref name="id"/> (a global index below <see cref="InterfaceCount"/>).</summary>
    internal ref readonly InterfaceFacts FactsOf(int id) => ref _facts[id];

    internal int AddInterface(LinkType linkType, int snapLength, string? name, string? description, in TimeScale scale)
    {
        int id = _interfaces.Count;
        _interfaces.Add(new CaptureInterface(id, linkType, snapLength, name, description, scale.UnitsPerSecond, scale.OffsetSeconds));
        if (id == _facts.Length) Array.Resize(ref _facts, id * 2);
        _facts[id] = new InterfaceFacts(linkType, snapLength, scale);
        return id;
    }

    internal void Warn(ReadProblem problem, long offset, long a = 0, long b = 0)
    {
        WarningCount++;
        if (_warnings.Count < MaxWarnings)
            _warnings.Add(new CaptureWarning(offset, ReadProblemText.Describe(DisplayName, problem, offset, a, b)));
    }

    /// <summary>Records a fault that explains any earlier one (a gzip stream cut short explains a truncated record).</summary>
    internal void ReplaceFault(ReadProblem problem, long offset, long a, long b, string? detail)
    {
        Fault = null;
        SetFault(problem, offset, a, b, detail);
    }

    /// <summary>Records the first fault; later ones are consequences of it and are dropped.</summary>
    internal void SetFault(ReadProblem problem, long offset, long a = 0, long b = 0, string? detail = null)
    {
        if (Fault is not null) return;
        var message = ReadProblemText.Describe(DisplayName, problem, offset, a, b);
        if (detail is not null) message += ": " + detail;
        Fault = new CaptureFault(ReadProblemText.KindOf(problem), offset, message);
    }
}

/// <summary>What each packet needs from its interface, kept in an array so the per-packet lookup is one index.</summary>
internal readonly record struct InterfaceFacts(LinkType LinkType, int SnapLength, TimeScale Scale);

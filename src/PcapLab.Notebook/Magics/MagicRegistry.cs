namespace PcapLab.Notebook.Magics;

/// <summary>The magics a session knows, by name. Built-ins are registered by the session; engine magics
/// (#!pcap, #!sql, #!connect...) are added with <see cref="Register"/>.</summary>
public sealed class MagicRegistry
{
    private readonly Dictionary<string, IMagic> _magics = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Adds a magic; a second one with the same name replaces the first.</summary>
    public void Register(IMagic magic)
    {
        ArgumentNullException.ThrowIfNull(magic);
        if (string.IsNullOrWhiteSpace(magic.Name) || magic.Name.Any(char.IsWhiteSpace))
            throw new ArgumentException("a magic's name is one word", nameof(magic));
        lock (_gate) _magics[magic.Name] = magic;
    }

    /// <summary>Finds a magic by name.</summary>
    public bool TryGet(string name, out IMagic magic)
    {
        lock (_gate) return _magics.TryGetValue(name, out magic!);
    }

    /// <summary>All magics, by name.</summary>
    public IReadOnlyList<IMagic> All { get { lock (_gate) return [.. _magics.Values.OrderBy(m => m.Name, StringComparer.Ordinal)]; } }
}

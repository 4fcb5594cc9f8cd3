using PcapLab.Notebook.Cells;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary>The magics that drive the engine (load, query, connect, detect, carve, export, capture, charts, models).</summary>
internal static class EngineMagics
{
    public static IEnumerable<IMagic> All =>
    [
        new PcapMagic(), new SqlMagic(), new ConnectMagic(), new ExtractMagic(), new ExportMagic(), new CaptureMagic(),
        new PlotMagic(),
        new TimelineMagic(),
        new ProtocolsMagic(),
        new TalkersMagic(),
        new PortsMagic(),
        new HeatmapMagic(),
        new ConversationsMagic(),
        new FlowScatterMagic(),
        new DnsNamesMagic(),
        new SnisMagic(),
        new TrainMagic(),
        new ScoreMagic(),
        new DetectMagic(),
        new AnomalyMagic(),
    ];

    /// <summary>Reads a required positional or option value, or throws the usage error the user sees.</summary>
    public static string Required(IMagic magic, MagicInvocation inv, string option)
        => inv.Get(option) ?? throw new MagicUsageException(magic.Name, $"missing --{option}");

    /// <summary>The token that cancels both the cell and DuckDB: an interrupt reaches a running query through it.</summary>
    public static CancellationTokenRegistration InterruptDuckDb(NotebookSession session, CancellationToken ct) =>
        ct.Register(() => session.Lab.Connection.Interrupt());
}

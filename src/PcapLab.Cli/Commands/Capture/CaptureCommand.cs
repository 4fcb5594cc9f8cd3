using System.CommandLine;
using PcapLab.Live;

namespace PcapLab.Cli.Commands.Capture;

/// <summary>`pcaplab capture`: capture live packets to pcapng and, with --db, into the tables while capturing.</summary>
internal sealed class CaptureCommand : Command
{
    public readonly Option<string> Interface = new("--interface", "-i") { Description = "The interface to capture on (see --list), e.g. eth0, lo, any" };
    public readonly Option<bool> List = new("--list", "-D") { Description = "List the interfaces with their description, addresses and flags, and exit" };
    public readonly Option<double?> Seconds = new("--seconds") { Description = "Stop after this many seconds (default: until Ctrl-C)" };
    public readonly Option<long?> Count = new("--count", "-c") { Description = "Stop after this many packets" };
    public readonly Option<string> Filter = new("--filter", "-f") { Description = "A BPF capture filter (tcpdump syntax), e.g. \"tcp port 443\"" };
    public readonly Option<int> SnapLength = new("--snaplen", "-s")
    {
        Description = "Bytes kept per packet (1-262144)", DefaultValueFactory = _ => LiveCaptureOptions.MaxSnapLength,
    };
    public readonly Option<string> Out = new("--out", "-o") { Description = "The pcapng file to write (default: capture-<UTC time>-<interface>.pcapng here)" };
    public readonly Option<double?> RotateMb = new("--rotate-mb") { Description = "Start a new file (name-000.pcapng, -001, ...) when the current one exceeds this many MB" };
    public readonly Option<string> Db = new("--db") { Description = "A DuckDB file to fill (packets, flows, captures) while capturing; created when missing" };
    public readonly Option<int?> BufferMb = new("--buffer-mb") { Description = "Kernel capture buffer in MB (default 16); bigger rides out bursts" };
    public readonly Option<bool> NoPromisc = new("--no-promisc") { Description = "Do not put the interface in promiscuous mode" };
    public readonly Option<bool> Immediate = new("--immediate") { Description = "Deliver each packet at once instead of in kernel blocks (lower latency, more drops under load)" };
    public readonly Option<bool> Json = new("--json") { Description = "Print the interface list or the summary as JSON on stdout" };
    public readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "No live status line" };

    public CaptureCommand() : base("capture", "Capture live packets to a pcapng file (and into DuckDB tables with --db); needs CAP_NET_RAW or root")
    {
        Options.Add(Interface); Options.Add(List); Options.Add(Seconds); Options.Add(Count); Options.Add(Filter); Options.Add(SnapLength);
        Options.Add(Out); Options.Add(RotateMb); Options.Add(Db); Options.Add(BufferMb); Options.Add(NoPromisc); Options.Add(Immediate);
        Options.Add(Json); Options.Add(Quiet);
        Positive(Seconds, "--seconds"); Positive(Count, "--count"); Positive(RotateMb, "--rotate-mb"); Positive(BufferMb, "--buffer-mb");
        SnapLength.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > LiveCaptureOptions.MaxSnapLength)
                r.AddError($"--snaplen must be between 1 and {LiveCaptureOptions.MaxSnapLength}");
        });
        Validators.Add(r =>
        {
            bool list = r.GetValue(List);
            if (!list && string.IsNullOrWhiteSpace(r.GetValue(Interface)))
                r.AddError("capture needs --interface <name> (or --list to see the interfaces)");
        });
        SetAction((pr, ct) => Task.FromResult(CaptureAction.Run(this, pr, ct)));
    }

    private static void Positive<T>(Option<T?> option, string name) where T : struct, IComparable<T> =>
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<T?>() is { } v && v.CompareTo(default) <= 0) r.AddError($"{name} must be positive");
        });
}

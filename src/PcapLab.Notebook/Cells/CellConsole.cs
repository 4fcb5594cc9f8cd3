using System.Text;

namespace PcapLab.Notebook.Cells;

/// <summary>Routes Console.Out and Console.Error to the cell running on the current async flow; writes made outside
/// any cell go to the process's own stderr (the kernel's log), never to a client.</summary>
public static class CellConsole
{
    private static int _installed;

    /// <summary>The process's stderr as it was before routing: the kernel's log.</summary>
    public static TextWriter Log { get; private set; } = Console.Error;

    /// <summary>Installs the routing writers once per process.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) != 0) return;
        Log = Console.Error;
        Console.SetOut(new RoutingWriter("stdout", Log));
        Console.SetError(new RoutingWriter("stderr", Log));
    }

    private sealed class RoutingWriter(string stream, TextWriter fallback) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Emit(value.ToString());
        public override void Write(string? value) { if (value != null) Emit(value); }
        public override void Write(char[] buffer, int index, int count) => Emit(new string(buffer, index, count));
        public override void Write(ReadOnlySpan<char> buffer) => Emit(new string(buffer));
        public override void WriteLine(string? value) => Emit((value ?? "") + "\n");
        public override void WriteLine() => Emit("\n");

        private void Emit(string text)
        {
            if (CellContext.Current is { } cell) cell.Stream(stream, text);
            else lock (fallback) fallback.Write(text);
        }
    }
}

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
        Console.SetIn(new RoutingReader());
    }

    // Console.ReadLine in a cell asks the front end (Jupyter's input_request); outside a cell there is no input.
    private sealed class RoutingReader : TextReader
    {
        private string _line = "";
        private int _pos;

        public override string? ReadLine()
        {
            if (_pos < _line.Length) { var rest = _line[_pos..]; _line = ""; _pos = 0; return rest.TrimEnd('\n'); }
            return CellContext.Current?.ReadInput();
        }

        public override int Peek() => Fill() ? _line[_pos] : -1;

        public override int Read() => Fill() ? _line[_pos++] : -1;

        private bool Fill()
        {
            if (_pos < _line.Length) return true;
            var next = CellContext.Current?.ReadInput();
            if (next is null) return false;
            (_line, _pos) = (next + "\n", 0);
            return true;
        }
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

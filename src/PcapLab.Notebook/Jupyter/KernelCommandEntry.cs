using System.Runtime.InteropServices;
using PcapLab.Notebook.Cells;

namespace PcapLab.Notebook.Jupyter;

/// <summary>What <c>pcaplab kernel</c> and <c>pcaplab kernel install</c> call.</summary>
public static class KernelCommandEntry
{
    /// <summary>Runs the kernel for a Jupyter connection file until shutdown, the parent's death, or <paramref name="ct"/>.
    /// Returns the process exit code (0: clean shutdown or restart; 1: the connection file or a port could not be used).</summary>
    public static Task<int> RunKernelAsync(string connectionFile, CancellationToken ct) => RunKernelAsync(connectionFile, null, ct);

    /// <summary>Runs the kernel as above; <paramref name="configureSession"/> runs once on the new session before any
    /// request is served (register engine magics there: <c>s =&gt; s.Magics.Register(new SqlMagic(...))</c>).</summary>
    public static async Task<int> RunKernelAsync(string connectionFile, Action<NotebookSession>? configureSession, CancellationToken ct)
    {
        CellConsole.Install();
        ConnectionInfo info;
        try { info = ConnectionInfo.Load(connectionFile); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
        {
            CellConsole.Log.WriteLine($"pcaplab kernel: cannot read connection file: {ex.Message}");
            return 1;
        }
        var session = new NotebookSession();
        configureSession?.Invoke(session);
        using var kernel = new Kernel(info, session);
        // SIGINT (Ctrl-C in a terminal that shares the kernel's process group) interrupts the cell, as in ipykernel
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; kernel.Interrupt(); });
        return await kernel.RunAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Installs the kernelspec and returns 0. <paramref name="prefix"/> wins over <paramref name="user"/>: with a
    /// prefix the spec goes to &lt;prefix&gt;/share/jupyter/kernels/&lt;name&gt;; otherwise (with --user or no flag) to the
    /// user's Jupyter data dir (~/.local/share/jupyter/kernels/&lt;name&gt;), which needs no root and which Jupyter, VS Code
    /// and JupyterLab all search. <paramref name="name"/> defaults to "pcaplab". <paramref name="pcaplabExecutablePath"/>
    /// becomes argv[0] as an absolute path.</summary>
    public static int InstallKernelSpec(string? prefix, bool user, string? name, string pcaplabExecutablePath)
    {
        _ = user; // the user dir is also the default, so --user only documents intent
        try
        {
            var dir = KernelSpec.Install(prefix, string.IsNullOrEmpty(name) ? KernelSpec.DefaultName : name, pcaplabExecutablePath);
            Console.WriteLine($"Installed kernelspec {Path.GetFileName(dir)} in {dir}");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"pcaplab kernel install: {ex.Message}");
            return 1;
        }
    }
}

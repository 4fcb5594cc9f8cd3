using System.CommandLine;
using PcapLab.Notebook.Jupyter;

namespace PcapLab.Cli.Commands.Kernel;

/// <summary>`pcaplab kernel`: run as a Jupyter kernel (what Jupyter launches), or install the kernelspec.</summary>
internal sealed class KernelCommand : Command
{
    public readonly Option<string> ConnectionFile = new("--connection-file", "-f") { Description = "The connection file Jupyter wrote (transport, ip, ports, key)", Required = true };

    public KernelCommand() : base("kernel", "Run the PcapLab Jupyter kernel (Jupyter starts this), or install it with 'pcaplab kernel install'")
    {
        Options.Add(ConnectionFile);
        Subcommands.Add(new KernelInstallCommand());
        // Ctrl-C (SIGINT) interrupts the running cell, never the kernel: the kernel handles the signal itself, so the
        // command line's cancellation is not passed in.
        SetAction((pr, _) => KernelCommandEntry.RunKernelAsync(pr.GetValue(ConnectionFile)!, CancellationToken.None));
    }
}

/// <summary>`pcaplab kernel install`: writes kernel.json (and logos) so Jupyter, VS Code and JupyterLab list "PcapLab".</summary>
internal sealed class KernelInstallCommand : Command
{
    public readonly Option<bool> User = new("--user") { Description = "Install for this user (the default): ~/.local/share/jupyter/kernels" };
    public readonly Option<string?> Prefix = new("--prefix") { Description = "Install under DIR/share/jupyter/kernels (e.g. a virtualenv or conda prefix)" };
    public readonly Option<string?> KernelName = new("--name") { Description = "Kernel name (default: pcaplab)" };

    public KernelInstallCommand() : base("install", "Install the PcapLab kernelspec; its argv runs this pcaplab binary")
    {
        Options.Add(User); Options.Add(Prefix); Options.Add(KernelName);
        Validators.Add(r => { if (r.GetValue(User) && r.GetValue(Prefix) != null) r.AddError("--user and --prefix exclude each other"); });
        SetAction(pr =>
        {
            var exe = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where pcaplab runs from");
            return KernelCommandEntry.InstallKernelSpec(pr.GetValue(Prefix), pr.GetValue(User), pr.GetValue(KernelName), exe);
        });
    }
}

using PcapLab.Notebook.Jupyter;

// pcaplab-kernelhost kernel --connection-file F
// pcaplab-kernelhost kernel install [--user | --prefix DIR] [--name NAME]
string? Opt(string name) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
if (args is ["kernel", "install", ..])
    return KernelCommandEntry.InstallKernelSpec(Opt("--prefix"), args.Contains("--user"), Opt("--name"), Environment.ProcessPath!);
if (args is ["kernel", ..] && Opt("--connection-file") is { } file)
{
    return await KernelCommandEntry.RunKernelAsync(file, CancellationToken.None);
}
Console.Error.WriteLine("usage: pcaplab-kernelhost kernel --connection-file FILE | kernel install [--user|--prefix DIR] [--name NAME]");
return 2;

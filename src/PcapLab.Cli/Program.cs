using PcapLab.Cli;

return await PcapLabCli.RunAsync(args);

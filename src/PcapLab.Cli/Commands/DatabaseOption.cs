using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Cli.Commands;

/// <summary>Opening the --db file of verbs that read an existing database, with one message when it is missing.</summary>
internal static class ExistingDatabase
{
    public static bool TryOpen(string verb, string path, out DuckDbDatabase? database, out DuckDbConnection? connection)
    {
        database = null; connection = null;
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"pcaplab {verb}: database '{path}' does not exist (create it with 'pcaplab ingest ... --db {path}')");
            return false;
        }
        (database, connection) = LabStore.Open(path);
        return true;
    }
}

using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Cli.Commands;

/// <summary>Opening the --db file of verbs that read an existing database, with one message when it is missing.</summary>
internal static class ExistingDatabase
{
    /// <param name="verb">The verb, for the message.</param>
    /// <param name="path">The --db file.</param>
    /// <param name="database">The opened database.</param>
    /// <param name="connection">A connection to it.</param>
    /// <param name="withSchema">Create PcapLab's tables when missing; false for `sql`, which must not change a file it only queries.</param>
    public static bool TryOpen(string verb, string path, out DuckDbDatabase? database, out DuckDbConnection? connection, bool withSchema = true)
    {
        database = null; connection = null;
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"pcaplab {verb}: database '{path}' does not exist (create it with 'pcaplab ingest ... --db {path}')");
            return false;
        }
        if (withSchema) (database, connection) = LabStore.Open(path);
        else
        {
            database = DuckDbDatabase.Open(path);
            connection = database.Connect();
        }
        return true;
    }
}

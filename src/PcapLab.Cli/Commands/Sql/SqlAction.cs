using System.CommandLine;
using System.Text.Json;
using PcapLab.Store;
using PcapLab.Store.DuckDb;
using PcapLab.Cli.Commands;
using Spectre.Console;

namespace PcapLab.Cli.Commands.Sql;

/// <summary>Runs `pcaplab sql`, streaming rows to stdout as they arrive.</summary>
internal static class SqlAction
{
    public static int Run(SqlCommand cmd, ParseResult pr, CancellationToken ct)
    {
        if (!ExistingDatabase.TryOpen("sql", pr.GetValue(cmd.Db)!, out var database, out var db, withSchema: false)) return ExitCodes.BadArguments;
        using var _ = database;
        using var connection = db!;
        try
        {
            using var interrupt = ct.Register(connection.Interrupt);
            using var reader = connection.Query(pr.GetValue(cmd.Query)!);
            int limit = pr.GetValue(cmd.MaxRows) ?? int.MaxValue;
            switch (pr.GetValue(cmd.Format))
            {
                case "csv": WriteCsv(reader, limit); break;
                case "json": WriteJson(reader, limit); break;
                default: WriteTable(reader, limit); break;
            }
            return ExitCodes.Ok;
        }
        catch (DuckDbException e)
        {
            Console.Error.WriteLine($"pcaplab sql: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    private static void WriteCsv(DuckDbReader r, int limit)
    {
        var o = Console.Out;
        o.WriteLine(string.Join(',', Enumerable.Range(0, r.FieldCount).Select(i => ValueText.Csv(r.GetName(i)))));
        for (int n = 0; n < limit && r.Read(); n++)
            o.WriteLine(string.Join(',', Enumerable.Range(0, r.FieldCount).Select(i => ValueText.Csv(ValueText.Format(r.GetValue(i))))));
    }

    private static void WriteJson(DuckDbReader r, int limit)
    {
        using var w = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true });
        w.WriteStartArray();
        for (int n = 0; n < limit && r.Read(); n++)
        {
            w.WriteStartObject();
            for (int i = 0; i < r.FieldCount; i++)
            {
                w.WritePropertyName(r.GetName(i));
                JsonSerializer.Serialize(w, JsonValue(r.GetValue(i)));
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.Flush();
        Console.Out.WriteLine();
    }

    // Numbers and booleans stay JSON numbers/booleans; everything else is its text form.
    private static object? JsonValue(object? v) => v switch
    {
        null => null,
        bool or sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal => v,
        _ => ValueText.Format(v),
    };

    private static void WriteTable(DuckDbReader r, int limit)
    {
        var table = new Table();
        for (int i = 0; i < r.FieldCount; i++) table.AddColumn(Markup.Escape(r.GetName(i)));
        int rows = 0;
        for (; rows < limit && r.Read(); rows++)
            table.AddRow(Enumerable.Range(0, r.FieldCount).Select(i => Markup.Escape(ValueText.Format(r.GetValue(i), "NULL"))).ToArray());
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.Write(table);
        console.WriteLine($"{rows} row(s)");
    }
}

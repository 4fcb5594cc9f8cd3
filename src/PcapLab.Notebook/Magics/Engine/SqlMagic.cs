using System.Text.RegularExpressions;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;
using PcapLab.Store;
using PcapLab.Store.DuckDb;

namespace PcapLab.Notebook.Magics.Engine;

/// <summary><c>#!sql</c>: the rest of the cell is SQL on the session's DuckDB; the last statement's rows show as a table.</summary>
internal sealed partial class SqlMagic : Magic, ICompletingMagic
{
    /// <summary>Rows kept in memory for a named result (for #!plot and C#); the table shows fewer.</summary>
    public const int DefaultKeepRows = 1_000_000;

    public override string Name => "sql";
    public override string Description => "Runs the rest of the cell as SQL (DuckDB) on the session's tables: packets, flows, dns, http, tls, ...";
    public override bool ConsumesCellBody => true;
    public override IReadOnlyList<MagicOption> Options =>
    [
        new("name", "Keep the result under this name for C# cells, #!plot and @name (a 1x1 result is kept as its value)", ValueName: "x"),
        new("limit", "Rows to keep (default 1,000,000; the table shows the first rows)", ValueName: "n"),
    ];

    public override async Task ExecuteAsync(MagicInvocation inv, CellContext cell, CancellationToken ct)
    {
        var statements = SplitStatements(inv.Body);
        if (statements.Count == 0) throw new MagicUsageException(Name, "the cell has no SQL after #!sql");
        int keep = (int)Math.Clamp(inv.GetInt64("limit", DefaultKeepRows), 1, int.MaxValue);
        var session = cell.Session;
        QueryResult? result = null;
        using (EngineMagics.InterruptDuckDb(session, ct))
        {
            foreach (var (sql, line) in statements)
            {
                ct.ThrowIfCancellationRequested();
                try { result = session.Lab.Query(sql, keep, ct); }
                catch (DuckDbException e) when (e.IsInterrupted || ct.IsCancellationRequested) { throw CellFailure.Interrupted(); }
                catch (DuckDbException e) { throw Failure(e, inv.BodyLine + line); }
            }
        }
        if (inv.Get("name") is { } name)
            await session.SetVariableAsync(name, result!.Count == 1 && result.Columns.Count == 1 ? result.Scalar : result, ct).ConfigureAwait(false);
        cell.Display(result);
    }

    // DuckDB says "LINE n:" and puts a caret under the column; restate both as the cell's own line and column.
    private static CellFailure Failure(DuckDbException e, int statementLine)
    {
        var message = e.Message;
        var where = "";
        var m = LineMarker().Match(message);
        if (m.Success)
        {
            int line = int.Parse(m.Groups[1].Value);
            int caretLineStart = message.IndexOf('\n', m.Index);
            int column = 0;
            if (caretLineStart >= 0)
            {
                var caretLine = message[(caretLineStart + 1)..].Split('\n')[0];
                int caret = caretLine.IndexOf('^');
                if (caret >= 0) column = caret - (m.Length) + 1;
            }
            where = $" (cell line {statementLine + line}{(column > 0 ? $", column {column}" : "")})";
        }
        var first = message.Split('\n')[0];
        return new CellFailure("SqlError", first + where, [$"SqlError{where}: {message}"]);
    }

    [GeneratedRegex(@"LINE (\d+): ")]
    private static partial Regex LineMarker();

    /// <summary>Splits SQL into statements at semicolons outside quotes and comments, with each statement's 0-based line.</summary>
    internal static List<(string Sql, int Line)> SplitStatements(string sql)
    {
        var list = new List<(string, int)>();
        int start = 0, line = 0, startLine = 0;
        for (int i = 0; i < sql.Length; i++)
        {
            char c = sql[i];
            if (c == '\n') line++;
            else if (c is '\'' or '"')
            {
                // A doubled quote inside a literal is an escaped quote, not its end.
                int j = i + 1;
                while (j < sql.Length)
                {
                    if (sql[j] == c)
                    {
                        if (j + 1 < sql.Length && sql[j + 1] == c) { j += 2; continue; }
                        break;
                    }
                    if (sql[j] == '\n') line++;
                    j++;
                }
                i = j;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-') { while (i < sql.Length && sql[i] != '\n') i++; line++; }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                int end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                int stop = end < 0 ? sql.Length : end + 2;
                line += sql.AsSpan(i, stop - i).Count('\n');
                i = stop - 1;
            }
            else if (c == ';') { Add(sql[start..i]); start = i + 1; startLine = line; }
        }
        Add(sql[start..]);
        return list;

        void Add(string part)
        {
            if (string.IsNullOrWhiteSpace(StripComments(part))) return;
            int lead = part.Length - part.TrimStart().Length;
            list.Add((part.Trim(), startLine + part.AsSpan(0, lead).Count('\n')));
        }
    }

    private static string StripComments(string s) => CommentPattern().Replace(s, "");

    [GeneratedRegex(@"--[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CommentPattern();

    /// <summary>Completes table and column names from the live schema, and SQL keywords.</summary>
    public (IReadOnlyList<string> Matches, int Start, int End) CompleteBody(string body, int position, NotebookSession session)
    {
        position = Math.Clamp(position, 0, body.Length);
        int start = position;
        while (start > 0 && (char.IsLetterOrDigit(body[start - 1]) || body[start - 1] == '_')) start--;
        int end = position;
        while (end < body.Length && (char.IsLetterOrDigit(body[end]) || body[end] == '_')) end++;
        var word = body[start..position];
        var names = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            var r = session.Lab.Query("""
                SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views() WHERE NOT internal
                UNION SELECT column_name FROM duckdb_columns()
                """);
            foreach (var row in r.Rows) if (row[0] is string s) names.Add(s);
        }
        catch (DuckDbException) { /* completion never fails a cell */ }
        foreach (var k in Keywords) names.Add(k);
        var matches = names.Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase)).ToList();
        return (matches, start, end);
    }

    private static readonly string[] Keywords =
    [
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "LIMIT", "JOIN", "LEFT", "USING", "WITH", "AS", "AND", "OR", "NOT",
        "COUNT", "SUM", "AVG", "MIN", "MAX", "DISTINCT", "HAVING", "DESC", "ASC", "CASE", "WHEN", "THEN", "ELSE", "END",
    ];
}

using PcapLab.Store.DuckDb;

namespace PcapLab.Store;

/// <summary>
/// A query's result held in memory: column names and types, and rows of values. Notebooks show it as a table;
/// <c>#!plot</c> and C# cells read its columns by name.
/// </summary>
public sealed class QueryResult
{
    /// <summary>Column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>DuckDB type names of the columns (BIGINT, VARCHAR, TIMESTAMP_NS, ...).</summary>
    public IReadOnlyList<string> ColumnTypes { get; }
    /// <summary>The rows; each holds one value per column (null for SQL NULL).</summary>
    public IReadOnlyList<object?[]> Rows { get; }
    /// <summary>True when reading stopped at the row limit and more rows exist.</summary>
    public bool Truncated { get; }

    /// <summary>Creates a result from parts.</summary>
    public QueryResult(IReadOnlyList<string> columns, IReadOnlyList<string> types, IReadOnlyList<object?[]> rows, bool truncated = false)
    {
        Columns = columns; ColumnTypes = types; Rows = rows; Truncated = truncated;
    }

    /// <summary>Reads a reader to the end, or to <paramref name="maxRows"/> rows.</summary>
    public static QueryResult Read(DuckDbReader reader, int maxRows = int.MaxValue, CancellationToken ct = default)
    {
        var cols = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var types = Enumerable.Range(0, reader.FieldCount).Select(reader.GetTypeName).ToArray();
        var rows = new List<object?[]>();
        bool more = false;
        while (reader.Read())
        {
            if (rows.Count >= maxRows) { more = true; break; }
            if ((rows.Count & 1023) == 0) ct.ThrowIfCancellationRequested();
            var row = new object?[cols.Length];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return new QueryResult(cols, types, rows, more);
    }

    /// <summary>Number of rows held.</summary>
    public int Count => Rows.Count;

    /// <summary>Index of a column by name (case-insensitive), or -1.</summary>
    public int IndexOf(string column)
    {
        for (int i = 0; i < Columns.Count; i++)
            if (string.Equals(Columns[i], column, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    /// <summary>The values of one column, by name.</summary>
    /// <exception cref="KeyNotFoundException">No such column; the message lists the columns there are.</exception>
    public IReadOnlyList<object?> Column(string name)
    {
        int i = IndexOf(name);
        if (i < 0) throw new KeyNotFoundException($"no column '{name}' in the result; columns are: {string.Join(", ", Columns)}");
        return Rows.Select(r => r[i]).ToArray();
    }

    /// <summary>The single value of a one-row, one-column result (a scalar), or null.</summary>
    public object? Scalar => Rows.Count > 0 && Columns.Count > 0 ? Rows[0][0] : null;

    /// <inheritdoc/>
    public override string ToString() => $"{Rows.Count}{(Truncated ? "+" : "")} row(s) × {Columns.Count} column(s): {string.Join(", ", Columns)}";
}

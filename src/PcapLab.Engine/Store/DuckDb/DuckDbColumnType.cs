using System.Text;

namespace PcapLab.Store.DuckDb;

/// <summary>
/// A managed copy of a duckdb_logical_type, read once per result or appender so the per-row path never calls back
/// into DuckDB for type information. Nested types keep their children.
/// </summary>
internal sealed class DuckDbColumnType
{
    public DuckDbType Id { get; private init; }
    /// <summary>SQL spelling as DuckDB's typeof() prints it: BIGINT, DECIMAL(18,3), INTEGER[], STRUCT(a INTEGER).</summary>
    public string Name { get; private init; } = "";
    /// <summary>Storage type of DECIMAL (SMALLINT/INTEGER/BIGINT/HUGEINT) and ENUM (UTINYINT/USMALLINT/UINTEGER).</summary>
    public DuckDbType InternalType { get; private init; }
    public byte Width { get; private init; }
    public byte Scale { get; private init; }
    public ulong ArraySize { get; private init; }
    public string[] EnumValues { get; private init; } = [];
    /// <summary>LIST/ARRAY: [element]; MAP: [STRUCT(key, value)]; STRUCT/UNION: fields.</summary>
    public DuckDbColumnType[] Children { get; private init; } = [];
    public string[] ChildNames { get; private init; } = [];

    internal static readonly DuckDbColumnType UTinyInt = new() { Id = DuckDbType.UTinyInt, Name = "UTINYINT" };

    /// <summary>Reads a logical type (and its children); disposes <paramref name="type"/>.</summary>
    internal static DuckDbColumnType From(DuckLogicalTypeHandle type)
    {
        using (type)
        {
            if (type.IsInvalid) throw new DuckDbException("DuckDB returned no logical type");
            var id = NativeMethods.LogicalType.TypeId(type);
            string? alias = NativeMethods.LogicalType.Alias(type);
            var t = id switch
            {
                DuckDbType.Decimal => Decimal(type),
                DuckDbType.Enum => Enum(type),
                DuckDbType.List => List(From(NativeMethods.LogicalType.ListChild(type))),
                DuckDbType.Array => Array(type),
                DuckDbType.Map => Map(From(NativeMethods.LogicalType.MapKey(type)), From(NativeMethods.LogicalType.MapValue(type))),
                DuckDbType.Struct => Struct(type),
                DuckDbType.Union => Union(type),
                _ => new DuckDbColumnType { Id = id, Name = SimpleName(id) },
            };
            return alias is null ? t : t.WithName(alias);
        }
    }

    private DuckDbColumnType WithName(string name) => new()
    {
        Id = Id, Name = name, InternalType = InternalType, Width = Width, Scale = Scale, ArraySize = ArraySize,
        EnumValues = EnumValues, Children = Children, ChildNames = ChildNames,
    };

    private static DuckDbColumnType Decimal(DuckLogicalTypeHandle type)
    {
        byte w = NativeMethods.LogicalType.DecimalWidth(type), s = NativeMethods.LogicalType.DecimalScale(type);
        return new() { Id = DuckDbType.Decimal, Width = w, Scale = s, InternalType = NativeMethods.LogicalType.DecimalInternalType(type), Name = $"DECIMAL({w},{s})" };
    }

    private static DuckDbColumnType Enum(DuckLogicalTypeHandle type)
    {
        var values = new string[NativeMethods.LogicalType.EnumDictionarySize(type)];
        for (int i = 0; i < values.Length; i++) values[i] = NativeMethods.LogicalType.EnumDictionaryValue(type, (ulong)i) ?? "";
        var name = new StringBuilder("ENUM(");
        for (int i = 0; i < values.Length; i++) name.Append(i == 0 ? "" : ", ").Append('\'').Append(values[i].Replace("'", "''")).Append('\'');
        return new() { Id = DuckDbType.Enum, EnumValues = values, InternalType = NativeMethods.LogicalType.EnumInternalType(type), Name = name.Append(')').ToString() };
    }

    private static DuckDbColumnType List(DuckDbColumnType child) => new() { Id = DuckDbType.List, Children = [child], Name = child.Name + "[]" };

    private static DuckDbColumnType Array(DuckLogicalTypeHandle type)
    {
        ulong size = NativeMethods.LogicalType.ArraySize(type);
        var child = From(NativeMethods.LogicalType.ArrayChild(type));
        return new() { Id = DuckDbType.Array, Children = [child], ArraySize = size, Name = $"{child.Name}[{size}]" };
    }

    private static DuckDbColumnType Map(DuckDbColumnType key, DuckDbColumnType value)
    {
        // Physically a LIST of STRUCT(key, value).
        var entry = new DuckDbColumnType { Id = DuckDbType.Struct, Children = [key, value], ChildNames = ["key", "value"], Name = $"STRUCT(key {key.Name}, \"value\" {value.Name})" };
        return new() { Id = DuckDbType.Map, Children = [entry], Name = $"MAP({key.Name}, {value.Name})" };
    }

    private static DuckDbColumnType Struct(DuckLogicalTypeHandle type)
    {
        int n = (int)NativeMethods.LogicalType.StructChildCount(type);
        var names = new string[n];
        var children = new DuckDbColumnType[n];
        for (int i = 0; i < n; i++)
        {
            names[i] = NativeMethods.LogicalType.StructChildName(type, (ulong)i) ?? "";
            children[i] = From(NativeMethods.LogicalType.StructChild(type, (ulong)i));
        }
        return new() { Id = DuckDbType.Struct, Children = children, ChildNames = names, Name = Fields("STRUCT", names, children) };
    }

    private static DuckDbColumnType Union(DuckLogicalTypeHandle type)
    {
        int n = (int)NativeMethods.LogicalType.UnionMemberCount(type);
        var names = new string[n];
        var children = new DuckDbColumnType[n];
        for (int i = 0; i < n; i++)
        {
            names[i] = NativeMethods.LogicalType.UnionMemberName(type, (ulong)i) ?? "";
            children[i] = From(NativeMethods.LogicalType.UnionMember(type, (ulong)i));
        }
        return new() { Id = DuckDbType.Union, Children = children, ChildNames = names, Name = Fields("UNION", names, children) };
    }

    private static string Fields(string kind, string[] names, DuckDbColumnType[] types)
    {
        var sb = new StringBuilder(kind).Append('(');
        for (int i = 0; i < names.Length; i++) sb.Append(i == 0 ? "" : ", ").Append(QuoteIfNeeded(names[i])).Append(' ').Append(types[i].Name);
        return sb.Append(')').ToString();
    }

    // DuckDB quotes field names that are not plain lower-case identifiers.
    private static string QuoteIfNeeded(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
            ? name : "\"" + name.Replace("\"", "\"\"") + "\"";

    private static string SimpleName(DuckDbType id) => id switch
    {
        DuckDbType.Boolean => "BOOLEAN", DuckDbType.TinyInt => "TINYINT", DuckDbType.SmallInt => "SMALLINT",
        DuckDbType.Integer => "INTEGER", DuckDbType.BigInt => "BIGINT", DuckDbType.UTinyInt => "UTINYINT",
        DuckDbType.USmallInt => "USMALLINT", DuckDbType.UInteger => "UINTEGER", DuckDbType.UBigInt => "UBIGINT",
        DuckDbType.Float => "FLOAT", DuckDbType.Double => "DOUBLE", DuckDbType.Timestamp => "TIMESTAMP",
        DuckDbType.Date => "DATE", DuckDbType.Time => "TIME", DuckDbType.Interval => "INTERVAL",
        DuckDbType.HugeInt => "HUGEINT", DuckDbType.UHugeInt => "UHUGEINT", DuckDbType.VarChar => "VARCHAR",
        DuckDbType.Blob => "BLOB", DuckDbType.TimestampS => "TIMESTAMP_S", DuckDbType.TimestampMs => "TIMESTAMP_MS",
        DuckDbType.TimestampNs => "TIMESTAMP_NS", DuckDbType.Uuid => "UUID", DuckDbType.Bit => "BIT",
        DuckDbType.TimeTz => "TIME WITH TIME ZONE", DuckDbType.TimestampTz => "TIMESTAMP WITH TIME ZONE",
        DuckDbType.BigNum => "BIGNUM", DuckDbType.SqlNull => "\"NULL\"", DuckDbType.TimeNs => "TIME_NS",
        DuckDbType.Geometry => "GEOMETRY", DuckDbType.Variant => "VARIANT",
        _ => id.ToString().ToUpperInvariant(),
    };

    /// <summary>Bytes per row in a flat vector for fixed-width types; 0 for strings and nested types.</summary>
    internal int FixedWidth => (Id == DuckDbType.Decimal || Id == DuckDbType.Enum ? InternalType : Id) switch
    {
        DuckDbType.Boolean or DuckDbType.TinyInt or DuckDbType.UTinyInt => 1,
        DuckDbType.SmallInt or DuckDbType.USmallInt => 2,
        DuckDbType.Integer or DuckDbType.UInteger or DuckDbType.Float or DuckDbType.Date => 4,
        DuckDbType.BigInt or DuckDbType.UBigInt or DuckDbType.Double or DuckDbType.Timestamp or DuckDbType.TimestampS
            or DuckDbType.TimestampMs or DuckDbType.TimestampNs or DuckDbType.TimestampTz or DuckDbType.Time
            or DuckDbType.TimeTz or DuckDbType.TimeNs => 8,
        DuckDbType.HugeInt or DuckDbType.UHugeInt or DuckDbType.Uuid or DuckDbType.Interval => 16,
        _ => 0,
    };
}

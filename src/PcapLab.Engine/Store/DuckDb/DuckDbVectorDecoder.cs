using System.Text;

namespace PcapLab.Store.DuckDb;

/// <summary>
/// Reads one column of a flat result chunk. Built once per column from its <see cref="DuckDbColumnType"/>, re-bound
/// to each new chunk's vector (children too), so reading a row is pointer arithmetic on DuckDB's own buffers.
/// </summary>
internal sealed unsafe class DuckDbVectorDecoder
{
    public readonly DuckDbColumnType Type;
    private readonly DuckDbVectorDecoder[] _children;
    private byte* _data;
    private ulong* _validity;

    public DuckDbVectorDecoder(DuckDbColumnType type)
    {
        Type = type;
        // A UNION vector is a STRUCT whose first child is the member tag.
        _children = type.Id == DuckDbType.Union
            ? [new DuckDbVectorDecoder(DuckDbColumnType.UTinyInt), .. type.Children.Select(c => new DuckDbVectorDecoder(c))]
            : [.. type.Children.Select(c => new DuckDbVectorDecoder(c))];
    }

    public void Bind(nint vector)
    {
        _data = (byte*)NativeMethods.Vector.GetData(vector);
        _validity = NativeMethods.Vector.GetValidity(vector);
        switch (Type.Id)
        {
            case DuckDbType.List or DuckDbType.Map: _children[0].Bind(NativeMethods.Vector.ListChild(vector)); break;
            case DuckDbType.Array: _children[0].Bind(NativeMethods.Vector.ArrayChild(vector)); break;
            case DuckDbType.Struct or DuckDbType.Union:
                for (int i = 0; i < _children.Length; i++) _children[i].Bind(NativeMethods.Vector.StructChild(vector, (ulong)i));
                break;
        }
    }

    // No mask means every row is valid.
    public bool IsValid(ulong row) => _validity == null || (_validity[row >> 6] & (1UL << (int)(row & 63))) != 0;

    private T At<T>(ulong row) where T : unmanaged => ((T*)_data)[row];

    public object? GetValue(ulong row)
    {
        if (!IsValid(row)) return null;
        return Type.Id switch
        {
            DuckDbType.Boolean => At<byte>(row) != 0,
            DuckDbType.TinyInt => At<sbyte>(row),
            DuckDbType.SmallInt => At<short>(row),
            DuckDbType.Integer => At<int>(row),
            DuckDbType.BigInt => At<long>(row),
            DuckDbType.UTinyInt => At<byte>(row),
            DuckDbType.USmallInt => At<ushort>(row),
            DuckDbType.UInteger => At<uint>(row),
            DuckDbType.UBigInt => At<ulong>(row),
            DuckDbType.HugeInt => At<DuckHugeInt>(row).ToInt128(),
            DuckDbType.UHugeInt => At<DuckUHugeInt>(row).ToUInt128(),
            DuckDbType.Float => At<float>(row),
            DuckDbType.Double => At<double>(row),
            DuckDbType.Decimal => GetDecimal(row),
            DuckDbType.VarChar => GetString(row),
            DuckDbType.Blob => GetBytes(row).ToArray(),
            DuckDbType.Date => DuckDbValues.Date(At<int>(row)),
            DuckDbType.Time => new TimeOnly(At<long>(row) * TimeSpan.TicksPerMicrosecond),
            DuckDbType.TimeNs => new TimeOnly(At<long>(row) / 100),
            DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs or DuckDbType.TimestampNs => GetDateTime(row),
            DuckDbType.TimestampTz => new DateTimeOffset(DateTime.SpecifyKind(GetDateTime(row), DateTimeKind.Utc)),
            DuckDbType.Interval => At<DuckInterval>(row) is var iv ? new DuckDbInterval(iv.Months, iv.Days, iv.Micros) : default,
            DuckDbType.Uuid => DuckDbValues.Uuid(At<DuckHugeInt>(row).ToInt128()),
            DuckDbType.Enum => GetString(row),
            DuckDbType.List => GetList(At<DuckListEntry>(row)),
            DuckDbType.Array => GetArray(row),
            DuckDbType.Struct => GetStruct(row),
            DuckDbType.Map => GetMap(At<DuckListEntry>(row)),
            DuckDbType.Union => _children[_children[0].At<byte>(row) + 1].GetValue(row),
            DuckDbType.SqlNull => null,
            _ => throw new NotSupportedException($"reading {Type.Name} values is not supported; cast the column in SQL (e.g. col::VARCHAR)"),
        };
    }

    public long GetInt64(ulong row) => Type.Id switch
    {
        DuckDbType.TinyInt => At<sbyte>(row),
        DuckDbType.SmallInt => At<short>(row),
        DuckDbType.Integer => At<int>(row),
        DuckDbType.BigInt => At<long>(row),
        DuckDbType.UTinyInt => At<byte>(row),
        DuckDbType.USmallInt => At<ushort>(row),
        DuckDbType.UInteger => At<uint>(row),
        DuckDbType.UBigInt => checked((long)At<ulong>(row)),
        DuckDbType.HugeInt => checked((long)At<DuckHugeInt>(row).ToInt128()),
        DuckDbType.UHugeInt => checked((long)At<DuckUHugeInt>(row).ToUInt128()),
        _ => throw Cast("long"),
    };

    public double GetDouble(ulong row) => Type.Id switch
    {
        DuckDbType.Double => At<double>(row),
        DuckDbType.Float => At<float>(row),
        DuckDbType.Decimal => (double)GetDecimal(row),
        DuckDbType.UBigInt => At<ulong>(row),
        DuckDbType.HugeInt => (double)At<DuckHugeInt>(row).ToInt128(),
        DuckDbType.UHugeInt => (double)At<DuckUHugeInt>(row).ToUInt128(),
        _ => GetInt64(row),
    };

    public bool GetBoolean(ulong row) => Type.Id == DuckDbType.Boolean ? At<byte>(row) != 0 : throw Cast("bool");

    public DateTime GetDateTime(ulong row) => Type.Id switch
    {
        DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs or DuckDbType.TimestampNs => DuckDbValues.Timestamp(Type.Id, At<long>(row)),
        DuckDbType.TimestampTz => DateTime.SpecifyKind(DuckDbValues.Timestamp(Type.Id, At<long>(row)), DateTimeKind.Utc),
        DuckDbType.Date => DuckDbValues.Date(At<int>(row)).ToDateTime(TimeOnly.MinValue),
        _ => throw Cast("DateTime"),
    };

    public string GetString(ulong row) => Type.Id switch
    {
        DuckDbType.VarChar => Encoding.UTF8.GetString(GetBytes(row)),
        DuckDbType.Enum => Type.EnumValues[Type.InternalType switch
        {
            DuckDbType.UTinyInt => At<byte>(row),
            DuckDbType.USmallInt => At<ushort>(row),
            _ => (int)At<uint>(row),
        }],
        _ => throw Cast("string"),
    };

    // duckdb_string_t: length, then up to 12 bytes inline, else a 4-byte prefix and a pointer.
    private ReadOnlySpan<byte> GetBytes(ulong row)
    {
        byte* s = _data + row * 16;
        uint length = *(uint*)s;
        return new ReadOnlySpan<byte>(length <= 12 ? s + 4 : *(byte**)(s + 8), (int)length);
    }

    private decimal GetDecimal(ulong row) => DuckDbValues.Decimal(Type.InternalType switch
    {
        DuckDbType.SmallInt => At<short>(row),
        DuckDbType.Integer => At<int>(row),
        DuckDbType.BigInt => At<long>(row),
        _ => At<DuckHugeInt>(row).ToInt128(),
    }, Type.Scale);

    private object?[] GetList(DuckListEntry e)
    {
        var items = new object?[e.Length];
        for (ulong k = 0; k < e.Length; k++) items[k] = _children[0].GetValue(e.Offset + k);
        return items;
    }

    private object?[] GetArray(ulong row) => GetList(new DuckListEntry { Offset = row * Type.ArraySize, Length = Type.ArraySize });

    private Dictionary<string, object?> GetStruct(ulong row)
    {
        var fields = new Dictionary<string, object?>(_children.Length);
        for (int i = 0; i < _children.Length; i++) fields[Type.ChildNames[i]] = _children[i].GetValue(row);
        return fields;
    }

    private Dictionary<object, object?> GetMap(DuckListEntry e)
    {
        var entries = _children[0];
        var map = new Dictionary<object, object?>((int)e.Length);
        for (ulong k = e.Offset; k < e.Offset + e.Length; k++)
            map[entries._children[0].GetValue(k)!] = entries._children[1].GetValue(k);
        return map;
    }

    private InvalidCastException Cast(string target) => new($"a {Type.Name} column cannot be read as {target}");
}

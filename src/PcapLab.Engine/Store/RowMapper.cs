using System.Globalization;
using System.Reflection;

namespace PcapLab.Store;

/// <summary>Maps query rows to a C# type by column name: a record's primary constructor, or settable properties.</summary>
internal static class RowMapper<T>
{
    private static readonly ConstructorInfo? Ctor = typeof(T).GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();

    public static IReadOnlyList<T> Map(QueryResult result)
    {
        var list = new List<T>(result.Count);
        var ctorParams = Ctor?.GetParameters() ?? [];
        if (ctorParams.Length > 0)
        {
            var idx = ctorParams.Select(p => Index(result, p.Name!)).ToArray();
            foreach (var row in result.Rows)
                list.Add((T)Ctor!.Invoke(ctorParams.Select((p, i) => Convert(idx[i] < 0 ? null : row[idx[i]], p.ParameterType)).ToArray()));
            return list;
        }
        var props = typeof(T).GetProperties().Where(p => p.CanWrite).Select(p => (p, i: Index(result, p.Name))).Where(x => x.i >= 0).ToArray();
        foreach (var row in result.Rows)
        {
            var item = Activator.CreateInstance<T>();
            foreach (var (p, i) in props) p.SetValue(item, Convert(row[i], p.PropertyType));
            list.Add(item);
        }
        return list;
    }

    // Column names match case-insensitively and ignoring underscores, so src_ip fills SrcIp.
    private static int Index(QueryResult r, string name)
    {
        for (int i = 0; i < r.Columns.Count; i++)
            if (string.Equals(r.Columns[i].Replace("_", ""), name.Replace("_", ""), StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    private static object? Convert(object? value, Type target)
    {
        if (value is null) return target.IsValueType && Nullable.GetUnderlyingType(target) is null ? Activator.CreateInstance(target) : null;
        var t = Nullable.GetUnderlyingType(target) ?? target;
        if (t.IsInstanceOfType(value)) return value;
        if (t == typeof(string)) return ValueText.Format(value);
        return System.Convert.ChangeType(value, t, CultureInfo.InvariantCulture);
    }
}

using System.Runtime.InteropServices.Marshalling;

namespace PcapLab.Store.DuckDb;

/// <summary>A <c>const char*</c> DuckDB keeps owning (error texts, column names): read as UTF-8, never freed here.</summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedOut, typeof(DuckDbBorrowedStringMarshaller))]
internal static unsafe class DuckDbBorrowedStringMarshaller
{
    public static string? ConvertToManaged(byte* unmanaged) => Utf8StringMarshaller.ConvertToManaged(unmanaged);
}

/// <summary>A <c>char*</c> the caller must release with <c>duckdb_free</c> (open errors, enum/struct names, aliases).</summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedOut, typeof(DuckDbOwnedStringMarshaller))]
internal static unsafe class DuckDbOwnedStringMarshaller
{
    public static string? ConvertToManaged(byte* unmanaged) => Utf8StringMarshaller.ConvertToManaged(unmanaged);

    public static void Free(byte* unmanaged)
    {
        if (unmanaged != null) NativeMethods.Helpers.Free(unmanaged);
    }
}

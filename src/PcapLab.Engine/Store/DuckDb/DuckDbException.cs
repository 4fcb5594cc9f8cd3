using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace PcapLab.Store.DuckDb;

/// <summary>
/// An error reported by DuckDB, carrying DuckDB's own message (e.g. <c>Parser Error: syntax error at or near "FORM"</c>
/// followed by the line and a caret under the position).
/// </summary>
public sealed class DuckDbException : Exception
{
    /// <summary>Creates an exception with DuckDB's message and error type.</summary>
    public DuckDbException(string message, string? errorType = null) : base(message) => ErrorType = errorType;

    /// <summary>
    /// DuckDB's error category as named in the C API's <c>duckdb_error_type</c> without prefix: <c>PARSER</c>,
    /// <c>CATALOG</c>, <c>BINDER</c>, <c>CONSTRAINT</c>, <c>CONVERSION</c>, <c>INVALID_INPUT</c>, <c>IO</c>, ...;
    /// <c>INTERRUPT</c> when the query was stopped by <see cref="DuckDbConnection.Interrupt"/>. Null when DuckDB gave none.
    /// </summary>
    public string? ErrorType { get; }

    /// <summary>True when the query ended because <see cref="DuckDbConnection.Interrupt"/> was called.</summary>
    public bool IsInterrupted => ErrorType == nameof(DuckDbErrorType.INTERRUPT);
}

/// <summary>The one seam where failed C calls become <see cref="DuckDbException"/>.</summary>
internal static class DuckDbError
{
    [DoesNotReturn, StackTraceHidden]
    internal static void Throw(string? message, DuckDbErrorType type, string fallback) =>
        throw new DuckDbException(message ?? fallback, type == DuckDbErrorType.INVALID ? TypeFromMessage(message) : type.ToString());

    /// <summary>Errors whose C function gives only a message (prepare, pending, open): the type is the message's prefix.</summary>
    [DoesNotReturn, StackTraceHidden]
    internal static void Throw(string? message, string fallback) =>
        throw new DuckDbException(message ?? fallback, TypeFromMessage(message));

    [DoesNotReturn, StackTraceHidden]
    internal static void ThrowResultError(DuckResultHandle result, string fallback) =>
        Throw(NativeMethods.Query.Error(result), NativeMethods.Query.ErrorType(result), fallback);

    [DoesNotReturn, StackTraceHidden]
    internal static void ThrowAppenderError(DuckAppenderHandle appender, string fallback)
    {
        using var error = NativeMethods.Appender.ErrorData(appender);
        if (error.IsInvalid || !NativeMethods.ErrorData.HasError(error)) Throw(fallback, DuckDbErrorType.INVALID, fallback);
        Throw(NativeMethods.ErrorData.Message(error), NativeMethods.ErrorData.Type(error), fallback);
    }

    // DuckDB prefixes messages with "<Type> Error: " ("Parser Error:", "Invalid Input Error:", "INTERRUPT Error:").
    private static string? TypeFromMessage(string? message)
    {
        int end = message?.IndexOf(" Error:", StringComparison.Ordinal) ?? -1;
        if (end <= 0) return null;
        string name = message![..end].Replace(' ', '_').ToUpperInvariant();
        return Enum.TryParse<DuckDbErrorType>(name, out var t) && t.ToString() == name ? name : null;
    }
}

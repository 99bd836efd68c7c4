using Microsoft.EntityFrameworkCore;

namespace ChatApp.Data;

/// <summary>Tells a database that did not answer (down, restarting, cut off) from a statement that failed.</summary>
public static class DatabaseFailures
{
    /// <summary>The connection failed or timed out (not a constraint or a bug in the statement).</summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        System.Data.Common.DbException { IsTransient: true } => true,
        Npgsql.NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException } => true,
        Npgsql.PostgresException { SqlState: var state } => state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal),
        DbUpdateException { InnerException: { } inner } => IsUnavailable(inner),
        InvalidOperationException { InnerException: System.Data.Common.DbException inner } => IsUnavailable(inner),
        TimeoutException => true,
        _ => false,
    };
}

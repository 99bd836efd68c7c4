using Microsoft.EntityFrameworkCore;

namespace ChatApp.Data;

public static class DatabaseInitializer
{
    /// <summary>
    /// Applies the configured provider's pending migrations (EF takes a database lock, so servers starting together
    /// on one PostgreSQL database migrate once) and switches SQLite to write-ahead logging.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers continue while a message is written; the mode is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}

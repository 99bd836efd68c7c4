using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ChatApp.Data;

public static class DatabaseInitializer
{
    /// <summary>The pg_advisory_lock key every ChatApp server migrates under ("ChatApp" in ASCII).</summary>
    internal const long MigrationLockKey = 0x43686174417070;

    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Applies the configured provider's pending migrations under a database-wide lock (PostgreSQL: an advisory
    /// lock; SQLite: an exclusive lock file beside the database), so servers starting together migrate once and
    /// the others wait, then find nothing to do. Runs before anything else reads the schema (the key ring
    /// included: hosted services and requests start after it), and switches SQLite to write-ahead logging.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using (await AcquireMigrationLockAsync(db, cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        if (db.Database.IsSqlite())
        {
            // WAL lets readers continue while a message is written; the mode is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    private static async Task<IAsyncDisposable> AcquireMigrationLockAsync(ApplicationDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            // Its own connection: the advisory lock belongs to the session, which must outlive EF's migration transactions.
            var connection = new NpgsqlConnection(db.Database.GetConnectionString());
            await connection.OpenAsync(cancellationToken);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", MigrationLockKey);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return new Release(async () =>
            {
                await using (var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection))
                {
                    unlock.Parameters.AddWithValue("key", MigrationLockKey);
                    await unlock.ExecuteNonQueryAsync(CancellationToken.None);
                }
                await connection.DisposeAsync();
            });
        }
        var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:")
        {
            return new Release(() => ValueTask.CompletedTask);
        }
        var lockPath = dataSource + ".migrate.lock";
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive OS lock (flock) held until the stream is closed, also by a crashed process.
                var file = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new Release(() => file.DisposeAsync());
            }
            catch (IOException)
            {
                await Task.Delay(LockRetryDelay, cancellationToken);
            }
        }
    }

    private sealed class Release(Func<ValueTask> release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => release();
    }
}

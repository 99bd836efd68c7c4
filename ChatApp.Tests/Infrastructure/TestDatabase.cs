using ChatApp.Data;
using Microsoft.Data.Sqlite;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database for one test on either provider: a SQLite file in the test's own folder, or a new
/// database on the run's <see cref="PostgresServer"/>, dropped on dispose.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly PostgresDatabase? postgres;

    private TestDatabase(DatabaseProvider provider, string connectionString, PostgresDatabase? postgres)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.postgres = postgres;
    }

    public static TestDatabase Create(DatabaseProvider provider, string directory)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var database = PostgresServer.Shared.CreateDatabase();
            return new TestDatabase(provider, database.ConnectionString, database);
        }
        return new TestDatabase(provider, $"Data Source={Path.Combine(directory, "chat.db")}", null);
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The configuration that points the app at this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [DataServiceCollectionExtensions.ProviderKey] = Provider.ToString(),
        ["ConnectionStrings:DefaultConnection"] = ConnectionString,
    };

    public void Dispose()
    {
        if (postgres is null)
        {
            // Pooled connections would keep the file open, and the test's folder is deleted next.
            SqliteConnection.ClearAllPools();
        }
        else
        {
            postgres.Dispose();
        }
    }
}

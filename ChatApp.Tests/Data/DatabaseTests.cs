using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Data;

[Trait("Cost", "http")]
public class DatabaseTests : IDisposable
{
    private readonly ChatAppFactory app;

    public DatabaseTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected DatabaseTests(DatabaseProvider provider)
    {
        app = new ChatAppFactory { Provider = provider };
        app.CreateClient().Dispose();
    }

    public void Dispose() => app.Dispose();

    protected ApplicationDbContext CreateDbContext() => app.CreateDbContext();

    [Fact]
    public async Task Startup_applies_every_migration_to_an_empty_database()
    {
        await using var db = app.CreateDbContext();
        var applied = await db.Database.GetAppliedMigrationsAsync();
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.Equal(db.Database.GetMigrations(), applied);
    }

    [Fact]
    public async Task Model_has_no_changes_missing_a_migration()
    {
        await using var db = app.CreateDbContext();
        Assert.False(db.Database.HasPendingModelChanges(),
            $"Run 'dotnet ef migrations add <Name> --context {db.GetType().Name}' in ChatApp/ (docs/architecture.md, Data: every provider needs one).");
    }

    [Fact]
    public async Task Timestamps_of_kind_UTC_or_without_a_kind_are_stored_as_the_UTC_wall_clock_and_read_back_as_UTC()
    {
        var user = await app.CreateAsync("Alice");
        var utc = new DateTime(2026, 3, 1, 12, 30, 0, DateTimeKind.Utc);
        var unspecified = DateTime.SpecifyKind(utc.AddHours(1), DateTimeKind.Unspecified);
        await using (var db = app.CreateDbContext())
        {
            db.UserSessions.Add(new UserSession { Id = "s1", UserId = user.Id, CreatedAt = utc, LastSeenAt = unspecified });
            await db.SaveChangesAsync();
            // Raw SQL with a UTC value, as AccountProvisioner writes one.
            await db.Database.ExecuteSqlInterpolatedAsync($"""UPDATE "UserSessions" SET "ExpiresAt" = {utc.AddHours(2)}""");
        }

        await using var check = app.CreateDbContext();
        var session = await check.UserSessions.AsNoTracking().SingleAsync(s => s.CreatedAt == utc && s.LastSeenAt == unspecified);
        Assert.Equal((DateTimeKind.Utc, DateTimeKind.Utc, DateTimeKind.Utc), (session.CreatedAt.Kind, session.LastSeenAt.Kind, session.ExpiresAt!.Value.Kind));
        Assert.Equal((utc, utc.AddHours(1), utc.AddHours(2)), (session.CreatedAt, session.LastSeenAt, session.ExpiresAt.Value));
        var stored = await check.Database.SqlQuery<string>($"""SELECT CAST("CreatedAt" AS TEXT) AS "Value" FROM "UserSessions" """).SingleAsync();
        Assert.Equal("2026-03-01 12:30:00", stored);
    }
}

/// <summary>The same tests on PostgreSQL, whose test server runs in a time zone other than UTC on purpose.</summary>
[Trait("Cost", "http")]
public sealed class DatabaseTestsOnPostgres() : DatabaseTests(DatabaseProvider.Postgres)
{
    [Fact]
    public async Task Message_text_has_the_full_text_index_search_queries_use()
    {
        await using var db = CreateDbContext();
        var definition = await db.Database.SqlQuery<string>(
            $"""SELECT indexdef AS "Value" FROM pg_indexes WHERE indexname = 'IX_Messages_Text_Search'""").SingleAsync();
        Assert.Contains("USING gin (to_tsvector('simple'::regconfig, \"Text\"))", definition);
    }
}

/// <summary>SQLite only: the database file and its journal mode.</summary>
[Trait("Cost", "http")]
public sealed class SqliteDatabaseTests : IClassFixture<ChatAppFactory>
{
    private readonly ChatAppFactory app;

    public SqliteDatabaseTests(ChatAppFactory app)
    {
        this.app = app;
        app.CreateClient().Dispose();
    }

    [Fact]
    public void Startup_creates_the_database_file()
    {
        Assert.True(File.Exists(app.DatabasePath));
    }

    [Fact]
    public async Task Database_runs_in_write_ahead_logging_mode()
    {
        await using var db = app.CreateDbContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public void Relative_sqlite_path_is_resolved_under_the_content_root_and_its_folder_created()
    {
        var root = Directory.CreateTempSubdirectory("chatapp-root-").FullName;
        var resolved = DataServiceCollectionExtensions.ResolveSqliteConnectionString("Data Source=App_Data/chat.db", root);
        Assert.Contains(Path.Combine(root, "App_Data", "chat.db"), resolved);
        Assert.True(Directory.Exists(Path.Combine(root, "App_Data")));
        Directory.Delete(root, recursive: true);
    }
}

using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Data;

public sealed class DatabaseTests : IClassFixture<ChatAppFactory>
{
    private readonly ChatAppFactory app;

    public DatabaseTests(ChatAppFactory app)
    {
        this.app = app;
        app.CreateClient().Dispose();
    }

    [Fact]
    public async Task Startup_applies_every_migration_to_an_empty_database()
    {
        await using var db = app.CreateDbContext();
        var applied = await db.Database.GetAppliedMigrationsAsync();
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.True(File.Exists(app.DatabasePath));
    }

    [Fact]
    public async Task Model_has_no_changes_missing_a_migration()
    {
        await using var db = app.CreateDbContext();
        Assert.False(db.Database.HasPendingModelChanges(), "Run 'dotnet ef migrations add <Name>' in ChatApp/.");
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

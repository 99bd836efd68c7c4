using System.Net;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Xunit.Abstractions;

namespace ChatApp.Operations;

/// <summary>Real processes (dotnet ChatApp.dll) started as an operator starts them: together, and on an older schema.</summary>
[Trait("Cost", "cluster")]
public sealed class StartAndUpgradeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_database_of_the_previous_release_opens_with_this_build_data_intact()
    {
        var directory = Directory.CreateTempSubdirectory("chatapp-upgrade-").FullName;
        var databasePath = Path.Combine(directory, "chat.db");
        long messageId;
        using (var previous = new ChatAppFactory())
        {
            previous.Settings["ConnectionStrings:DefaultConnection"] = $"Data Source={databasePath}";
            var user = await previous.CreateAsync("Grace");
            var sent = await previous.GetRequiredService<ChatApp.Chat.MessageService>()
                .SendAsync(new ChatApp.Chat.ChatUser(user.Id, user.DisplayName), Room.GeneralRoomId, "written before the upgrade", Guid.NewGuid());
            messageId = sent.Value!.Id;
        }
        SqliteConnection.ClearAllPools();
        var sqlite = new DbContextOptionsBuilder<ApplicationDbContext>().UseSqlite($"Data Source={databasePath}").Options;
        await using (var db = new ApplicationDbContext(sqlite))
        {
            // The schema the previous release left: every migration but the newest.
            await db.GetService<IMigrator>().MigrateAsync(PreviousRelease(db));
            Assert.Single(await db.Database.GetPendingMigrationsAsync());
        }
        SqliteConnection.ClearAllPools();

        await using var upgraded = AppProcess.Start(SqliteSettings(directory));
        await upgraded.WaitUntilReadyAsync();

        await using var after = new ApplicationDbContext(sqlite);
        Assert.Empty(await after.Database.GetPendingMigrationsAsync());
        Assert.Equal("written before the upgrade", (await after.Messages.SingleAsync(m => m.Id == messageId)).Text);
        Assert.True(await after.Users.AnyAsync(u => u.DisplayName == "Grace"));
        SqliteConnection.ClearAllPools();
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public async Task Servers_started_together_on_one_postgres_database_with_redis_all_serve_and_migrate_once(int servers, bool releaseBehind)
    {
        await using var redis = await RedisServer.StartAsync();
        using var database = PostgresServer.Shared.CreateDatabase();
        if (releaseBehind)
        {
            var options = new DbContextOptionsBuilder<PostgresApplicationDbContext>().UseNpgsql(database.ConnectionString).Options;
            await using var db = new PostgresApplicationDbContext(options);
            await db.GetService<IMigrator>().MigrateAsync(PreviousRelease(db));
            NpgsqlConnection.ClearAllPools();
        }
        var directory = Directory.CreateTempSubdirectory("chatapp-together-").FullName;

        var started = Enumerable.Range(0, servers).Select(i => AppProcess.Start([
            "--Chat:Database:Provider=Postgres",
            $"--ConnectionStrings:DefaultConnection={database.ConnectionString}",
            $"--Chat:Redis:Configuration={redis.Configuration}",
            $"--Chat:Attachments:Directory={Path.Combine(directory, $"attachments-{i}")}",
        ])).ToList();
        try
        {
            await Task.WhenAll(started.Select(server => server.WaitUntilReadyAsync(TimeSpan.FromSeconds(120))));

            using var http = new HttpClient();
            foreach (var server in started)
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{server.BaseUrl}/Account/Login")).StatusCode);
                Assert.DoesNotContain("42P07", server.Output);
            }
            var migrated = started.Count(server => server.Output.Contains("Applying migration", StringComparison.Ordinal));
            output.WriteLine($"{servers} servers, {(releaseBehind ? "one release behind" : "empty database")}: {migrated} of them applied migrations");
            Assert.Equal(1, migrated);
        }
        finally
        {
            foreach (var server in started)
            {
                await server.DisposeAsync();
            }
            NpgsqlConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task Three_servers_started_together_on_one_new_sqlite_file_all_serve()
    {
        var directory = Directory.CreateTempSubdirectory("chatapp-together-sqlite-").FullName;
        var started = Enumerable.Range(0, 3).Select(_ => AppProcess.Start(SqliteSettings(directory))).ToList();
        try
        {
            await Task.WhenAll(started.Select(server => server.WaitUntilReadyAsync(TimeSpan.FromSeconds(120))));
            Assert.Equal(1, started.Count(server => server.Output.Contains("Applying migration", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var server in started)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Sigterm_stops_the_server_cleanly_after_telling_its_tabs()
    {
        var directory = Directory.CreateTempSubdirectory("chatapp-sigterm-").FullName;
        await using var server = AppProcess.Start(SqliteSettings(directory));
        await server.WaitUntilReadyAsync();

        server.Terminate();

        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)), server.Output);
        Assert.Equal(0, server.ExitCode);
        Assert.Contains("Stopping: new tabs are refused and open tabs are told that ChatApp is restarting", server.Output);
    }

    private static string PreviousRelease(DbContext db) => db.Database.GetMigrations().SkipLast(1).Last();

    private static string[] SqliteSettings(string directory) =>
    [
        $"--ConnectionStrings:DefaultConnection=Data Source={Path.Combine(directory, "chat.db")}",
        $"--Chat:Attachments:Directory={Path.Combine(directory, "attachments")}",
    ];
}

using System.Net;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ChatApp.Operations;

[Trait("Cost", "cluster")]
public sealed class HealthTests
{
    [Fact]
    public async Task Live_and_ready_answer_one_word_without_names_or_versions()
    {
        using var app = new ChatAppFactory();
        using var client = app.CreateClient();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal("no-store, no-cache", ready.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Health_is_not_rate_limited()
    {
        using var app = new ChatAppFactory();
        app.Settings["Chat:RateLimit:AccountAttemptsPerMinute"] = "1";
        app.Settings["Chat:RateLimit:ConnectsPerMinute"] = "1";
        using var client = app.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.GetAsync("/health/ready")));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
    }

    [Fact]
    public async Task Ready_turns_unhealthy_when_the_sqlite_file_is_gone_and_would_be_an_empty_unmigrated_database()
    {
        using var app = new ChatAppFactory();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(app.DatabasePath + suffix);
        }
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Ready_turns_unhealthy_when_the_postgres_database_goes_away()
    {
        using var app = new ChatAppFactory { Provider = DatabaseProvider.Postgres };
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        var database = new NpgsqlConnectionStringBuilder(app.GetRequiredService<IConfiguration>().GetConnectionString("DefaultConnection")).Database;
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(PostgresServer.Shared.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_follows_redis_going_away_and_coming_back()
    {
        await using var redis = await RedisServer.StartAsync();
        using var app = new ChatAppFactory();
        app.Settings["Chat:Redis:Configuration"] = redis.Configuration;
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        await redis.StopAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);

        await redis.StartAsync();
        await Eventually(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Ready_turns_unhealthy_when_the_attachments_folder_cannot_be_written()
    {
        using var app = new ChatAppFactory();
        var folder = Directory.CreateTempSubdirectory("chatapp-attachments-").FullName;
        app.Settings["Chat:Attachments:Directory"] = folder;
        app.Settings["Chat:Health:MinimumFreeBytes"] = "0";
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        // A file where the folder should be: as unwritable as a read-only mount, even for root.
        Directory.Delete(folder);
        await File.WriteAllTextAsync(folder, "not a folder");
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        }
        finally
        {
            File.Delete(folder);
        }
    }

    [Fact]
    public async Task Ready_turns_unhealthy_when_the_disk_has_less_free_space_than_required()
    {
        using var app = new ChatAppFactory();
        app.Settings["Chat:Health:MinimumFreeBytes"] = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }

    internal static async Task Eventually(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true in time.");
            await Task.Delay(200);
        }
    }
}

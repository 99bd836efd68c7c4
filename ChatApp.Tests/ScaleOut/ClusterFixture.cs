using System.Globalization;
using ChatApp.Cluster;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ChatApp.ScaleOut;

/// <summary>
/// Two ChatApp servers (each a full host on its own Kestrel port) on one PostgreSQL database and one private Redis, and
/// a Chromium: a browser context signs in on either server like a user sent there by a load balancer.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("chatapp-cluster-").FullName;
    private TestDatabase database = null!;
    private IPlaywright? playwright;

    public RedisServer Redis { get; private set; } = null!;

    public ChatAppFactory One { get; private set; } = null!;

    public ChatAppFactory Two { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        database = TestDatabase.Create(DatabaseProvider.Postgres, directory);
        One = StartServer();
        Two = StartServer();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (One.GetRequiredService<RedisBackplane>().Peers.Count == 0 || Two.GetRequiredService<RedisBackplane>().Peers.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The two servers did not hear each other.");
            await Task.Delay(50);
        }
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchChromiumAsync(playwright);
    }

    /// <summary>A server (not started) of the cluster on this database and this Redis.</summary>
    public static ChatAppFactory NewServer(TestDatabase database, RedisServer redis)
    {
        var server = new ChatAppFactory();
        foreach (var (key, value) in database.Settings)
        {
            server.Settings[key] = value;
        }
        server.Settings["Chat:Redis:Configuration"] = redis.Configuration;
        return server;
    }

    private ChatAppFactory StartServer()
    {
        var server = NewServer(database, Redis);
        server.Settings["Chat:Redis:HeartbeatInterval"] = "00:00:01";
        server.Settings["Chat:RateLimit:Burst"] = "100";
        server.Settings["Chat:MaxCircuitsPerUser"] = BrowserFixture.MaxCircuitsPerUser.ToString(CultureInfo.InvariantCulture);
        server.StartKestrel();
        return server;
    }

    /// <summary>What both servers have logged at Error or above, or "" when neither has.</summary>
    public string ServerErrors
    {
        get
        {
            var (one, two) = (One.Logs.Errors, Two.Logs.Errors);
            return one.Length + two.Length == 0 ? "" : $"Server one:\n{one}\nServer two:\n{two}";
        }
    }

    /// <summary>A fresh browser profile (its own cookies, like a separate person) opened on one of the servers.</summary>
    public async Task<IPage> NewUserPageAsync(ChatAppFactory server)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        await One.DisposeAsync();
        await Two.DisposeAsync();
        await Redis.DisposeAsync();
        database.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
}

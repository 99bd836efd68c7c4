using System.Net;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.ScaleOut;

/// <summary>Per-client limits count across the servers of a cluster: two servers do not double them.</summary>
[Trait("Cost", "cluster")]
public sealed class ClusterRateLimitTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("chatapp-cluster-limits-").FullName;
    private TestDatabase database = null!;
    private RedisServer redis = null!;
    private ChatAppFactory one = null!;
    private ChatAppFactory two = null!;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        database = TestDatabase.Create(DatabaseProvider.Postgres, directory);
        one = Server();
        two = Server();
    }

    private ChatAppFactory Server()
    {
        var server = ClusterFixture.NewServer(database, redis);
        server.Settings["Chat:RateLimit:AccountAttemptsPerMinute"] = "4";
        return server;
    }

    public async Task DisposeAsync()
    {
        await one.DisposeAsync();
        await two.DisposeAsync();
        await redis.DisposeAsync();
        database.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Login_attempts_from_one_client_are_counted_across_both_servers()
    {
        var browsers = new[] { new FormClient(one.CreateBrowserLikeClient()), new FormClient(two.CreateBrowserLikeClient()) };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await browsers[i % 2].LoginAsync($"nobody{i}@example.com", "wrong-Password1")).StatusCode);
        }

        // Two on each server, then the fifth is refused although each server alone saw at most three.
        Assert.All(statuses.Take(4), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[4]);
    }
}

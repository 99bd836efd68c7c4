using System.Net;
using System.Net.Http.Json;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ChatApp.Webhooks;

/// <summary>The database stops answering while a CI job posts: the job is told to retry later, and a retry posts.</summary>
[Trait("Cost", "http")]
public sealed class WebhookOutageTests : IAsyncLifetime
{
    private readonly ChatAppFactory app = new() { Provider = DatabaseProvider.Postgres };
    private string database = null!;

    public async Task InitializeAsync()
    {
        _ = app.Server;
        await using var db = app.CreateDbContext();
        database = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Database!;
    }

    public async Task DisposeAsync()
    {
        await SetReachableAsync(true);
        await app.DisposeAsync();
    }

    private Task SetReachableAsync(bool reachable) => PostgresServer.Shared.SetReachableAsync(database, reachable);

    [Fact]
    public async Task A_post_while_the_database_is_down_answers_503_with_retry_after_and_the_retry_posts()
    {
        var ada = await app.CreateAsync("Ada", admin: true);
        var hook = (await app.GetRequiredService<WebhookService>().CreateAsync(ada.Actor(), Room.GeneralRoomId, "CI")).Value!;
        var client = app.CreateClient(new() { HandleCookies = false });

        await SetReachableAsync(false);
        var refused = await client.PostAsJsonAsync("/" + hook.Path, new { text = "deploy finished" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        await SetReachableAsync(true);
        NpgsqlConnection.ClearAllPools();
        var posted = await client.PostAsJsonAsync("/" + hook.Path, new { text = "deploy finished" });

        Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        await using var db = app.CreateDbContext();
        Assert.Equal(1, await db.Messages.CountAsync(m => m.Text == "deploy finished"));
    }
}

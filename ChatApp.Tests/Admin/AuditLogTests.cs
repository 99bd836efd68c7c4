using System.Net;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Admin;

[Trait("Cost", "http")]
public class AuditLogTests : IDisposable
{
    private readonly ChatAppFactory app;

    public AuditLogTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected AuditLogTests(DatabaseProvider provider) => app = new() { Provider = provider };

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task Entries_cannot_be_changed_or_deleted()
    {
        app.CreateClient().Dispose();
        await app.GetRequiredService<AuditLog>().WriteAsync(AuditActions.UserLocked, new AuditActor("a", "Ada", null), "b", "Bob");

        await using var db = app.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync();
        entry.Details = "nothing happened";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(await db.AuditEntries.SingleAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Filters_by_actor_target_action_and_date_and_pages_newest_first()
    {
        app.CreateClient().Dispose();
        var log = app.GetRequiredService<AuditLog>();
        for (var i = 0; i < 7; i++)
        {
            await log.WriteAsync(i % 2 == 0 ? AuditActions.UserLocked : AuditActions.UserUnlocked, new AuditActor("a", "Ada", null), $"t{i}", $"Target {i}");
        }
        await log.WriteAsync(AuditActions.RoomRenamed, new AuditActor("g", "Grace", null), "r1", "lounge");

        Assert.Equal(4, (await log.QueryAsync(new AuditQuery(Action: AuditActions.UserLocked))).Total);
        Assert.Equal("lounge", (await log.QueryAsync(new AuditQuery(Actor: "Grace"))).Items.Single().TargetName);
        Assert.Equal("Target 3", (await log.QueryAsync(new AuditQuery(Target: "Target 3"))).Items.Single().TargetName);
        Assert.Equal(0, (await log.QueryAsync(new AuditQuery(From: DateTime.UtcNow.AddDays(1)))).Total);
        var page = await log.QueryAsync(new AuditQuery(Skip: 2, Take: 3));
        Assert.Equal(8, page.Total);
        Assert.Equal(["Target 5", "Target 4", "Target 3"], page.Items.Select(e => e.TargetName));
    }

    [Fact]
    public async Task Sign_ins_failures_lockouts_and_sign_outs_are_recorded_with_the_client_address()
    {
        await new FormClient(app.CreateBrowserLikeClient()).RegisterAsync("Alice", "alice@example.com");
        var browser = new FormClient(app.CreateBrowserLikeClient());
        await browser.LoginAsync("nobody@example.com", "Wrong-Passw0rd");
        for (var i = 0; i < 5; i++)
        {
            await browser.LoginAsync("alice@example.com", "Wrong-Passw0rd");
        }
        await using var db = app.CreateDbContext();
        var actions = await db.AuditEntries.OrderBy(e => e.Id).Select(e => new { e.Action, e.ActorName, e.Details }).ToListAsync();

        Assert.Contains(actions, a => a.Action == AuditActions.SignInFailed && a.ActorName == "nobody@example.com");
        Assert.Equal(4, actions.Count(a => a.Action == AuditActions.SignInFailed && a.ActorName == "Alice"));
        Assert.Contains(actions, a => a.Action == AuditActions.LockedOut && a.ActorName == "Alice");
    }

    [Fact]
    public async Task Rejected_origins_are_recorded()
    {
        app.StartKestrel();
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(request)).StatusCode);

        await using var db = app.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.OriginRejected);
        Assert.Equal("https://evil.example", entry.TargetName);
        Assert.NotNull(entry.IpAddress);
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "http")]
public sealed class AuditLogTestsOnPostgres() : AuditLogTests(DatabaseProvider.Postgres);

using System.Net.Http.Json;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using ChatApp.Webhooks;

namespace ChatApp.Admin;

/// <summary>The dashboard's figures on a real database: people, messages, and who was active (people, not bots).</summary>
[Trait("Cost", "http")]
public sealed class AdminStatsServiceTests : IAsyncLifetime
{
    private readonly ChatAppFactory app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Todays_messages_count_everything_but_active_people_and_accounts_leave_webhook_bots_out()
    {
        var ada = await app.CreateAsync("Ada", admin: true);
        var bob = await app.CreateAsync("Bob");
        var messages = app.GetRequiredService<MessageService>();
        Assert.True((await messages.SendAsync(new ChatUser(ada.Id, ada.DisplayName), Room.GeneralRoomId, "morning", Guid.NewGuid())).Succeeded);
        Assert.True((await messages.SendAsync(new ChatUser(bob.Id, bob.DisplayName), Room.GeneralRoomId, "hi", Guid.NewGuid())).Succeeded);
        var hook = (await app.GetRequiredService<WebhookService>().CreateAsync(ada.Actor(), Room.GeneralRoomId, "CI")).Value!;
        var client = app.CreateClient(new() { HandleCookies = false });
        for (var i = 0; i < 3; i++)
        {
            (await client.PostAsJsonAsync("/" + hook.Path, new { text = $"build {i} passed" })).EnsureSuccessStatusCode();
        }

        var stats = (await app.GetRequiredService<AdminStatsService>().GetDashboardAsync(ada.Actor())).Value!;

        Assert.Equal(2, stats.UsersTotal);
        Assert.Equal(5, stats.MessagesToday);
        Assert.Equal(5, stats.MessagesPerDay[^1].Count);
        Assert.Equal(2, stats.ActiveUsersPerDay[^1].Count);
        Assert.Equal(AdminStatsService.Days, stats.ActiveUsersPerDay.Count);
    }
}

using System.Net;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

/// <summary>Do-not-disturb from the account menu and the status page: a plain form post, for the signed-in user only.</summary>
[Trait("Cost", "http")]
public sealed class NotificationEndpointTests(ChatAppFactory app) : IClassFixture<ChatAppFactory>
{
    private static async Task<HttpResponseMessage> PostAsync(FormClient client, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await client.AntiforgeryTokenAsync("/Account/Manage/Status");
        return await client.Http.PostAsync("/preferences/do-not-disturb", new FormUrlEncodedContent(fields));
    }

    private async Task<(FormClient Client, string UserId)> SignedInAsync(string name)
    {
        var client = new FormClient(app.CreateBrowserLikeClient());
        await client.RegisterAsync(name, $"{name.ToLowerInvariant().Replace(' ', '.')}@example.com");
        await using var db = app.CreateDbContext();
        return (client, await db.Users.Where(u => u.DisplayName == name).Select(u => u.Id).SingleAsync());
    }

    private async Task<DateTime?> StoredAsync(string userId)
    {
        await using var db = app.CreateDbContext();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.DoNotDisturbUntil).SingleAsync();
    }

    [Fact]
    public async Task A_person_turns_do_not_disturb_on_and_off_for_themselves_only()
    {
        var (dana, danaId) = await SignedInAsync("Dana Endpoint");
        var (_, erinId) = await SignedInAsync("Erin Endpoint");

        var response = await PostAsync(dana, new() { ["until"] = "tomorrow", ["timeZone"] = "Europe/Berlin", ["returnUrl"] = "/chat/general" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/chat/general", response.Headers.Location?.OriginalString);
        var until = await StoredAsync(danaId);
        Assert.NotNull(until);
        Assert.Equal(9, TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(until.Value, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Hour);
        Assert.Null(await StoredAsync(erinId));

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(dana, new() { ["until"] = "off", ["returnUrl"] = "https://evil.example/" })).StatusCode);
        Assert.Null(await StoredAsync(danaId));
    }

    [Theory]
    [InlineData("forever", null)]
    [InlineData("custom", "not a time")]
    [InlineData("custom", "2001-01-01T09:00")]
    public async Task An_unknown_choice_or_a_past_time_is_refused(string until, string? at)
    {
        var (client, userId) = await SignedInAsync($"Fay {until.Length}{at?.Length}");

        var fields = new Dictionary<string, string> { ["until"] = until };
        if (at is not null)
        {
            fields["at"] = at;
        }
        var response = await PostAsync(client, fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await StoredAsync(userId));
    }

    [Fact]
    public async Task Nobody_signed_in_can_post_it()
    {
        var http = app.CreateBrowserLikeClient();
        var token = await new FormClient(http).AntiforgeryTokenAsync("/Account/Login");

        var response = await http.PostAsync("/preferences/do-not-disturb", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["until"] = "1h",
            ["__RequestVerificationToken"] = token,
        }));

        // Sent to sign in, as every authorized endpoint does (not merely refused for lack of a user id).
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Account/Login", response.Headers.Location?.OriginalString);
    }
}

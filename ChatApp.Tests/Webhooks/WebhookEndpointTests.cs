using System.Net;
using System.Net.Http.Json;
using System.Text;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace ChatApp.Webhooks;

/// <summary>POST /hooks/{id}/{token} as a CI job or monitor would call it: no cookies, JSON only.</summary>
[Trait("Cost", "http")]
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private const int Burst = 3;
    private readonly ChatAppFactory app = new();
    private ApplicationUser ada = null!;
    private HttpClient client = null!;
    private CreatedWebhook hook = null!;

    public async Task InitializeAsync()
    {
        app.Settings["Chat:Webhooks:Burst"] = Burst.ToString();
        app.Settings["Chat:Webhooks:MessagesPerMinute"] = "1";
        ada = await app.CreateAsync("Ada", admin: true);
        client = app.CreateClient(new() { HandleCookies = false });
        hook = await CreateHookAsync(Room.GeneralRoomId, "CI");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<CreatedWebhook> CreateHookAsync(int roomId, string name)
    {
        var created = await app.GetRequiredService<WebhookService>().CreateAsync(ada.Actor(), roomId, name);
        Assert.True(created.Succeeded, created.Error);
        return created.Value!;
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> PostTextAsync(CreatedWebhook webhook, string text) =>
        client.PostAsJsonAsync("/" + webhook.Path, new { text });

    private async Task<ChatMessage> LatestAsync(int roomId = Room.GeneralRoomId) =>
        (await app.GetRequiredService<MessageService>().GetLatestAsync(ada.Id, roomId))[^1];

    [Fact]
    public async Task A_post_without_cookies_or_antiforgery_appears_in_history_as_the_bot_with_its_marker()
    {
        var response = await PostTextAsync(hook, "Build **passed** on `main`");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var message = await LatestAsync();
        Assert.Equal(("CI", "Build **passed** on `main`", true), (message.AuthorName, message.Text, message.IsBot));
        var found = await app.GetRequiredService<SearchService>().SearchAsync(ada.Id, "passed", Room.GeneralRoomId);
        Assert.Contains(found.Items, hit => hit.MessageId == message.Id && hit.AuthorName == "CI");
        var row = (await app.GetRequiredService<WebhookService>().ListAsync(ada.Actor(), Room.GeneralRoomId)).Value!.Single();
        Assert.NotNull(row.LastUsedAt);
    }

    [Fact]
    public async Task Unknown_wrong_secret_revoked_and_room_deleted_webhooks_all_get_the_same_404()
    {
        var rooms = app.GetRequiredService<RoomService>();
        var room = (await rooms.CreateRoomAsync(new ChatUser(ada.Id, ada.DisplayName), "doomed", RoomKind.Public, null)).Value!;
        var doomed = await CreateHookAsync(room.Id, "Doomed bot");
        var revoked = await CreateHookAsync(Room.GeneralRoomId, "Old bot");
        Assert.True((await app.GetRequiredService<WebhookService>().RevokeAsync(ada.Actor(), revoked.Id)).Succeeded);
        Assert.True((await app.GetRequiredService<ChatApp.Admin.AdminRoomService>().DeleteAsync(ada.Actor(), room.Id, "doomed")).Succeeded);

        var answers = new List<(HttpStatusCode, string)>();
        foreach (var path in new[]
        {
            $"/hooks/{hook.Id}/{hook.Token[..^1]}x",
            $"/hooks/{hook.Id + 1000}/{hook.Token}",
            "/" + revoked.Path,
            "/" + doomed.Path,
        })
        {
            var response = await PostAsync(path, """{"text": "hello"}""");
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.NotFound, answer.Item1));
        Assert.Single(answers.Distinct());
        Assert.Contains("No webhook at this address", answers[0].Item2);
        Assert.DoesNotContain(await app.GetRequiredService<MessageService>().GetLatestAsync(ada.Id, Room.GeneralRoomId), m => m.Text == "hello");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_whether_or_not_it_says_its_length()
    {
        var big = $$"""{"text": "{{new string('x', 17 * 1024)}}"}""";

        var declared = await PostAsync("/" + hook.Path, big);
        var chunked = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        var undeclared = await client.PostAsync("/" + hook.Path, chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, undeclared.StatusCode);
        Assert.Contains("at most 16,384 bytes", await declared.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"text\": ", "not valid JSON")]
    [InlineData("[1, 2]", "not valid JSON")]
    [InlineData("{\"message\": \"hi\"}", "needs a \\\"text\\\" string")]
    [InlineData("{\"text\": 42}", "not valid JSON")]
    [InlineData("{\"text\": \"   \"}", "Type a message first.")]
    public async Task Bad_json_or_missing_or_empty_text_is_400_with_a_problem_that_says_why(string body, string reason)
    {
        var response = await PostAsync("/" + hook.Path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Text_over_the_message_limit_is_400_and_a_form_post_is_415()
    {
        var tooLong = await PostTextAsync(hook, new string('y', 4001));
        var form = await client.PostAsync("/" + hook.Path, new FormUrlEncodedContent([new("text", "hi")]));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("at most 4,000 characters", await tooLong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Contains("Content-Type: application/json", await form.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Past_its_burst_a_webhook_gets_429_with_Retry_After_another_webhook_does_not_and_the_refusal_is_audited()
    {
        for (var i = 0; i < Burst; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await PostTextAsync(hook, $"message {i}")).StatusCode);
        }

        var refused = await PostTextAsync(hook, "one too many");
        var again = await PostTextAsync(hook, "and another");
        var other = await PostTextAsync(await CreateHookAsync(Room.GeneralRoomId, "Other bot"), "fine");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
        Assert.Equal("fine", (await LatestAsync()).Text);
        var audit = await app.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(Action: AuditActions.WebhookRefused));
        Assert.Equal(WebhookRefusals.RateLimited, Assert.Single(audit.Items).Details);
    }

    [Fact]
    public async Task A_person_cannot_take_a_bots_name_or_a_look_alike_and_a_bot_cannot_sign_in()
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();

        foreach (var name in new[] { "CI", "ci", "Cl" })
        {
            var person = new ApplicationUser { DisplayName = name, UserName = $"{Guid.NewGuid():N}@example.com", Email = $"{Guid.NewGuid():N}@example.com" };
            var created = await users.CreateAsync(person, TestUsers.Password);
            Assert.Contains(created.Errors, e => e.Code == DisplayNameRules.TakenError.Code);
        }

        var bot = (await app.GetRequiredService<WebhookService>().AuthenticateAsync(hook.Id, hook.Token)).Bot!;
        var botUser = (await users.FindByIdAsync(bot.Bot.Id))!;
        Assert.True(botUser.IsBot);
        Assert.False(await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>().CanSignInAsync(botUser));
    }

    [Fact]
    public async Task Members_and_room_owners_without_the_setting_can_neither_create_nor_revoke()
    {
        var bob = await app.CreateAsync("Bob");
        var service = app.GetRequiredService<WebhookService>();
        var bobsRoom = (await app.GetRequiredService<RoomService>().CreateRoomAsync(new ChatUser(bob.Id, bob.DisplayName), "bobs", RoomKind.Private, null)).Value!;

        Assert.Equal(ChatResult.RoomNotFound, (await service.CreateAsync(bob.Actor(), Room.GeneralRoomId, "Bob bot")).Error);
        Assert.Equal(ChatResult.RoomNotFound, (await service.CreateAsync(bob.Actor(), bobsRoom.Id, "Bob bot")).Error);
        Assert.Equal(WebhookService.NotFound, (await service.RevokeAsync(bob.Actor(), hook.Id)).Error);
        Assert.Equal(HttpStatusCode.NoContent, (await PostTextAsync(hook, "still works")).StatusCode);
    }

    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}

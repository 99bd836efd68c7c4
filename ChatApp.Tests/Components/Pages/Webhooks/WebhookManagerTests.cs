using Bunit;
using ChatApp.Chat;
using ChatApp.Components.Pages.Chat;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using ChatApp.Webhooks;

namespace ChatApp.Components.Pages.Webhooks;

[Trait("Cost", "component")]
public sealed class WebhookManagerTests : AppComponentContext
{
    private AuditActor AdminActor => new(Admin.Id, Admin.DisplayName, "203.0.113.5");

    private IRenderedComponent<WebhookManager> RenderManager(AuditActor actor) => Render<WebhookManager>(p => p
        .Add(x => x.Actor, actor)
        .Add(x => x.RoomId, Room.GeneralRoomId)
        .Add(x => x.RoomName, Room.GeneralRoomName));

    [Fact]
    public async Task Creating_a_webhook_shows_its_url_once_in_a_dialog_then_lists_it_without_the_secret()
    {
        var (_, dialogs) = RenderMudHosts();
        var manager = RenderManager(AdminActor);
        manager.WaitForAssertion(() => Assert.Contains("No webhooks in #general", manager.Markup));

        manager.Find("#webhook-name-1").Input("Deploy bot");
        // The handler waits for the dialog to close: started here, finished once Done is clicked.
        var creating = manager.Find("form.webhook-create").SubmitAsync();

        dialogs.WaitForAssertion(() => Assert.Contains("shown only once", dialogs.Markup));
        var url = dialogs.Find("#webhook-url").GetAttribute("value") ?? dialogs.Find("#webhook-url").TextContent;
        var id = Assert.Single((await Services.GetRequiredService<WebhookService>().ListAsync(AdminActor, Room.GeneralRoomId)).Value!).Id;
        Assert.Matches($"^http://localhost/hooks/{id}/[A-Za-z0-9_-]{{43}}$", url);
        var token = url.Split('/')[^1];
        Assert.NotNull((await Services.GetRequiredService<WebhookService>().AuthenticateAsync(id, token)).Bot);

        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Done").ClickAsync(new());
        await creating;

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("shown only once", dialogs.Markup));
        manager.WaitForAssertion(() => Assert.Contains("Deploy bot", manager.Find("table").TextContent));
        Assert.DoesNotContain(token, manager.Markup);
        Assert.Contains("never", manager.Find("table").TextContent);
    }

    [Fact]
    public async Task Revoke_asks_first_and_only_a_confirmed_revocation_removes_the_webhook()
    {
        var created = (await Services.GetRequiredService<WebhookService>().CreateAsync(AdminActor, Room.GeneralRoomId, "Nightly")).Value!;
        var (_, dialogs) = RenderMudHosts();
        var manager = RenderManager(AdminActor);
        manager.WaitForAssertion(() => Assert.Contains("Nightly", manager.Markup));

        var cancelled = manager.Find("button[aria-label='Revoke webhook Nightly']").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("stops working at once", dialogs.Markup));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());
        await cancelled;
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("stops working at once", dialogs.Markup));
        Assert.NotNull((await Services.GetRequiredService<WebhookService>().AuthenticateAsync(created.Id, created.Token)).Bot);

        var revoking = manager.Find("button[aria-label='Revoke webhook Nightly']").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("stops working at once", dialogs.Markup));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").ClickAsync(new());
        await revoking;

        manager.WaitForAssertion(() => Assert.Contains("No webhooks in #general", manager.Markup));
        Assert.Null((await Services.GetRequiredService<WebhookService>().AuthenticateAsync(created.Id, created.Token)).Bot);
    }

    [Fact]
    public async Task A_bot_name_that_is_taken_is_refused_with_the_reason_and_nothing_is_created()
    {
        RenderMudHosts();
        var manager = RenderManager(AdminActor);

        manager.Find("#webhook-name-1").Input("Ada Admin");
        await manager.Find("form.webhook-create").SubmitAsync();

        manager.WaitForAssertion(() => Assert.Contains(WebhookService.NameTaken, manager.Find("[role=alert]").TextContent));
        Assert.Empty((await Services.GetRequiredService<WebhookService>().ListAsync(AdminActor, Room.GeneralRoomId)).Value!);
    }

    [Fact]
    public async Task A_member_who_may_not_manage_gets_no_button_and_no_list_even_when_handed_the_component()
    {
        await Services.GetRequiredService<WebhookService>().CreateAsync(AdminActor, Room.GeneralRoomId, "Secret bot");
        var bob = await CreateUserAsync("Bob");
        var bobActor = new AuditActor(bob.Id, bob.DisplayName, null);
        await Services.GetRequiredService<RoomService>().JoinDefaultRoomAsync(bob.Id, bob.DisplayName);

        var button = Render<RoomWebhooksButton>(p => p.Add(x => x.Actor, bobActor).Add(x => x.RoomId, Room.GeneralRoomId).Add(x => x.RoomName, "general"));
        var adminButton = Render<RoomWebhooksButton>(p => p.Add(x => x.Actor, AdminActor).Add(x => x.RoomId, Room.GeneralRoomId).Add(x => x.RoomName, "general"));
        var manager = RenderManager(bobActor);

        manager.WaitForAssertion(() => Assert.Contains(ChatResult.RoomNotFound, manager.Markup));
        Assert.DoesNotContain("Secret bot", manager.Markup);
        Assert.Empty(button.FindAll("button"));
        adminButton.WaitForAssertion(() => Assert.NotNull(adminButton.Find("button[aria-label='Webhooks of #general']")));
    }

    [Fact]
    public void A_bots_message_row_carries_a_visible_BOT_marker_and_a_persons_does_not()
    {
        var noon = new DateTime(2026, 12, 5, 12, 0, 0, DateTimeKind.Utc);
        var context = new MessageRowContext
        {
            MeId = "alice",
            CanModerate = false,
            TimeZone = TimeZoneInfo.Utc,
            Members = new Dictionary<string, string>(),
            Edit = (_, _) => Task.FromResult<string?>(null),
        };
        var list = Render<MessageList>(p => p
            .Add(x => x.Context, context)
            .Add(x => x.Messages, [
                new ChatMessage(1, 1, 1, "bot-1", "CI", "Build passed", noon, null, false) { IsBot = true },
                new ChatMessage(2, 1, 2, "bob", "Bob", "Thanks", noon.AddMinutes(1), null, false),
            ])
            .Add(x => x.RoomTitle, "general"));

        var articles = list.FindAll("article");
        Assert.Equal("BOT", articles[0].QuerySelector(".message-header .bot-marker")!.TextContent);
        Assert.Null(articles[1].QuerySelector(".bot-marker"));
    }
}

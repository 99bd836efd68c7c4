using Bunit;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;

namespace ChatApp.Components.Pages.Chat;

/// <summary>The Pinned and Saved side panels against the real services on SQLite.</summary>
[Trait("Cost", "component")]
public sealed class PinnedAndSavedPanelTests : AppComponentContext
{
    private ChatUser moderator = null!;
    private ChatUser bob = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var rooms = Services.GetRequiredService<RoomService>();
        await rooms.JoinDefaultRoomAsync(Admin.Id, Admin.DisplayName);
        var bobUser = await CreateUserAsync("Bob");
        await rooms.JoinDefaultRoomAsync(bobUser.Id, bobUser.DisplayName);
        (moderator, bob) = (new ChatUser(Admin.Id, Admin.DisplayName), new ChatUser(bobUser.Id, bobUser.DisplayName));
    }

    private async Task<ChatMessage> SendAsync(ChatUser author, string text) =>
        (await Services.GetRequiredService<MessageService>().SendAsync(author, Room.GeneralRoomId, text, Guid.NewGuid())).Value!;

    private IRenderedComponent<PinnedPanel> RenderPinned(ChatUser reader, bool isModerator, int version = 0) => Render<PinnedPanel>(p => p
        .Add(x => x.Room, new PinnedPanel.RoomPins(Room.GeneralRoomId, Room.GeneralRoomName, RoomKind.Public, version, reader, isModerator, null))
        .Add(x => x.TimeZone, TimeZoneInfo.Utc)
        .Add(x => x.OnClose, EventCallback.Empty));

    [Fact]
    public async Task The_pinned_panel_lists_pins_newest_first_with_who_pinned_and_a_link_to_the_message()
    {
        var older = await SendAsync(bob, "first decision");
        var newer = await SendAsync(bob, "second decision");
        var pins = Services.GetRequiredService<PinService>();
        Assert.True((await pins.PinAsync(bob, older.Id)).Succeeded);
        Assert.True((await pins.PinAsync(moderator, newer.Id)).Succeeded);

        var panel = RenderPinned(bob, isModerator: false);

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll(".hit").Count));
        var links = panel.FindAll("a.hit");
        Assert.Equal($"chat/general?at={newer.Sequence}", links[0].GetAttribute("href"));
        Assert.Contains("second decision", links[0].TextContent);
        Assert.Contains("Pinned by Ada Admin", links[0].TextContent);
        Assert.Contains("Pinned by Bob", links[1].TextContent);
        Assert.Contains("2 pinned messages · members pin here", panel.Find("[role=status]").TextContent);
        Assert.Empty(panel.FindAll(".pin-setting"));

        panel.Find($"button[aria-label=\"Unpin Bob's message\"]").Click();
        panel.WaitForAssertion(() => Assert.Single(panel.FindAll(".hit")));
        Assert.Single(await pins.GetPinnedAsync(bob.Id, Room.GeneralRoomId));
    }

    [Fact]
    public async Task A_moderator_limits_pinning_to_moderators_and_members_then_see_no_unpin()
    {
        var message = await SendAsync(bob, "rules");
        var pins = Services.GetRequiredService<PinService>();
        Assert.True((await pins.PinAsync(bob, message.Id)).Succeeded);

        var moderatorPanel = RenderPinned(moderator, isModerator: true);
        moderatorPanel.WaitForAssertion(() => Assert.Single(moderatorPanel.FindAll(".hit")));
        moderatorPanel.Find(".pin-setting input").Change(true);
        moderatorPanel.WaitForAssertion(() => Assert.Contains("only moderators pin here", moderatorPanel.Find("[role=status]").TextContent));
        Assert.True(await pins.OnlyModeratorsPinAsync(bob.Id, Room.GeneralRoomId));

        var memberPanel = RenderPinned(bob, isModerator: false);
        memberPanel.WaitForAssertion(() => Assert.Single(memberPanel.FindAll(".hit")));
        Assert.Empty(memberPanel.FindAll("button[aria-label^='Unpin']"));
        Assert.NotEmpty(moderatorPanel.FindAll("button[aria-label^='Unpin']"));
    }

    [Fact]
    public async Task The_pinned_panel_reads_again_when_the_rooms_pins_change()
    {
        var pins = Services.GetRequiredService<PinService>();
        var panel = RenderPinned(bob, isModerator: false);
        panel.WaitForAssertion(() => Assert.Contains("Nothing is pinned yet", panel.Markup));

        Assert.True((await pins.PinAsync(moderator, (await SendAsync(moderator, "agenda")).Id)).Succeeded);
        panel.Render(p => p.Add(x => x.Room, new PinnedPanel.RoomPins(Room.GeneralRoomId, Room.GeneralRoomName, RoomKind.Public, 1, bob, false, null)));

        panel.WaitForAssertion(() => Assert.Contains("agenda", panel.Find(".hit").TextContent));
    }

    [Fact]
    public async Task The_saved_panel_lists_only_the_readers_saved_messages_and_unsaves()
    {
        var saved = Services.GetRequiredService<SavedMessages>();
        var mine = await SendAsync(moderator, "read this later");
        var theirs = await SendAsync(moderator, "moderator's bookmark");
        Assert.True((await saved.SaveAsync(bob, mine.Id)).Succeeded);
        Assert.True((await saved.SaveAsync(moderator, theirs.Id)).Succeeded);

        var panel = Render<SavedPanel>(p => p.Add(x => x.Me, bob).Add(x => x.TimeZone, TimeZoneInfo.Utc).Add(x => x.OnClose, EventCallback.Empty));

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("a.hit")));
        var link = panel.Find("a.hit");
        Assert.Equal($"chat/general?at={mine.Sequence}", link.GetAttribute("href"));
        Assert.Contains("read this later", link.TextContent);
        Assert.Contains("#general", link.TextContent);
        Assert.Contains("1 saved message", panel.Find("[role=status]").TextContent);

        panel.Find("button[aria-label=\"Unsave Ada Admin's message\"]").Click();
        panel.WaitForAssertion(() => Assert.Contains("Nothing saved yet", panel.Markup));
        Assert.Empty(await saved.GetSavedAsync(bob.Id));
    }
}

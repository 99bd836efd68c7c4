using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>How pins and saves reach open tabs: live room and user events, and the marks on pages read from history.</summary>
[Trait("Cost", "service")]
public sealed class PinnedTimelineTests : IAsyncLifetime
{
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private ChatUser bob = null!;
    private readonly List<ChatTab> tabs = [];

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(DatabaseProvider.Sqlite, options => options.RateLimit.Burst = 1000);
        alice = await chat.CreateUserAsync("Alice");
        bob = await chat.CreateUserAsync("Bob");
    }

    public async Task DisposeAsync()
    {
        tabs.ForEach(tab => tab.Dispose());
        await chat.DisposeAsync();
    }

    private PinService Pins => chat.Get<PinService>();

    private SavedMessages Saved => chat.Get<SavedMessages>();

    private async Task<ChatTab> OpenTabAsync(ChatUser reader)
    {
        var tab = await chat.OpenLiveTabAsync(reader, Room.GeneralRoomId);
        tabs.Add(tab);
        return tab;
    }

    private static ChatMessage Shown(ChatTab tab, long id) => tab.Room!.Timeline.Messages.Single(m => m.Id == id);


    private async Task<ChatMessage> SendAsync(ChatUser author, string text) =>
        (await chat.Messages.SendAsync(author, Room.GeneralRoomId, text, Guid.NewGuid())).Value!;

    [Fact]
    public async Task A_pin_reaches_every_open_tab_of_the_room_live_and_bumps_the_pinned_panel()
    {
        var message = await SendAsync(alice, "agenda");
        var bobTab = await OpenTabAsync(bob);
        var version = bobTab.Room!.PinsVersion;

        Assert.True((await Pins.PinAsync(alice, message.Id)).Succeeded);
        await ChatServices.EventuallyAsync(() => Shown(bobTab, message.Id).IsPinned);
        Assert.True(bobTab.Room.PinsVersion > version);

        Assert.True((await Pins.UnpinAsync(alice, message.Id)).Succeeded);
        await ChatServices.EventuallyAsync(() => !Shown(bobTab, message.Id).IsPinned);
    }

    [Fact]
    public async Task Pages_read_from_history_carry_the_pin_and_only_the_readers_own_saves()
    {
        var pinned = await SendAsync(alice, "pinned one");
        var saved = await SendAsync(alice, "saved by bob");
        Assert.True((await Pins.PinAsync(bob, pinned.Id)).Succeeded);
        Assert.True((await Saved.SaveAsync(bob, saved.Id)).Succeeded);

        var bobTab = await OpenTabAsync(bob);
        var aliceTab = await OpenTabAsync(alice);

        Assert.True(Shown(bobTab, pinned.Id).IsPinned);
        Assert.True(Shown(aliceTab, pinned.Id).IsPinned);
        Assert.True(Shown(bobTab, saved.Id).IsSaved);
        Assert.False(Shown(aliceTab, saved.Id).IsSaved);
        Assert.False(Shown(bobTab, pinned.Id).IsSaved);
    }

    [Fact]
    public async Task Saving_marks_the_message_in_the_savers_tabs_only()
    {
        var message = await SendAsync(alice, "read later");
        var bobTab = await OpenTabAsync(bob);
        var bobOtherTab = await OpenTabAsync(bob);
        var aliceTab = await OpenTabAsync(alice);

        Assert.True((await Saved.SaveAsync(bob, message.Id)).Succeeded);
        await ChatServices.EventuallyAsync(() => Shown(bobTab, message.Id).IsSaved && Shown(bobOtherTab, message.Id).IsSaved);
        Assert.False(Shown(aliceTab, message.Id).IsSaved);

        Assert.True((await Saved.UnsaveAsync(bob, message.Id)).Succeeded);
        await ChatServices.EventuallyAsync(() => !Shown(bobTab, message.Id).IsSaved && !Shown(bobOtherTab, message.Id).IsSaved);
    }

    [Fact]
    public async Task Deleting_a_pinned_message_takes_its_mark_away_live()
    {
        var message = await SendAsync(alice, "oops");
        Assert.True((await Pins.PinAsync(bob, message.Id)).Succeeded);
        var bobTab = await OpenTabAsync(bob);
        Assert.True(Shown(bobTab, message.Id).IsPinned);
        var version = bobTab.Room!.PinsVersion;

        Assert.True((await chat.Messages.DeleteAsync(alice, message.Id)).Succeeded);

        await ChatServices.EventuallyAsync(() => Shown(bobTab, message.Id).IsDeleted);
        Assert.False(Shown(bobTab, message.Id).IsPinned);
        Assert.True(bobTab.Room.PinsVersion > version);
    }
}

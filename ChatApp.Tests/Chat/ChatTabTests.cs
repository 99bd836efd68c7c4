using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>One tab's state against the real chat services on SQLite: live events in, sidebar and timeline out.</summary>
[Trait("Cost", "service")]
public sealed class ChatTabTests : IAsyncLifetime
{
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private ChatUser bob = null!;
    private readonly List<OpenRoom.Change> renders = [];

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(DatabaseProvider.Sqlite, options => options.RateLimit.Burst = 1000);
        alice = await chat.CreateUserAsync("Alice");
        bob = await chat.CreateUserAsync("Bob");
    }

    public async Task DisposeAsync() => await chat.DisposeAsync();

    private async Task<ChatTab> OpenTabAsync(ChatUser reader, int roomId)
    {
        var tab = await chat.OpenLiveTabAsync(reader, roomId, change => { lock (renders) { renders.Add(change); } });
        return tab;
    }


    private async Task<ChatMessage> SendAsync(ChatUser author, int roomId, string text)
    {
        var sent = await chat.Messages.SendAsync(author, roomId, text, Guid.NewGuid());
        Assert.True(sent.Succeeded, sent.Error);
        return sent.Value!;
    }

    [Fact]
    public async Task A_message_in_the_open_room_shows_live_and_one_elsewhere_counts_as_unread()
    {
        var design = (await chat.Rooms.CreateRoomAsync(alice, "design", RoomKind.Public, null)).Value!;
        Assert.True((await chat.Rooms.JoinAsync(bob, design.Id)).Succeeded);
        var tab = await OpenTabAsync(alice, Room.GeneralRoomId);

        await SendAsync(bob, Room.GeneralRoomId, "in general");
        await SendAsync(bob, design.Id, "in design");

        await ChatServices.EventuallyAsync(() => tab.Room!.Timeline.Messages.Any(m => m.Text == "in general") && tab.Sidebar.Find(design.Id)!.Unread == 1);
        Assert.Equal(0, tab.Sidebar.Find(Room.GeneralRoomId)!.Unread);
        Assert.DoesNotContain(tab.Room!.Timeline.Messages, m => m.Text == "in design");
        lock (renders)
        {
            Assert.Contains(renders, change => change.HasFlag(OpenRoom.Change.Messages));
        }
        tab.Dispose();
    }

    [Fact]
    public async Task A_reader_scrolled_up_or_in_a_hidden_tab_gets_an_unread_count_until_they_read()
    {
        var tab = await OpenTabAsync(alice, Room.GeneralRoomId);
        tab.PageVisible = false;

        var sent = await SendAsync(bob, Room.GeneralRoomId, "while hidden");

        await ChatServices.EventuallyAsync(() => tab.Sidebar.Find(Room.GeneralRoomId)!.Unread == 1);
        tab.PageVisible = true;
        tab.ReaderAtBottom(true);
        Assert.Equal(0, tab.Sidebar.Find(Room.GeneralRoomId)!.Unread);
        await ChatServices.EventuallyAsync(() => chat.Messages.CountUnreadAsync(alice.Id, Room.GeneralRoomId).Result == 0);
        Assert.Equal(sent.Sequence, tab.Sidebar.Find(Room.GeneralRoomId)!.LastReadSequence);
        tab.Dispose();
    }
}

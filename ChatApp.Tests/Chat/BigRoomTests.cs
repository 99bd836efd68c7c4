using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Chat;

/// <summary>
/// Big rooms (issue 16): who is online is refreshed once per interval rather than on every arrival, while small
/// rooms and direct messages still show it at once.
/// </summary>
[Trait("Cost", "service")]
public sealed class BigRoomTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly List<OpenRoom.Change> renders = [];
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private ChatUser bob = null!;
    private ChatUser carol = null!;

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(DatabaseProvider.Sqlite, options =>
        {
            options.BigRoomMembers = 2;
            options.BigRoomPresenceEvery = TimeSpan.FromSeconds(5);
        }, time);
        alice = await chat.CreateUserAsync("Alice");
        bob = await chat.CreateUserAsync("Bob");
        carol = await chat.CreateUserAsync("Carol");
    }

    public async Task DisposeAsync() => await chat.DisposeAsync();

    private int PageRenders
    {
        get
        {
            lock (renders)
            {
                return renders.Count(change => change.HasFlag(OpenRoom.Change.Page));
            }
        }
    }

    [Fact]
    public async Task Arrivals_in_a_big_room_render_the_page_once_per_interval()
    {
        // #general has three members here: a big room.
        var tab = await chat.OpenLiveTabAsync(alice, Room.GeneralRoomId, change => { lock (renders) { renders.Add(change); } });
        var before = PageRenders;

        chat.Notifier.Publish(new PresenceChanged(Room.GeneralRoomId, bob.Id, PresenceStatus.Online));
        chat.Notifier.Publish(new PresenceChanged(Room.GeneralRoomId, carol.Id, PresenceStatus.Online));
        await ChatServices.EventuallyAsync(() => tab.Sidebar.PresenceOf(carol.Id) == PresenceStatus.Online);
        Assert.Equal(before, PageRenders);

        time.Advance(TimeSpan.FromSeconds(5));
        await ChatServices.EventuallyAsync(() => PageRenders == before + 1);
        Assert.Equal(2, tab.Room!.OnlineCount(tab.Sidebar));
        tab.Dispose();
    }

    [Fact]
    public async Task A_small_room_shows_an_arrival_at_once()
    {
        var design = (await chat.Rooms.CreateRoomAsync(alice, "design", RoomKind.Public, null)).Value!;
        Assert.True((await chat.Rooms.JoinAsync(bob, design.Id)).Succeeded);
        var tab = await chat.OpenLiveTabAsync(alice, design.Id, change => { lock (renders) { renders.Add(change); } });
        var before = PageRenders;

        chat.Notifier.Publish(new PresenceChanged(design.Id, bob.Id, PresenceStatus.Online));

        await ChatServices.EventuallyAsync(() => PageRenders == before + 1);
        tab.Dispose();
    }
}

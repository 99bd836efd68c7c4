using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Chat;

/// <summary>
/// Read markers in a busy room (issue 16): a reader at the bottom of a room that gets a message every 150 ms saves
/// its marker once after 250 ms, then at most once per <see cref="ChatOptions.ReadMarkerInterval"/>, not once per
/// message; the reader's other tabs still follow, and nothing read is lost when the tab closes in between.
/// </summary>
[Trait("Cost", "service")]
public sealed class ReadMarkerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private ChatUser bob = null!;
    private RecordingRecipient markers = null!;

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(DatabaseProvider.Sqlite, options =>
        {
            options.RateLimit.Burst = 1000;
            options.ReadMarkerInterval = TimeSpan.FromSeconds(5);
        }, time);
        alice = await chat.CreateUserAsync("Alice");
        bob = await chat.CreateUserAsync("Bob");
        // Stands in for Alice's other devices: every saved read marker reaches them as an event.
        markers = new RecordingRecipient(alice.Id);
        chat.Notifier.SubscribeToUser(markers, markers.OnEventAsync);
    }

    public async Task DisposeAsync() => await chat.DisposeAsync();

    private List<ReadMarkerMoved> Saved => [.. markers.OfType<ReadMarkerMoved>().Where(m => m.RoomId == Room.GeneralRoomId)];

    /// <summary>Bob posts <paramref name="count"/> messages 150 ms apart; Alice's tab shows each before time moves on.</summary>
    private async Task<ChatMessage> PostBurstAsync(ChatTab reader, int count)
    {
        ChatMessage? last = null;
        for (var i = 0; i < count; i++)
        {
            var sent = await chat.Messages.SendAsync(bob, Room.GeneralRoomId, $"busy {i}", Guid.NewGuid());
            Assert.True(sent.Succeeded, sent.Error);
            last = sent.Value!;
            await ChatServices.EventuallyAsync(() => reader.Room!.Timeline.LastSequence == last.Sequence);
            time.Advance(TimeSpan.FromMilliseconds(150));
        }
        return last!;
    }

    [Fact]
    public async Task A_reader_of_a_busy_room_saves_the_marker_once_per_interval_not_once_per_message()
    {
        Assert.True((await chat.Messages.SendAsync(bob, Room.GeneralRoomId, "before", Guid.NewGuid())).Succeeded);
        var tab = await chat.OpenLiveTabAsync(alice, Room.GeneralRoomId);
        time.Advance(TimeSpan.FromSeconds(10));
        await ChatServices.EventuallyAsync(() => Saved.Count == 1); // opening the room
        var opened = Saved.Count;
        time.Advance(TimeSpan.FromSeconds(10)); // a quiet spell

        var last = await PostBurstAsync(tab, 12); // 1.8 s of messages

        // The first read after the quiet spell was saved 250 ms later; everything since waits for the interval.
        await ChatServices.EventuallyAsync(() => Saved.Count == opened + 1);
        Assert.True(Saved[^1].Sequence < last.Sequence);
        Assert.Equal(last.Sequence, tab.Sidebar.Find(Room.GeneralRoomId)!.LastReadSequence); // the tab itself shows it at once

        time.Advance(TimeSpan.FromSeconds(5));
        await ChatServices.EventuallyAsync(() => Saved.Count == opened + 2);
        Assert.Equal(last.Sequence, Saved[^1].Sequence);
        Assert.Equal(0, await chat.Messages.CountUnreadAsync(alice.Id, Room.GeneralRoomId));
        tab.Dispose();
    }

    [Fact]
    public async Task A_tab_closed_before_the_interval_still_saves_what_was_read()
    {
        Assert.True((await chat.Messages.SendAsync(bob, Room.GeneralRoomId, "before", Guid.NewGuid())).Succeeded);
        var tab = await chat.OpenLiveTabAsync(alice, Room.GeneralRoomId);
        time.Advance(TimeSpan.FromSeconds(10));
        await ChatServices.EventuallyAsync(() => Saved.Count == 1);
        var last = await PostBurstAsync(tab, 4);

        tab.Dispose();

        await ChatServices.EventuallyAsync(() => Saved.Count > 0 && Saved[^1].Sequence == last.Sequence);
        Assert.Equal(0, await chat.Messages.CountUnreadAsync(alice.Id, Room.GeneralRoomId));
    }

    [Fact]
    public async Task Reading_two_rooms_in_quick_succession_saves_both()
    {
        var design = (await chat.Rooms.CreateRoomAsync(alice, "design", RoomKind.Public, null)).Value!;
        Assert.True((await chat.Messages.SendAsync(bob, Room.GeneralRoomId, "in general", Guid.NewGuid())).Succeeded);
        Assert.True((await chat.Rooms.JoinAsync(bob, design.Id)).Succeeded);
        Assert.True((await chat.Messages.SendAsync(bob, design.Id, "in design", Guid.NewGuid())).Succeeded);
        var tab = await chat.OpenLiveTabAsync(alice, Room.GeneralRoomId);

        await tab.OpenAsync((await chat.Membership.GetVisibleRoomAsync(alice.Id, design.Id))!);
        time.Advance(TimeSpan.FromSeconds(1));

        await ChatServices.EventuallyAsync(() => markers.OfType<ReadMarkerMoved>().Select(m => m.RoomId).Distinct().Count() == 2);
        Assert.Equal(0, await chat.Messages.CountUnreadAsync(alice.Id, Room.GeneralRoomId));
        Assert.Equal(0, await chat.Messages.CountUnreadAsync(alice.Id, design.Id));
        tab.Dispose();
    }
}

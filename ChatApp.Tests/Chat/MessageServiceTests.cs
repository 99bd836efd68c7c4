using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

[Trait("Cost", "service")]
public class MessageServiceTests : IAsyncLifetime
{
    private readonly DatabaseProvider provider;
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private ChatUser bob = null!;

    public MessageServiceTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected MessageServiceTests(DatabaseProvider provider) => this.provider = provider;

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(provider, options => options.RateLimit.Burst = 1000);
        alice = await chat.CreateUserAsync("Alice");
        bob = await chat.CreateUserAsync("Bob");
    }

    public async Task DisposeAsync() => await chat.DisposeAsync();

    private async Task<ChatMessage> SendAsync(ChatUser author, string text, int roomId = Room.GeneralRoomId)
    {
        var result = await chat.Messages.SendAsync(author, roomId, text, Guid.NewGuid());
        Assert.True(result.Succeeded, result.Error);
        return result.Value!;
    }

    [Fact]
    public async Task Control_characters_other_than_line_breaks_and_tabs_are_not_stored()
    {
        var sent = await SendAsync(alice, "nul\0 and\u0002 marks\u0003\tkept\nlines");

        await using var db = chat.CreateDbContext();
        Assert.Equal("nul and marks\tkept\nlines", (await db.Messages.SingleAsync(m => m.Id == sent.Id)).Text);
    }

    [Fact]
    public async Task Paging_back_through_history_returns_every_message_once_in_order()
    {
        for (var i = 1; i <= 120; i++)
        {
            await SendAsync(i % 2 == 0 ? alice : bob, $"message {i}");
        }

        var pages = new List<IReadOnlyList<ChatMessage>> { await chat.Messages.GetLatestAsync(bob.Id, Room.GeneralRoomId) };
        while (pages[^1].Count == chat.Options.HistoryPageSize)
        {
            pages.Add(await chat.Messages.GetBeforeAsync(bob.Id, Room.GeneralRoomId, pages[^1][0].Sequence));
        }

        Assert.Equal([50, 50, 20], pages.Select(p => p.Count));
        var all = pages.AsEnumerable().Reverse().SelectMany(p => p).Select(m => m.Text).ToList();
        Assert.Equal(Enumerable.Range(1, 120).Select(i => $"message {i}"), all);
    }

    [Fact]
    public async Task Sequences_are_dense_per_room_even_when_senders_race()
    {
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => SendAsync(i % 2 == 0 ? alice : bob, $"race {i}")));

        await using var db = chat.CreateDbContext();
        var sequences = await db.Messages.Where(m => m.RoomId == Room.GeneralRoomId).OrderBy(m => m.Sequence).Select(m => m.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), sequences);
    }

    [Fact]
    public async Task Catch_up_returns_exactly_what_came_after_the_last_seen_sequence()
    {
        var seen = await SendAsync(alice, "seen");
        var missed = new[] { await SendAsync(alice, "m1"), await SendAsync(bob, "m2"), await SendAsync(alice, "m3") };

        var caughtUp = await chat.Messages.GetAfterAsync(bob.Id, Room.GeneralRoomId, seen.Sequence);

        Assert.Equal(missed.Select(m => m.Sequence), caughtUp.Select(m => m.Sequence));
    }

    [Fact]
    public async Task A_repeated_submit_stores_one_message_and_uses_no_sequence()
    {
        var clientId = Guid.NewGuid();

        var first = await chat.Messages.SendAsync(alice, Room.GeneralRoomId, "  hello  ", clientId);
        var second = await chat.Messages.SendAsync(alice, Room.GeneralRoomId, "  hello  ", clientId);

        Assert.Equal(first.Value!.Id, second.Value!.Id);
        Assert.Equal("hello", first.Value.Text);
        await using var db = chat.CreateDbContext();
        var stored = await db.Messages.SingleAsync();
        Assert.Equal(alice.Id, stored.AuthorId);
        // The refused second insert did not use up a sequence number.
        Assert.Equal(first.Value.Sequence + 1, (await SendAsync(alice, "next")).Sequence);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public async Task Blank_messages_are_not_sent(string text)
    {
        var result = await chat.Messages.SendAsync(alice, Room.GeneralRoomId, text, Guid.NewGuid());

        Assert.Equal("Type a message first.", result.Error);
        await using var db = chat.CreateDbContext();
        Assert.False(await db.Messages.AnyAsync());
    }

    [Fact]
    public async Task Messages_longer_than_the_limit_are_refused_with_a_clear_reason()
    {
        var result = await chat.Messages.SendAsync(alice, Room.GeneralRoomId, new string('x', 4001), Guid.NewGuid());

        Assert.Equal("Messages can be at most 4,000 characters; this one has 4,001. Shorten it and send again.", result.Error);
        Assert.True((await chat.Messages.SendAsync(alice, Room.GeneralRoomId, new string('x', 4000), Guid.NewGuid())).Succeeded);
    }

    [Fact]
    public async Task Only_the_author_edits_or_deletes_and_deletion_keeps_the_place_in_history()
    {
        var message = await SendAsync(alice, "original");

        Assert.Equal("You can only edit your own messages.", (await chat.Messages.EditAsync(bob, message.Id, "changed")).Error);
        Assert.Equal("You can only delete your own messages.", (await chat.Messages.DeleteAsync(bob, message.Id)).Error);
        Assert.True((await chat.Messages.EditAsync(alice, message.Id, "changed")).Succeeded);
        var edited = (await chat.Messages.GetLatestAsync(bob.Id, Room.GeneralRoomId)).Single();
        Assert.Equal("changed", edited.Text);
        Assert.NotNull(edited.EditedAt);

        Assert.True((await chat.Messages.DeleteAsync(alice, message.Id)).Succeeded);
        var deleted = (await chat.Messages.GetLatestAsync(bob.Id, Room.GeneralRoomId)).Single();
        Assert.True(deleted.IsDeleted);
        Assert.Equal("", deleted.Text);
        Assert.Equal(ChatResult.MessageNotFound, (await chat.Messages.EditAsync(alice, message.Id, "back")).Error);
    }

    [Fact]
    public async Task Unread_counts_follow_the_read_marker_deletions_and_own_messages()
    {
        await SendAsync(bob, "my own message does not count");
        var first = await SendAsync(alice, "one");
        await SendAsync(alice, "two");
        var third = await SendAsync(alice, "three");

        Assert.Equal(3, await chat.Messages.CountUnreadAsync(bob.Id, Room.GeneralRoomId));
        await chat.Messages.DeleteAsync(alice, third.Id);
        Assert.Equal(2, await chat.Messages.CountUnreadAsync(bob.Id, Room.GeneralRoomId));
        await chat.Messages.MarkReadAsync(bob.Id, Room.GeneralRoomId, first.Sequence);
        Assert.Equal(1, await chat.Messages.CountUnreadAsync(bob.Id, Room.GeneralRoomId));
        Assert.Equal(1, (await chat.Rooms.GetSidebarAsync(bob.Id)).Single(r => r.Id == Room.GeneralRoomId).Unread);
        await chat.Messages.MarkReadAsync(bob.Id, Room.GeneralRoomId, long.MaxValue);
        Assert.Equal(0, await chat.Messages.CountUnreadAsync(bob.Id, Room.GeneralRoomId));
        Assert.Equal(0, await chat.Messages.CountUnreadAsync(alice.Id, Room.GeneralRoomId));
    }

    [Fact]
    public async Task Sending_too_fast_is_refused_without_storing_anything()
    {
        await using var limited = await ChatServices.StartAsync(provider, options =>
        {
            options.RateLimit.Burst = 3;
            options.RateLimit.MessagesPerSecond = 0.001;
        });
        var carol = await limited.CreateUserAsync("Carol");

        var results = new List<ChatResult>();
        for (var i = 0; i < 5; i++)
        {
            results.Add(await limited.Messages.SendAsync(carol, Room.GeneralRoomId, $"flood {i}", Guid.NewGuid()));
        }

        Assert.Equal(3, results.Count(r => r.Succeeded));
        Assert.All(results.Skip(3), r => Assert.Equal(MessageService.SlowDown, r.Error));
        await using var db = limited.CreateDbContext();
        Assert.Equal(3, await db.Messages.CountAsync());
    }

    [Fact]
    public async Task A_muted_member_can_neither_edit_nor_react_and_readers_see_no_change()
    {
        var old = await SendAsync(bob, "what I said before");
        var alicesTab = new RecordingRecipient(alice.Id);
        using var subscription = chat.Notifier.SubscribeToRoom(Room.GeneralRoomId, alicesTab, alicesTab.OnEventAsync);
        await chat.MuteAsync(Room.GeneralRoomId, bob.Id, DateTime.UtcNow.AddHours(1));

        var edit = await chat.Messages.EditAsync(bob, old.Id, "rewritten while muted");
        var react = await chat.Reactions.ToggleAsync(bob, old.Id, "👍");

        Assert.StartsWith("A moderator muted you in this room", edit.Error);
        Assert.StartsWith("A moderator muted you in this room", react.Error);
        Assert.Empty(alicesTab.OfType<MessageEdited>());
        Assert.Empty(alicesTab.OfType<ReactionsChanged>());
        var stored = (await chat.Messages.GetLatestAsync(alice.Id, Room.GeneralRoomId)).Single();
        Assert.Equal(("what I said before", 0), (stored.Text, stored.Reactions.Count));
    }

    [Fact]
    public async Task Editing_and_reacting_in_an_archived_or_read_only_room_are_refused()
    {
        var message = await SendAsync(bob, "before the freeze");
        var state = (await chat.Membership.GetStateAsync(Room.GeneralRoomId))!;
        chat.Membership.RoomChanged(Room.GeneralRoomId, state.Name, state.Topic, isReadOnly: true, isArchived: false);

        Assert.Equal("This room is read-only: only admins post here.", (await chat.Messages.EditAsync(bob, message.Id, "after")).Error);
        Assert.Equal("This room is read-only: only admins post here.", (await chat.Reactions.ToggleAsync(alice, message.Id, "👍")).Error);
    }

    [Fact]
    public async Task Sends_edits_and_reactions_share_one_rate_limit()
    {
        await using var limited = await ChatServices.StartAsync(provider, options =>
        {
            options.RateLimit.Burst = 3;
            options.RateLimit.MessagesPerSecond = 0.001;
        });
        var carol = await limited.CreateUserAsync("Carol");
        var sent = (await limited.Messages.SendAsync(carol, Room.GeneralRoomId, "one", Guid.NewGuid())).Value!;
        Assert.True((await limited.Messages.EditAsync(carol, sent.Id, "two")).Succeeded);
        Assert.True((await limited.Reactions.ToggleAsync(carol, sent.Id, "👍")).Succeeded);

        Assert.Equal(MessageService.SlowDown, (await limited.Messages.EditAsync(carol, sent.Id, "edit in a loop")).Error);
        Assert.Equal(MessageService.SlowDown, (await limited.Reactions.ToggleAsync(carol, sent.Id, "🎉")).Error);
        Assert.Equal(MessageService.SlowDown, (await limited.Messages.SendAsync(carol, Room.GeneralRoomId, "three", Guid.NewGuid())).Error);
        Assert.Equal("two", (await limited.Messages.GetLatestAsync(carol.Id, Room.GeneralRoomId)).Single().Text);
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "service")]
public sealed class MessageServiceTestsOnPostgres() : MessageServiceTests(DatabaseProvider.Postgres);

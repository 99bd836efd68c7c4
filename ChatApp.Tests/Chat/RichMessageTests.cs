using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

[Trait("Cost", "service")]
public class RichMessageTests : IAsyncLifetime
{
    private readonly DatabaseProvider provider;
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private ChatUser bob = null!;
    private ChatUser carol = null!;

    public RichMessageTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected RichMessageTests(DatabaseProvider provider) => this.provider = provider;

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(provider, options => options.RateLimit.Burst = 1000);
        alice = await chat.CreateUserAsync("Alice Smith");
        bob = await chat.CreateUserAsync("Bob");
        carol = await chat.CreateUserAsync("Carol");
    }

    public async Task DisposeAsync() => await chat.DisposeAsync();

    private async Task<ChatMessage> SendAsync(ChatUser author, string text, int roomId = Room.GeneralRoomId, long? replyTo = null)
    {
        var result = await chat.Messages.SendAsync(author, roomId, text, Guid.NewGuid(), new MessageService.SendOptions(replyTo));
        Assert.True(result.Succeeded, result.Error);
        return result.Value!;
    }

    [Fact]
    public async Task Mentions_of_members_are_stored_counted_apart_and_listed_and_others_do_nothing()
    {
        var secret = (await chat.Rooms.CreateRoomAsync(alice, "secret", RoomKind.Private, null)).Value!;
        await chat.Rooms.InviteAsync(alice, secret.Id, bob.Id);

        var message = await SendAsync(alice, "@bob and @Carol, look", secret.Id);
        await SendAsync(alice, "no mention here", secret.Id);

        Assert.Equal([bob.Id], message.MentionedUserIds);
        Assert.True(message.Mentions(bob.Id));
        Assert.False(message.Mentions(carol.Id));
        Assert.Equal(1, await chat.Messages.CountUnreadMentionsAsync(bob.Id, secret.Id));
        Assert.Equal(2, await chat.Messages.CountUnreadAsync(bob.Id, secret.Id));
        Assert.Equal(1, (await chat.Rooms.GetSidebarAsync(bob.Id)).Single(r => r.Id == secret.Id).UnreadMentions);
        Assert.Empty(await chat.Messages.GetMentionsAsync(carol.Id));
        Assert.Single(await chat.Messages.GetMentionsAsync(bob.Id));

        await chat.Rooms.LeaveAsync(bob, secret.Id);
        Assert.Empty(await chat.Messages.GetMentionsAsync(bob.Id));
    }

    [Fact]
    public async Task At_room_mentions_everyone_in_the_room_but_the_author()
    {
        var message = await SendAsync(alice, "standup in 5, @room");

        Assert.True(message.MentionsRoom);
        Assert.True(message.Mentions(bob.Id));
        Assert.False(message.Mentions(alice.Id));
        Assert.Equal(1, await chat.Messages.CountUnreadMentionsAsync(carol.Id, Room.GeneralRoomId));
    }

    [Fact]
    public async Task Reactions_toggle_per_person_and_reach_the_room_live()
    {
        var message = await SendAsync(alice, "ship it?");
        var bobTab = new RecordingRecipient(bob.Id);
        using var subscription = chat.Notifier.SubscribeToRoom(Room.GeneralRoomId, bobTab, bobTab.OnEventAsync);

        Assert.True((await chat.Reactions.ToggleAsync(bob, message.Id, "🎉")).Succeeded);
        Assert.True((await chat.Reactions.ToggleAsync(carol, message.Id, "🎉")).Succeeded);
        Assert.True((await chat.Reactions.ToggleAsync(carol, message.Id, "👍")).Succeeded);
        Assert.True((await chat.Reactions.ToggleAsync(carol, message.Id, "👍")).Succeeded);

        var reactions = (await chat.Messages.GetLatestAsync(alice.Id, Room.GeneralRoomId)).Single().Reactions;
        var party = Assert.Single(reactions);
        Assert.Equal(("🎉", 2), (party.Emoji, party.Count));
        Assert.Equal(["Bob", "Carol"], party.Names);
        Assert.Equal(4, bobTab.OfType<ReactionsChanged>().Count());
        Assert.Equal("That reaction is not available.", (await chat.Reactions.ToggleAsync(bob, message.Id, "<b>")).Error);
    }

    [Fact]
    public async Task Non_members_cannot_react_and_replies_must_stay_in_the_room()
    {
        var secret = (await chat.Rooms.CreateRoomAsync(alice, "secret", RoomKind.Private, null)).Value!;
        var hidden = await SendAsync(alice, "classified", secret.Id);

        Assert.Equal(ChatResult.MessageNotFound, (await chat.Reactions.ToggleAsync(bob, hidden.Id, "👍")).Error);
        var crossRoom = await chat.Messages.SendAsync(bob, Room.GeneralRoomId, "quoting", Guid.NewGuid(), new MessageService.SendOptions(hidden.Id));
        Assert.Equal("The message you are replying to is not in this room.", crossRoom.Error);
    }

    [Fact]
    public async Task A_reply_quotes_its_original_and_says_so_when_the_original_is_deleted()
    {
        var original = await SendAsync(alice, new string('x', 200));
        var reply = await SendAsync(bob, "agreed", replyTo: original.Id);

        Assert.Equal(("Alice Smith", original.Sequence, false), (reply.ReplyTo!.AuthorName, reply.ReplyTo.Sequence, reply.ReplyTo.IsDeleted));
        Assert.Equal(ReplySnippet.Length + 1, reply.ReplyTo.Text.Length);

        await chat.Messages.DeleteAsync(alice, original.Id);
        var reloaded = (await chat.Messages.GetLatestAsync(carol.Id, Room.GeneralRoomId)).Single(m => m.Id == reply.Id);
        Assert.True(reloaded.ReplyTo!.IsDeleted);
        Assert.Equal("", reloaded.ReplyTo.Text);
    }

    [Fact]
    public async Task Search_finds_words_newest_first_with_safe_highlights_in_readable_rooms_only()
    {
        var secret = (await chat.Rooms.CreateRoomAsync(alice, "secret", RoomKind.Private, null)).Value!;
        await SendAsync(alice, "The deploy is green");
        await SendAsync(alice, "deploy <script>alert(1)</script> again");
        await SendAsync(alice, "secret deploy plan", secret.Id);
        var deleted = await SendAsync(alice, "deploy to be deleted");
        await chat.Messages.DeleteAsync(alice, deleted.Id);

        var forBob = await chat.Search.SearchAsync(bob.Id, "deplo");
        var forAlice = await chat.Search.SearchAsync(alice.Id, "deploy");
        var inRoom = await chat.Search.SearchAsync(alice.Id, "deploy", secret.Id);

        Assert.Equal(2, forBob.Total);
        Assert.Equal("<mark>deploy</mark> &lt;script&gt;alert(1)&lt;/script&gt; again", forBob.Items[0].SnippetHtml);
        Assert.Equal("The <mark>deploy</mark> is green", forBob.Items[1].SnippetHtml);
        Assert.Equal(3, forAlice.Total);
        Assert.Equal("secret", Assert.Single(inRoom.Items).RoomName);
        Assert.Empty((await chat.Search.SearchAsync(bob.Id, "plan", secret.Id)).Items);

        await chat.Rooms.LeaveAsync(bob, Room.GeneralRoomId);
        Assert.Equal(0, (await chat.Search.SearchAsync(bob.Id, "deploy")).Total);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("deploy OR secret")]
    [InlineData("NEAR(a b)")]
    [InlineData("*")]
    [InlineData("col:deploy")]
    [InlineData("'")]
    [InlineData("\\")]
    [InlineData("!(a | b)")]
    public async Task Search_input_is_never_taken_as_query_syntax(string query)
    {
        await SendAsync(alice, "deploy");

        var result = await chat.Search.SearchAsync(bob.Id, query);

        Assert.True(result.Total >= 0);
    }

    [Theory]
    [InlineData("deploy", 1)]
    [InlineData("DEPLOY", 1)]
    [InlineData("dep", 1)]
    [InlineData("don't", 1)]
    [InlineData("deploy | stop", 0)]
    [InlineData("deploy & !stop", 0)]
    [InlineData("deploy <-> stop", 0)]
    [InlineData("'deploy':*", 1)]
    public async Task Search_takes_every_word_as_required_text_whatever_operators_it_contains(string query, int expected)
    {
        await SendAsync(alice, "deploy");
        await SendAsync(alice, "don't stop");

        Assert.Equal(expected, (await chat.Search.SearchAsync(bob.Id, query)).Total);
    }

    [Fact]
    public async Task Search_pages_through_results()
    {
        for (var i = 0; i < 25; i++)
        {
            await SendAsync(alice, $"release note {i}");
        }

        var first = await chat.Search.SearchAsync(bob.Id, "release", take: 10);
        var third = await chat.Search.SearchAsync(bob.Id, "release", skip: 20, take: 10);

        Assert.Equal(25, first.Total);
        Assert.Equal("release note 24", first.Items[0].SnippetHtml.Replace("<mark>", "").Replace("</mark>", ""));
        Assert.Equal(5, third.Items.Count);
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "service")]
public sealed class RichMessageTestsOnPostgres() : RichMessageTests(DatabaseProvider.Postgres);

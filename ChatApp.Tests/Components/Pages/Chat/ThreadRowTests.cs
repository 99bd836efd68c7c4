using Bunit;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;

namespace ChatApp.Components.Pages.Chat;

/// <summary>How the room's message list shows threads: a summary under the root, thread-only replies left out.</summary>
[Trait("Cost", "component")]
public sealed class ThreadRowTests : ChatComponentContext
{
    private static readonly DateTime Noon = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    private (long RootId, long? Reply)? opened;

    private static ChatMessage Message(long sequence, string authorId, string author, string text) =>
        new(sequence * 10, 1, sequence, authorId, author, text, Noon.AddMinutes(sequence), null, false);

    private MessageRowContext Context(bool inThread = false)
    {
        var context = new MessageRowContext
        {
            MeId = "alice",
            CanModerate = false,
            TimeZone = TimeZoneInfo.Utc,
            Edit = (_, _) => Task.FromResult<string?>(null),
            OpenThread = EventCallback.Factory.Create<(long, long?)>(this, at => opened = at),
        };
        return inThread ? context.ForThread(default, default) : context;
    }

    private IRenderedComponent<MessageList> RenderList(params ChatMessage[] messages) => Render<MessageList>(p => p
        .Add(x => x.Context, Context())
        .Add(x => x.Messages, messages)
        .Add(x => x.RoomTitle, "general"));

    [Fact]
    public void The_room_leaves_thread_only_replies_out_and_marks_replies_also_sent_to_it()
    {
        var root = Message(1, "alice", "Alice", "release today") with { Thread = new ThreadSummary(2, Noon.AddMinutes(3), ["Bob"]) };
        var list = RenderList(
            root,
            Message(2, "bob", "Bob", "only in the thread") with { ThreadRootId = root.Id },
            Message(3, "bob", "Bob", "also in the room") with { ThreadRootId = root.Id, AlsoInRoom = true },
            Message(4, "carol", "Carol", "next topic"));

        var texts = list.FindAll("article .message-text").Select(t => t.TextContent.Trim()).ToList();
        Assert.Equal(["release today", "also in the room", "next topic"], texts);

        list.Find("article[data-sequence='3'] .thread-link").Press();
        Assert.Equal((root.Id, (long?)3), opened);
    }

    [Fact]
    public void The_root_shows_how_many_replies_by_whom_and_opens_its_thread()
    {
        var root = Message(1, "alice", "Alice", "design review") with { Thread = new ThreadSummary(3, Noon.AddMinutes(5), ["Bob", "Carol"]) };
        var list = RenderList(root, Message(5, "carol", "Carol", "unrelated"));

        var summary = list.Find("article[data-sequence='1'] .thread-summary");
        Assert.Contains("3 replies", summary.TextContent);
        Assert.Contains("Bob, Carol", summary.TextContent);
        Assert.Contains("12:05", summary.TextContent);
        Assert.Empty(list.FindAll("article[data-sequence='5'] .thread-summary"));

        summary.Press();
        Assert.Equal((root.Id, (long?)null), opened);
        // Every top-level message offers a thread; the action opens it too.
        list.Find("article[data-sequence='5'] button[aria-label='Reply in thread']").Press();
        Assert.Equal((50L, (long?)null), opened);
    }

    [Fact]
    public void Rows_inside_the_thread_panel_offer_no_thread_of_their_own()
    {
        var root = Message(1, "alice", "Alice", "root") with { Thread = new ThreadSummary(1, Noon, ["Bob"]) };
        var item = Render<MessageItem>(p => p.Add(x => x.Context, Context(inThread: true)).Add(x => x.Message, root));

        Assert.Empty(item.FindAll(".thread-summary"));
        Assert.Empty(item.FindAll("button[aria-label='Reply in thread']"));
        Assert.NotNull(item.Find("button[aria-label='Reply']"));
    }
}

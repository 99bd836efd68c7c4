using Bunit;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Components.Pages.Chat;

[Trait("Cost", "component")]
public sealed class MessageListTests : ChatComponentContext
{
    private static readonly DateTime Noon = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    private static ChatMessage Message(long sequence, string authorId, string author, string text, DateTime? editedAt = null, bool deleted = false) =>
        new(sequence, 1, sequence, authorId, author, deleted ? "" : text, Noon.AddMinutes(sequence * 10), editedAt, deleted);

    /// <summary>What the page cascades to every row: alice reading, in UTC.</summary>
    private static MessageRowContext Context(Func<ChatMessage, string, Task<string?>>? edit = null, Action<(ChatMessage, string)>? react = null,
        IReadOnlyDictionary<string, string>? members = null) => new()
    {
        MeId = "alice",
        CanModerate = false,
        TimeZone = TimeZoneInfo.Utc,
        Members = members ?? new Dictionary<string, string>(),
        Edit = edit ?? ((_, _) => Task.FromResult<string?>(null)),
        React = react is null ? default : Microsoft.AspNetCore.Components.EventCallback.Factory.Create(new object(), react),
    };

    private IRenderedComponent<MessageList> RenderList(params ChatMessage[] messages) => RenderList(Context(), messages);

    private IRenderedComponent<MessageList> RenderList(MessageRowContext context, ChatMessage[] messages, bool hasOlder = false) => Render<MessageList>(p => p
        .Add(x => x.Context, context)
        .Add(x => x.Messages, messages)
        .Add(x => x.RoomTitle, "general")
        .Add(x => x.HasOlder, hasOlder));

    [Fact]
    public void Is_an_accessible_log_of_articles_with_author_and_text()
    {
        var list = RenderList(Message(1, "alice", "Alice", "Hi Bob"), Message(2, "bob", "Bob", "Hi <b>Alice</b>"));

        var log = list.Find("[role=log]");
        Assert.Equal("Messages", log.GetAttribute("aria-label"));
        var articles = list.FindAll("article");
        Assert.Equal(2, articles.Count);
        Assert.Contains("Alice", articles[0].TextContent);
        Assert.Contains("Hi Bob", articles[0].TextContent);
        // User text is rendered as text: the markup arrives as characters, not as an element.
        Assert.Empty(articles[1].QuerySelectorAll(".message-text b"));
        Assert.Contains("Hi <b>Alice</b>", articles[1].TextContent);
    }

    [Fact]
    public void Shows_edit_and_delete_on_own_messages_only()
    {
        var list = RenderList(Message(1, "alice", "Alice", "mine"), Message(2, "bob", "Bob", "theirs"));

        var articles = list.FindAll("article");
        Assert.NotNull(articles[0].QuerySelector("button[aria-label='Edit message']"));
        Assert.NotNull(articles[0].QuerySelector("button[aria-label='Delete message']"));
        Assert.Null(articles[1].QuerySelector("button[aria-label='Edit message']"));
        Assert.Null(articles[1].QuerySelector("button[aria-label='Delete message']"));
        Assert.Null(articles[1].QuerySelector("button[aria-label='Remove message']"));
        // Everyone can reply and react.
        Assert.NotNull(articles[1].QuerySelector("button[aria-label='Reply']"));
    }

    [Fact]
    public void The_reaction_choices_exist_only_while_the_picker_is_open_and_a_choice_reacts_and_closes_it()
    {
        (ChatMessage Message, string Emoji)? reacted = null;
        var list = RenderList(Context(react: r => reacted = r), [Message(1, "bob", "Bob", "lunch?")]);

        // Closed: one button, no choices in the render tree (every open tab keeps every message's tree).
        Assert.Empty(list.FindAll(".reaction-choice"));
        var toggle = list.Find("button[aria-label='Add reaction']");
        Assert.Equal("false", toggle.GetAttribute("aria-expanded"));

        toggle.Press();
        Assert.Equal(8, list.FindAll(".reaction-choice").Count);
        Assert.Equal("true", list.Find("button[aria-label='Add reaction']").GetAttribute("aria-expanded"));

        list.Find("button[aria-label='React with 👍']").Press();
        Assert.Equal("👍", reacted?.Emoji);
        Assert.Empty(list.FindAll(".reaction-choice"));

        // Escape closes it without reacting.
        list.Find("button[aria-label='Add reaction']").Press();
        list.Find(".reaction-choices").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" });
        Assert.Empty(list.FindAll(".reaction-choice"));
    }

    [Fact]
    public void A_click_on_a_carried_row_its_circuit_has_not_taken_in_yet_takes_the_carried_rows_over_and_acts_on_it()
    {
        // Row 2 came over the row feed; the circuit has not merged it yet (Chat:LiveRowsCircuitWait), so the list
        // knows only row 1 and no row is carried as far as it knows (NativeThrough null).
        var messages = new List<ChatMessage> { Message(1, "bob", "Bob", "shown") };
        var tookOver = 0;
        var list = Render<MessageList>(p => p
            .Add(x => x.Context, Context())
            .Add(x => x.Messages, messages)
            .Add(x => x.RoomTitle, "general")
            .Add(x => x.OnShowCarried, () => { tookOver++; messages.Add(Message(2, "bob", "Bob", "carried")); }));

        list.Find("[role=log]").TriggerEvent("onrowaction", new RowActionEventArgs { Action = "picker", Sequence = 2 });

        Assert.Equal(1, tookOver);
        Assert.Equal("true", list.FindAll("button[aria-label='Add reaction']")[1].GetAttribute("aria-expanded"));
    }

    [Fact]
    public void Marks_edited_and_deleted_messages()
    {
        var list = RenderList(Message(1, "bob", "Bob", "fixed typo", editedAt: Noon), Message(2, "bob", "Bob", "gone", deleted: true));

        var articles = list.FindAll("article");
        Assert.Contains("(edited)", articles[0].TextContent);
        Assert.Contains("message deleted", articles[1].TextContent);
        Assert.DoesNotContain("gone", articles[1].TextContent);
    }

    [Fact]
    public void Offers_older_history_until_the_beginning_is_reached()
    {
        var withOlder = RenderList(Context(), [Message(51, "bob", "Bob", "x")], hasOlder: true);
        Assert.Equal("Load older messages", withOlder.Find(".history-start button").TextContent.Trim());

        var atStart = RenderList(Message(1, "bob", "Bob", "x"));
        Assert.Contains("very beginning of general", atStart.Find(".history-start").TextContent);
    }

    [Fact]
    public void Saving_an_edit_passes_the_new_text_and_shows_a_refusal()
    {
        (ChatMessage Message, string Text)? saved = null;
        var list = RenderList(Context(edit: (message, text) =>
        {
            saved = (message, text);
            return Task.FromResult<string?>("You can only edit your own messages.");
        }), [Message(1, "alice", "Alice", "draft")]);

        list.Find("button[aria-label='Edit message']").Press();
        list.Find("textarea").Input("final");
        list.Find("form.message-edit").Submit();

        Assert.Equal("final", saved?.Text);
        Assert.Equal("You can only edit your own messages.", list.Find("[role=alert]").TextContent);
        Assert.Equal("final", list.Find("textarea").GetAttribute("value"));
    }

    [Fact]
    public void Renders_markdown_through_the_formatter_and_marks_a_mention_of_the_reader()
    {
        var list = RenderList(Context(members: new Dictionary<string, string> { ["alice"] = "alice", ["bob"] = "bob" }),
            [Message(1, "bob", "Bob", "**hi** @alice <img src=x onerror=alert(1)>") with { MentionedUserIds = ["alice"] }]);

        var article = list.Find("article");
        Assert.Contains("mentions-me", article.ClassList);
        Assert.Equal("hi", article.QuerySelector(".message-text strong")!.TextContent);
        Assert.Equal("@alice", article.QuerySelector(".mention-me")!.TextContent);
        Assert.Empty(article.QuerySelectorAll("img"));
    }
}

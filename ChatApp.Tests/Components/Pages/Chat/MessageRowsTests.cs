using Bunit;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// Shared message rows (issue 16): one HTML string per message version and kind of reader, reused by every tab that
/// shows it, and still what that reader may see and do: the author's own buttons, a moderator's, their mention.
/// </summary>
[Trait("Cost", "component")]
public sealed class MessageRowsTests : ChatComponentContext
{
    private static readonly DateTime Noon = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    private MessageRows Rows => Services.GetRequiredService<MessageRows>();

    private static MessageRowContext Reader(string id, bool moderator = false) => new()
    {
        MeId = id,
        CanModerate = moderator,
        TimeZone = TimeZoneInfo.Utc,
        Members = new Dictionary<string, string> { ["alice"] = "alice", ["bob"] = "bob", ["carol"] = "carol", ["room"] = "room" },
        Edit = (_, _) => Task.FromResult<string?>(null),
    };

    private static ChatMessage Message(string text, string author = "alice") => new(7, 1, 7, author, author, text, Noon, null, false);

    private string Html(ChatMessage message, MessageRowContext reader) => Rows.Html(message, reader, continued: false, highlighted: false).Value;

    [Fact]
    public void Readers_with_nothing_of_their_own_on_a_row_share_one_string_and_a_copy_of_the_message_finds_it()
    {
        var message = Message("lunch at noon?");

        var bob = Html(message, Reader("bob"));
        var carol = Html(message, Reader("carol"));
        var carolsCopy = Html(message with { }, Reader("carol")); // the same version loaded by another tab

        Assert.Same(bob, carol);
        Assert.Same(bob, carolsCopy);
        Assert.DoesNotContain("Edit message", bob);
        Assert.DoesNotContain("Remove message", bob);
    }

    [Fact]
    public void The_author_and_a_moderator_get_their_own_buttons()
    {
        var message = Message("lunch at noon?");

        Assert.Contains("aria-label=\"Edit message\"", Html(message, Reader("alice")));
        Assert.Contains("aria-label=\"Delete message\"", Html(message, Reader("alice")));
        Assert.Contains("aria-label=\"Remove message\"", Html(message, Reader("carol", moderator: true)));
        Assert.DoesNotContain("Edit message", Html(message, Reader("carol", moderator: true)));
    }

    [Fact]
    public void A_mention_by_name_marks_only_that_reader_and_an_at_room_marks_everyone_but_the_author_from_one_string()
    {
        var byName = Message("@bob can you look?") with { MentionedUserIds = ["bob"] };
        Assert.Contains("mentions-me", Html(byName, Reader("bob")));
        Assert.DoesNotContain("mentions-me", Html(byName, Reader("carol")));

        var atRoom = Message("@room release at five") with { MentionsRoom = true };
        var bob = Html(atRoom, Reader("bob"));
        Assert.Contains("mentions-me", bob);
        Assert.Same(bob, Html(atRoom, Reader("carol")));
        Assert.DoesNotContain("mentions-me", Html(atRoom, Reader("alice")));
    }

    [Fact]
    public void A_new_version_of_a_message_renders_anew()
    {
        var message = Message("first");
        var before = Html(message, Reader("bob"));

        var edited = Html(message with { Text = "second", EditedAt = Noon.AddMinutes(1) }, Reader("bob"));

        Assert.NotSame(before, edited);
        Assert.Contains("second", edited);
        Assert.Contains("(edited)", edited);
    }

    [Fact]
    public void A_copy_loaded_by_another_tab_with_its_own_lists_finds_the_same_string()
    {
        var message = Message("see attached") with
        {
            MentionedUserIds = ["carol"],
            Reactions = [new ReactionSummary("👍", ["bob"], ["bob"])],
            Attachments = [new AttachmentInfo(Guid.Empty, "plan.pdf", "application/pdf", 1234)],
        };
        var copy = message with
        {
            MentionedUserIds = ["carol"],
            Reactions = [new ReactionSummary("👍", ["bob"], ["bob"])],
            Attachments = [new AttachmentInfo(Guid.Empty, "plan.pdf", "application/pdf", 1234)],
        };

        Assert.Same(Html(message, Reader("dave")), Html(copy, Reader("dave")));
    }

    /// <summary>Every property of a message changes what a row may show: changing any one must miss the cache.</summary>
    [Fact]
    public void Changing_any_property_of_a_message_is_a_new_version()
    {
        var original = Message("text") with
        {
            ReplyTo = new ReplySnippet(1, 1, "bob", "earlier", false),
            Thread = new ThreadSummary(1, Noon, ["bob"]),
            ThreadRootId = null,
        };
        var clone = typeof(ChatMessage).GetMethod("<Clone>$")!;
        foreach (var property in typeof(ChatMessage).GetProperties().Where(p => p.CanWrite))
        {
            var changed = (ChatMessage)clone.Invoke(original, null)!;
            property.SetValue(changed, Different(property.PropertyType, property.GetValue(original)));
            Assert.False(SameVersion.Instance.Equals(original, changed), $"{property.Name} is not compared by SameVersion");
        }
        Assert.True(SameVersion.Instance.Equals(original, (ChatMessage)clone.Invoke(original, null)!));
    }

    /// <summary>
    /// Rows are rendered for as long as the server runs: a renderer keeps every root component it is given, with its
    /// render trees, until the root is removed, so each row's components must be let go once its HTML is written.
    /// </summary>
    [Fact]
    public async Task The_row_renderer_lets_go_of_each_component_once_its_html_is_written()
    {
        var disposed = new List<string>();
        await using var renderer = new InlineHtmlRenderer(Services, NullLoggerFactory.Instance);

        var html = renderer.RenderOnce(typeof(DisposalProbe), ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(DisposalProbe.Name)] = "row",
            [nameof(DisposalProbe.Disposed)] = disposed,
        }));

        Assert.Equal("<p>row<p>row child</p></p>", html);
        Assert.Equal(["row", "row child"], disposed.Order(StringComparer.Ordinal));
    }

    /// <summary>A component that renders its name and one child of its kind, and records its disposal.</summary>
    private sealed class DisposalProbe : ComponentBase, IDisposable
    {
        [Parameter] public string Name { get; set; } = "";

        [Parameter] public List<string> Disposed { get; set; } = [];

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddContent(1, Name);
            if (!Name.EndsWith("child", StringComparison.Ordinal))
            {
                builder.OpenComponent<DisposalProbe>(2);
                builder.AddComponentParameter(3, nameof(Name), Name + " child");
                builder.AddComponentParameter(4, nameof(Disposed), Disposed);
                builder.CloseComponent();
            }
            builder.CloseElement();
        }

        public void Dispose() => Disposed.Add(Name);
    }

    private static object? Different(Type type, object? value) => value switch
    {
        string text => text + "x",
        bool flag => !flag,
        int number => number + 1,
        long number => number + 1,
        DateTime time => time.AddMinutes(1),
        null when type == typeof(DateTime?) => Noon,
        null when type == typeof(long?) => 99L,
        null when type == typeof(ReplySnippet) => new ReplySnippet(2, 2, "carol", "x", false),
        null when type == typeof(ThreadSummary) => new ThreadSummary(2, Noon, ["carol"]),
        ReplySnippet reply => reply with { Text = "other" },
        ThreadSummary thread => thread with { ReplyCount = thread.ReplyCount + 1 },
        IReadOnlyList<string> => new[] { "someone" },
        IReadOnlyList<ReactionSummary> => new[] { new ReactionSummary("🎉", ["bob"], ["bob"]) },
        IReadOnlyList<AttachmentInfo> => new[] { new AttachmentInfo(Guid.NewGuid(), "a.txt", "text/plain", 1) },
        _ => throw new InvalidOperationException($"Add a different value for {type} to this test."),
    };
}

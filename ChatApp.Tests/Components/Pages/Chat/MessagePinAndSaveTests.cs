using Bunit;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;

namespace ChatApp.Components.Pages.Chat;

/// <summary>The pinned and saved marks on a message row and its ⋯ menu (pin, save).</summary>
[Trait("Cost", "component")]
public sealed class MessagePinAndSaveTests : ChatComponentContext
{
    private static readonly DateTime Noon = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    private static ChatMessage Message(long sequence, string text, bool pinned = false, bool saved = false, bool deleted = false) =>
        new(sequence, 1, sequence, "bob", "Bob", deleted ? "" : text, Noon.AddMinutes(sequence * 10), null, deleted) { IsPinned = pinned, IsSaved = saved };

    private IRenderedComponent<MessageList> RenderList(ChatMessage[] messages, Action<ChatMessage>? pin = null, Action<ChatMessage>? save = null) =>
        Render<MessageList>(p => p
            .Add(x => x.Context, new MessageRowContext
            {
                MeId = "alice",
                CanModerate = false,
                Edit = (_, _) => Task.FromResult<string?>(null),
                Pin = pin is null ? default : EventCallback.Factory.Create(new object(), pin),
                Save = save is null ? default : EventCallback.Factory.Create(new object(), save),
            })
            .Add(x => x.Messages, messages)
            .Add(x => x.RoomTitle, "general"));

    [Fact]
    public void Pinned_and_saved_messages_carry_a_mark_and_deleted_ones_do_not()
    {
        var list = RenderList([Message(1, "plain"), Message(2, "the plan", pinned: true), Message(3, "later", saved: true), Message(4, "", pinned: true, saved: true, deleted: true)]);

        var articles = list.FindAll("article");
        Assert.Empty(articles[0].QuerySelectorAll(".message-marks"));
        Assert.Equal("Pinned", articles[1].QuerySelector(".pinned-mark")!.TextContent.Trim());
        Assert.Null(articles[1].QuerySelector(".saved-mark"));
        Assert.Equal("Saved", articles[2].QuerySelector(".saved-mark")!.TextContent.Trim());
        Assert.Null(articles[2].QuerySelector(".pinned-mark"));
        Assert.Empty(articles[3].QuerySelectorAll(".message-marks"));
    }

    [Fact]
    public void The_more_menu_exists_only_while_open_and_pins_or_saves_the_message()
    {
        ChatMessage? pinned = null;
        ChatMessage? saved = null;
        var list = RenderList([Message(1, "release notes")], m => pinned = m, m => saved = m);

        Assert.Empty(list.FindAll(".more-choice"));
        list.Find("button[aria-label='More actions']").Press();
        Assert.Equal(["Pin to room", "Save"], list.FindAll(".more-choice").Select(b => b.TextContent.Trim()));

        list.FindAll(".more-choice")[0].Press();
        Assert.Equal(1, pinned?.Id);
        Assert.Empty(list.FindAll(".more-choice"));

        list.Find("button[aria-label='More actions']").Press();
        list.FindAll(".more-choice")[1].Press();
        Assert.Equal(1, saved?.Id);

        list.Find("button[aria-label='More actions']").Press();
        list.Find(".more-choices").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" });
        Assert.Empty(list.FindAll(".more-choice"));
    }

    [Fact]
    public void A_pinned_and_saved_message_offers_unpin_and_unsave()
    {
        var list = RenderList([Message(1, "the plan", pinned: true, saved: true)]);

        list.Find("button[aria-label='More actions']").Press();

        Assert.Equal(["Unpin", "Unsave"], list.FindAll(".more-choice").Select(b => b.TextContent.Trim()));
    }
}

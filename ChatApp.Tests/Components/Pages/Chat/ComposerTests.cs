using Bunit;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace ChatApp.Components.Pages.Chat;

[Trait("Cost", "component")]
public sealed class ComposerTests : ChatComponentContext
{
    private readonly List<(string Text, Guid ClientId)> sent = [];
    private string? refusal;

    private IRenderedComponent<Composer> RenderComposer(int maxLength = 20) => Render<Composer>(p => p
        .Add(x => x.MaxLength, maxLength)
        .Add(x => x.OnSend, (text, clientId) =>
        {
            sent.Add((text, clientId));
            return Task.FromResult(refusal);
        }));

    [Fact]
    public void Has_a_textarea_named_Message_and_a_Send_button()
    {
        var composer = RenderComposer();

        Assert.Equal("Message", composer.Find("textarea").GetAttribute("aria-label"));
        Assert.Equal("Send", composer.Find("button[type=submit]").TextContent);
    }

    [Fact]
    public void Sends_the_text_and_clears_the_composer()
    {
        var composer = RenderComposer();

        composer.Find("textarea").Input("hello\nworld");
        composer.Find("form").Submit();

        Assert.Equal("hello\nworld", Assert.Single(sent).Text);
        Assert.Equal("", composer.Find("textarea").GetAttribute("value"));
    }

    [Fact]
    public void Rendering_the_composer_again_keeps_the_handler_a_keystroke_in_flight_was_sent_to()
    {
        // The browser sends each keystroke to the textarea's input handler id. When the page renders the composer
        // again (a new message moving the live window, a member joining) while a keystroke is on its way, that
        // keystroke must still find its handler: a new id each render would leave it only until the browser
        // acknowledges the render, and a keystroke that misses it is lost from the text that gets sent.
        var composer = RenderComposer();
        composer.Find("textarea").Input("hel");
        var handler = composer.Find("textarea").GetAttribute("blazor:oninput");

        composer.Render(p => p.Add(x => x.Notice, "Bob joined"));
        composer.Render();

        Assert.Equal(handler, composer.Find("textarea").GetAttribute("blazor:oninput"));
        composer.Find("textarea").Input("hello");
        composer.Find("form").Submit();
        Assert.Equal("hello", Assert.Single(sent).Text);
    }

    [Fact]
    public void Blank_text_is_not_sent()
    {
        var composer = RenderComposer();

        composer.Find("textarea").Input("   \n ");
        composer.Find("form").Submit();

        Assert.Empty(sent);
    }

    [Fact]
    public void Too_long_text_gets_a_clear_message_is_not_sent_and_stays()
    {
        var composer = RenderComposer(maxLength: 20);
        var text = new string('a', 25);

        composer.Find("textarea").Input(text);
        composer.Find("form").Submit();

        Assert.Empty(sent);
        Assert.Contains("at most 20 characters; this one has 25", composer.Find("[role=alert]").TextContent);
        Assert.Equal(text, composer.Find("textarea").GetAttribute("value"));
        Assert.Equal("25 / 20", composer.Find(".composer-count").TextContent);
    }

    [Fact]
    public void A_refused_send_keeps_the_text_and_retries_with_the_same_client_id()
    {
        refusal = "You are sending messages too fast. Wait a moment, then send again.";
        var composer = RenderComposer();

        composer.Find("textarea").Input("important");
        composer.Find("form").Submit();
        composer.Find("form").Submit();

        Assert.Equal(refusal, composer.Find("[role=alert]").TextContent);
        Assert.Equal("important", composer.Find("textarea").GetAttribute("value"));
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0].ClientId, sent[1].ClientId);
    }

    [Fact]
    public void Keystrokes_near_the_limit_render_the_count_and_the_error_and_clear_them_again()
    {
        var composer = RenderComposer(maxLength: 20);

        composer.Find("textarea").Input(new string('a', 19));
        Assert.Equal("19 / 20", composer.Find(".composer-count").TextContent);

        composer.Find("textarea").Input(new string('a', 21));
        Assert.Contains("this one has 21", composer.Find("[role=alert]").TextContent);
        composer.Find("textarea").Input(new string('a', 22));
        Assert.Contains("this one has 22", composer.Find("[role=alert]").TextContent);

        composer.Find("textarea").Input("short");
        Assert.Empty(composer.FindAll(".composer-count"));
        Assert.Empty(composer.FindAll("[role=alert]"));
    }

    [Fact]
    public void A_stored_send_bumps_data_sent_so_the_browser_drops_the_draft_and_a_refused_one_does_not()
    {
        var composer = RenderComposer();
        string? Sent() => composer.Find("textarea").GetAttribute("data-sent");
        Assert.Equal("0", Sent());

        refusal = "You are sending messages too fast. Wait a moment, then send again.";
        composer.Find("textarea").Input("kept as a draft");
        composer.Find("form").Submit();
        Assert.Equal("0", Sent());

        refusal = null;
        composer.Find("form").Submit();
        Assert.Equal("1", Sent());
        Assert.Equal("", composer.Find("textarea").GetAttribute("value"));
    }

    [Fact]
    public void Telling_the_room_someone_types_does_not_render_the_page_that_hosts_the_composer()
    {
        var page = Render<ComposerHost>();
        var renders = page.Instance.Renders;

        page.Find("textarea").Input("h");

        Assert.Equal(1, page.Instance.Typed);
        Assert.Equal(renders, page.Instance.Renders);
    }

    /// <summary>A page with a composer, as ChatPage hosts it: typing notifications go to its method.</summary>
    private sealed class ComposerHost : ComponentBase
    {
        public int Typed { get; private set; }

        /// <summary>Its own renders (bUnit's RenderCount also counts the composer's).</summary>
        public int Renders { get; private set; }

        private Task TypingAsync()
        {
            Typed++;
            return Task.CompletedTask;
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            Renders++;
            builder.OpenComponent<Composer>(0);
            builder.AddComponentParameter(1, nameof(Composer.MaxLength), 100);
            builder.AddComponentParameter(2, nameof(Composer.OnSend), (Func<string, Guid, Task<string?>>)((_, _) => Task.FromResult<string?>(null)));
            builder.AddComponentParameter(3, nameof(Composer.OnTyping), (Func<Task>)TypingAsync);
            builder.CloseComponent();
        }
    }

    [Fact]
    public void Is_disabled_until_the_circuit_is_interactive_so_no_typing_is_lost()
    {
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));

        var composer = RenderComposer();

        Assert.True(composer.Find("textarea").HasAttribute("disabled"));
        Assert.False(composer.Find("textarea").HasAttribute("data-enter-sends"));
        Assert.True(composer.Find("button[type=submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void Text_typed_while_a_send_is_in_flight_is_kept_when_that_send_completes()
    {
        var pending = new TaskCompletionSource<string?>();
        var composer = Render<Composer>(p => p
            .Add(x => x.MaxLength, 100)
            .Add(x => x.OnSend, (text, clientId) =>
            {
                sent.Add((text, clientId));
                return pending.Task;
            }));

        composer.Find("textarea").Input("first");
        composer.Find("form").Submit();
        composer.Find("textarea").Input("second, typed while the first was sending");
        // Enter again while the first is in flight does nothing (one send at a time)...
        composer.Find("form").Submit();
        pending.SetResult(null);

        // ...and the first one's success clears only its own text.
        composer.WaitForAssertion(() => Assert.Equal("second, typed while the first was sending", composer.Find("textarea").GetAttribute("value")));
        Assert.Equal(["first"], sent.Select(s => s.Text));
    }

    [Fact]
    public void A_kept_draft_is_put_back_in_the_composer()
    {
        var (composer, readDraft) = RenderWithDraftKey();

        readDraft.SetResult("written before the reload");

        composer.WaitForAssertion(() => Assert.Equal("written before the reload", composer.Find("textarea").GetAttribute("value")));
    }

    [Fact]
    public void A_draft_read_that_answers_after_the_user_typed_does_not_replace_the_text()
    {
        var (composer, readDraft) = RenderWithDraftKey();

        composer.Find("textarea").Input("typed at once");
        readDraft.SetResult(null);

        composer.WaitForState(() => readDraft.Invocations.Count == 1);
        Assert.Equal("typed at once", composer.Find("textarea").GetAttribute("value"));
    }

    [Fact]
    public void A_draft_read_that_answers_after_a_send_does_not_put_the_sent_text_back()
    {
        var (composer, readDraft) = RenderWithDraftKey();

        composer.Find("textarea").Input("sent at once");
        composer.Find("form").Submit();
        readDraft.SetResult("sent at once");

        Assert.Equal("sent at once", Assert.Single(sent).Text);
        Assert.Equal("", composer.Find("textarea").GetAttribute("value"));
    }

    [Fact]
    public void Another_room_brings_its_own_draft_and_not_the_text_typed_in_the_last_one()
    {
        var (composer, readDraft) = RenderWithDraftKey();
        readDraft.SetResult(null);
        composer.Find("textarea").Input("for the first room");
        draftModule!.Setup<string?>("readDraft", "user-1:room-2").SetResult("kept for the second room");

        composer.Render(p => p.Add(x => x.DraftKey, "user-1:room-2"));

        composer.WaitForAssertion(() => Assert.Equal("kept for the second room", composer.Find("textarea").GetAttribute("value")));
    }

    private BunitJSModuleInterop? draftModule;

    // The draft is read from this browser's storage after the first render; the read is held open until the test answers it.
    private (IRenderedComponent<Composer> Composer, JSRuntimeInvocationHandler<string?> ReadDraft) RenderWithDraftKey()
    {
        draftModule = JSInterop.SetupModule("./Components/Pages/Chat/Composer.razor.js");
        var readDraft = draftModule.Setup<string?>("readDraft", "user-1:room-1");
        var composer = Render<Composer>(p => p
            .Add(x => x.MaxLength, 100)
            .Add(x => x.DraftKey, "user-1:room-1")
            .Add(x => x.OnSend, (text, clientId) =>
            {
                sent.Add((text, clientId));
                return Task.FromResult<string?>(null);
            }));
        return (composer, readDraft);
    }
}

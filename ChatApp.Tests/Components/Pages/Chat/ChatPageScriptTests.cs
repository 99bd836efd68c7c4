using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// The chat page's script calls when a render removed the message log before they reached the browser (the reader
/// opened another room, or one they may only join): the browser finds no element, and the page follows the next log.
/// </summary>
[Trait("Cost", "component")]
public sealed class ChatPageScriptTests
{
    private readonly List<string> calls = [];

    private ChatPageScript NewScript(params bool[] logOnPage) =>
        new(new Browser(calls, new Queue<bool>(logOnPage)), new(_ => { }, _ => Task.CompletedTask, _ => Task.CompletedTask, _ => { }, () => { }));

    [Fact]
    public async Task A_log_gone_before_it_was_followed_is_not_scrolled_and_the_next_render_follows_its_log_from_the_bottom()
    {
        var script = NewScript(false, true);
        await script.StartAsync();
        script.LogReplaced();

        await script.AfterRenderAsync(new ElementReference("gone"));
        Assert.Equal(["attach", "setLog gone"], calls);

        await script.AfterRenderAsync(new ElementReference("shown"));
        Assert.Equal(["attach", "setLog gone", "setLog shown", "scrollToBottom shown"], calls);
    }

    [Fact]
    public async Task A_followed_log_is_not_followed_again_at_every_render()
    {
        var script = NewScript(true);
        await script.StartAsync();
        script.LogReplaced();

        await script.AfterRenderAsync(new ElementReference("shown"));
        await script.AfterRenderAsync(new ElementReference("shown"));

        Assert.Equal(["attach", "setLog shown", "scrollToBottom shown"], calls);
    }

    /// <summary>The page's module and its log handle, recording the calls that name a log; setLog answers from the queue.</summary>
    private sealed class Browser(List<string> calls, Queue<bool> logOnPage) : IJSRuntime, IJSObjectReference
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args)
        {
            object? answer = identifier switch
            {
                "import" => this,
                "attach" => this,
                "setLog" => logOnPage.Dequeue(),
                _ => null,
            };
            if (identifier is "attach" or "setLog" or "scrollToBottom" or "scrollToMessage" or "restoreAnchor")
            {
                calls.Add(args is [ElementReference log, ..] ? $"{identifier} {log.Id}" : identifier);
            }
            return ValueTask.FromResult((TValue)answer!);
        }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

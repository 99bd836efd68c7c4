using Bunit;
using ChatApp.Tests.Infrastructure;
using Microsoft.JSInterop;

namespace ChatApp.Components.Pages.Chat;

/// <summary>The composer and its script when the script is slow to load.</summary>
[Trait("Cost", "component")]
public sealed class ComposerScriptTests : ChatComponentContext
{
    private readonly HeldImportRuntime browser = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IJSRuntime>(browser);

    [Fact]
    public async Task A_composer_removed_while_its_script_loads_calls_nothing_on_it_and_lets_the_module_go()
    {
        // Opening a room the reader may only join removes the composer; its script may still be on its way. Calling it
        // then names a textarea and a .NET reference that are gone, and the exception ended the reader's circuit.
        Render<Composer>(p => p.Add(x => x.MaxLength, 100).Add(x => x.OnSend, (_, _) => Task.FromResult<string?>(null)));
        await DisposeComponentsAsync();

        var module = new FirstCallModule();
        browser.Import.SetResult(module);

        Assert.Equal("DisposeAsync", await module.FirstCall.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>A browser whose script imports wait until the test lets them finish; every other call answers at once.</summary>
    private sealed class HeldImportRuntime : IJSRuntime
    {
        public TaskCompletionSource<IJSObjectReference> Import { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            identifier == "import" ? (TValue)await Import.Task : default!;

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);
    }

    /// <summary>A script module that reports the first thing done with it: a call by name, or its disposal.</summary>
    private sealed class FirstCallModule : IJSObjectReference
    {
        private readonly TaskCompletionSource<string> first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> FirstCall => first.Task;

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args)
        {
            first.TrySetResult(identifier);
            return ValueTask.FromResult(default(TValue)!);
        }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);

        public ValueTask DisposeAsync()
        {
            first.TrySetResult(nameof(DisposeAsync));
            return ValueTask.CompletedTask;
        }
    }
}

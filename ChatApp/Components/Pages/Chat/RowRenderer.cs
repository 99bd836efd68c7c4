using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.HtmlRendering.Infrastructure;

namespace ChatApp.Components.Pages.Chat;

// BL0006: StaticHtmlRenderer is the public base of HtmlRenderer (what static server rendering uses); this file only
// replaces its dispatcher, so a row renders on the caller's thread, and disposes it.
#pragma warning disable BL0006

/// <summary>
/// Renders a row component to HTML once, for every tab to share (<see cref="MessageRows"/>, <see cref="MemberRows"/>):
/// on the caller's thread, one render at a time, in a service scope of its own (a renderer resolves scoped services,
/// and this one belongs to no request or circuit).
/// </summary>
internal sealed class RowRenderer : IAsyncDisposable
{
    private readonly AsyncServiceScope scope;
    private readonly Lock renderLock = new();
    private readonly InlineHtmlRenderer renderer;

    public RowRenderer(IServiceScopeFactory scopes, ILoggerFactory loggers) : this(scopes.CreateAsyncScope(), loggers)
    {
    }

    private RowRenderer(AsyncServiceScope scope, ILoggerFactory loggers)
    {
        this.scope = scope;
        renderer = new InlineHtmlRenderer(scope.ServiceProvider, loggers);
    }

    /// <summary>The HTML of <paramref name="componentType"/> with <paramref name="parameters"/>; it must render synchronously.</summary>
    public string Render(Type componentType, IDictionary<string, object?> parameters)
    {
        // Rows render synchronously: the render completes inside this call, on the caller's thread, one at a time.
        // (Waiting on an asynchronous renderer from thousands of circuits' render threads starved the thread pool.)
        lock (renderLock)
        {
            return renderer.RenderOnce(componentType, ParameterView.FromDictionary(parameters));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await renderer.DisposeAsync();
        await scope.DisposeAsync();
    }
}

/// <summary>
/// A static HTML renderer whose dispatcher runs work inline on the calling thread (callers hold the lock), and which
/// lets go of each component once its HTML is written: a renderer keeps every root component it was given, with its
/// render trees, until that root is removed, and rows are rendered for as long as the server runs.
/// </summary>
internal sealed class InlineHtmlRenderer(IServiceProvider services, ILoggerFactory loggers) : StaticHtmlRenderer(services, loggers)
{
    public override Dispatcher Dispatcher { get; } = new InlineDispatcher();

    /// <summary>The HTML of <paramref name="componentType"/> rendered with <paramref name="parameters"/>; the
    /// component and its descendants are disposed before this returns.</summary>
    public string RenderOnce(Type componentType, ParameterView parameters)
    {
        var id = AssignRootComponentId(InstantiateComponent(componentType));
        try
        {
            var rendered = RenderRootComponentAsync(id, parameters);
            if (!rendered.IsCompleted)
            {
                throw new InvalidOperationException($"{componentType.Name} must render synchronously to be shared.");
            }
            rendered.GetAwaiter().GetResult();
            using var html = new StringWriter();
            WriteComponentHtml(id, html);
            return html.ToString();
        }
        finally
        {
            RemoveRootComponent(id);
        }
    }
}

internal sealed class InlineDispatcher : Dispatcher
{
    public override bool CheckAccess() => true;

    public override Task InvokeAsync(Action workItem)
    {
        workItem();
        return Task.CompletedTask;
    }

    public override Task InvokeAsync(Func<Task> workItem) => workItem();

    public override Task<TResult> InvokeAsync<TResult>(Func<TResult> workItem) => Task.FromResult(workItem());

    public override Task<TResult> InvokeAsync<TResult>(Func<Task<TResult>> workItem) => workItem();
}

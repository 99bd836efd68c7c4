using ChatApp.Chat;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.HtmlRendering.Infrastructure;

namespace ChatApp.Components.Pages.Chat;

// BL0006: StaticHtmlRenderer is the public base of HtmlRenderer (what static server rendering uses); this file only
// replaces its dispatcher, so a row renders on the caller's thread, and disposes it.
#pragma warning disable BL0006

/// <summary>
/// A message row's HTML, rendered once per server for each message version and kind of reader, and shared by every
/// tab that shows it (issue 16): a tab's list holds one markup frame per row instead of a component with its render
/// trees and handlers, and a message reaching 1,000 readers is rendered a handful of times, not 1,000.
/// The HTML is <see cref="MessageItem"/> itself rendered statically (one markup for both ways of showing a row); its
/// buttons carry <c>data-action</c>, and the list's one <c>@onrowaction</c> handler acts on them.
/// </summary>
public sealed class MessageRows : IAsyncDisposable
{
    /// <summary>Message versions kept per generation; two generations are kept (the newest and the one before).</summary>
    private const int GenerationSize = 20_000;

    // The renderer's own scope: a renderer resolves scoped services, and this one belongs to no request or circuit.
    private readonly AsyncServiceScope scope;
    private readonly InlineHtmlRenderer renderer;
    private readonly Lock renderLock = new();
    private readonly MessageVersions<Variants> versions = new(GenerationSize);

    public MessageRows(IServiceScopeFactory scopes, ILoggerFactory loggers)
    {
        scope = scopes.CreateAsyncScope();
        renderer = new InlineHtmlRenderer(scope.ServiceProvider, loggers);
    }

    /// <summary>
    /// What in a row's HTML depends on the reader rather than the message. Readers who are not the author, not
    /// mentioned and have not reacted all see the same row, so they share one variant (Viewer = null).
    /// </summary>
    private readonly record struct Variant(string? Viewer, bool CanModerate, string TimeZone, bool Continued, bool Highlighted,
        int MemberCount, DateOnly? Today);

    private sealed class Variants
    {
        private (Variant Key, MarkupString Html)[] entries = [];

        public bool TryGet(Variant key, out MarkupString html)
        {
            foreach (var entry in Volatile.Read(ref entries))
            {
                if (entry.Key == key)
                {
                    html = entry.Html;
                    return true;
                }
            }
            html = default;
            return false;
        }

        public void Add(Variant key, MarkupString html)
        {
            lock (this)
            {
                entries = [.. entries, (key, html)];
            }
        }
    }

    /// <summary>The row as <paramref name="context"/>'s reader sees it when nothing on it is open.</summary>
    public MarkupString Html(ChatMessage message, MessageRowContext context, bool continued, bool highlighted)
    {
        var key = new Variant(ViewerOf(message, context.MeId), context.CanModerate, context.TimeZone.Id, continued, highlighted,
            context.Members.Count, message.Thread is null ? null : DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, context.TimeZone)));
        var variants = versions.GetOrAdd(message, static _ => new Variants());
        if (!variants.TryGet(key, out var html))
        {
            html = new MarkupString(Render(message, context, key));
            variants.Add(key, html);
        }
        return html;
    }

    /// <summary>
    /// The reader, when the row shows them something of their own: authorship, a mention by name, their reaction. An
    /// @room mention is everyone's: the stand-in reader (no id) sees it as theirs too, so it needs no variant per reader.
    /// </summary>
    private static string? ViewerOf(ChatMessage message, string meId)
    {
        if (message.AuthorId == meId || message.MentionedUserIds.Contains(meId))
        {
            return meId;
        }
        foreach (var reaction in message.Reactions)
        {
            if (reaction.UserIds.Contains(meId))
            {
                return meId;
            }
        }
        return null;
    }

    private string Render(ChatMessage message, MessageRowContext context, Variant key)
    {
        // The reader this variant stands for: the real one where the row shows them their own things, else nobody.
        var reader = new MessageRowContext
        {
            MeId = key.Viewer ?? "",
            CanModerate = key.CanModerate,
            TimeZone = context.TimeZone,
            Members = context.Members,
            Edit = static (_, _) => Task.FromResult<string?>(null),
        };
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(SharedRow.Context)] = reader,
            [nameof(SharedRow.Message)] = message,
            [nameof(SharedRow.Continued)] = key.Continued,
            [nameof(SharedRow.Highlighted)] = key.Highlighted,
        });
        // MessageItem renders synchronously: the render completes inside this call, on the caller's thread, one at a
        // time. (Waiting on an asynchronous renderer from thousands of circuits' render threads starved the thread pool.)
        lock (renderLock)
        {
            return renderer.RenderOnce(typeof(SharedRow), parameters);
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

    private sealed class InlineDispatcher : Dispatcher
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

    public async ValueTask DisposeAsync()
    {
        await renderer.DisposeAsync();
        await scope.DisposeAsync();
    }
}

using ChatApp.Chat;
using Microsoft.AspNetCore.Components;

namespace ChatApp.Components.Pages.Chat;

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

    private readonly RowRenderer renderer;
    private readonly MessageVersions<Variants> versions = new(GenerationSize);

    public MessageRows(IServiceScopeFactory scopes, ILoggerFactory loggers)
    {
        renderer = new RowRenderer(scopes, loggers);
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
        return renderer.Render(typeof(SharedRow), new Dictionary<string, object?>
        {
            [nameof(SharedRow.Context)] = reader,
            [nameof(SharedRow.Message)] = message,
            [nameof(SharedRow.Continued)] = key.Continued,
            [nameof(SharedRow.Highlighted)] = key.Highlighted,
        });
    }

    public ValueTask DisposeAsync() => renderer.DisposeAsync();
}

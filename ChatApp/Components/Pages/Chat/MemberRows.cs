using ChatApp.Chat;
using Microsoft.AspNetCore.Components;

namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// A member-list row's HTML (<see cref="MemberRow"/>), rendered once per server for each name, presence, status and
/// "(you)" and shared by every tab that lists that person: a tab's member list holds one markup frame per person
/// instead of an element, its attributes and texts (~17 frames). A list shows up to 100 people, and each open tab kept
/// them in two render trees: 1,720 frames, 2 × 2,048 slots of 40 bytes, ~160 KB per tab in any room of 100 or more.
/// </summary>
public sealed class MemberRows : IAsyncDisposable
{
    /// <summary>Rows kept per generation; two generations are kept (the newest and the one before).</summary>
    private const int GenerationSize = 20_000;

    private readonly RowRenderer renderer;
    private readonly Generations<Row, MarkupString> rows = new(GenerationSize);
    private readonly Func<Row, MarkupString> render;

    public MemberRows(IServiceScopeFactory scopes, ILoggerFactory loggers)
    {
        renderer = new RowRenderer(scopes, loggers);
        render = Render;
    }

    private readonly record struct Row(string Name, PresenceStatus Presence, bool IsMe, string? Status);

    /// <summary>The row of a person called <paramref name="name"/>, as a reader sees it now.</summary>
    public MarkupString Html(string name, PresenceStatus presence, bool isMe, string? status) =>
        rows.GetOrAdd(new Row(name, presence, isMe, status), render);

    private MarkupString Render(Row row) => new(renderer.Render(typeof(MemberRow), new Dictionary<string, object?>
    {
        [nameof(MemberRow.Name)] = row.Name,
        [nameof(MemberRow.Presence)] = row.Presence,
        [nameof(MemberRow.IsMe)] = row.IsMe,
        [nameof(MemberRow.Status)] = row.Status,
    }));

    public ValueTask DisposeAsync() => renderer.DisposeAsync();
}

using ChatApp.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

/// <summary>
/// A room's history as one reader's tab shows it: the messages <see cref="MessageService"/> reads (authorized there),
/// marked as pinned in the room and as saved by this reader. Two small queries per page, by the page's ids. The tab
/// keeps the copy of each message that other tabs already hold (<see cref="SharedMessages"/>).
/// </summary>
public sealed class MarkedHistory(MessageService messages, IDbContextFactory<ApplicationDbContext> dbFactory, SharedMessages shared) : IRoomHistory
{
    public async Task<IReadOnlyList<ChatMessage>> GetLatestAsync(string userId, int roomId, CancellationToken cancellationToken = default) =>
        await MarkAsync(userId, await messages.GetLatestAsync(userId, roomId, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string userId, int roomId, long beforeSequence, CancellationToken cancellationToken = default) =>
        await MarkAsync(userId, await messages.GetBeforeAsync(userId, roomId, beforeSequence, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string userId, int roomId, long afterSequence, CancellationToken cancellationToken = default, int take = MessageService.MaxCatchUp) =>
        await MarkAsync(userId, await messages.GetAfterAsync(userId, roomId, afterSequence, cancellationToken, take), cancellationToken);

    private async Task<IReadOnlyList<ChatMessage>> MarkAsync(string userId, IReadOnlyList<ChatMessage> page, CancellationToken cancellationToken) =>
        shared.Share(await MarkOwnAsync(userId, page, cancellationToken));

    private async Task<IReadOnlyList<ChatMessage>> MarkOwnAsync(string userId, IReadOnlyList<ChatMessage> page, CancellationToken cancellationToken)
    {
        var ids = page.Where(m => !m.IsDeleted).Select(m => m.Id).ToList();
        if (ids.Count == 0)
        {
            return page;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pinned = (await db.PinnedMessages.Where(p => ids.Contains(p.MessageId)).Select(p => p.MessageId).ToListAsync(cancellationToken)).ToHashSet();
        var saved = (await db.SavedMessages.Where(s => s.UserId == userId && ids.Contains(s.MessageId)).Select(s => s.MessageId).ToListAsync(cancellationToken)).ToHashSet();
        if (pinned.Count == 0 && saved.Count == 0)
        {
            return page;
        }
        return [.. page.Select(m => pinned.Contains(m.Id) || saved.Contains(m.Id) ? m with { IsPinned = pinned.Contains(m.Id), IsSaved = saved.Contains(m.Id) } : m)];
    }
}

using ChatApp.Chat;
using ChatApp.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Security;

/// <summary>Sets and clears the caller's own status and tells the rooms they are in, so every tab showing them updates.</summary>
public sealed class UserStatusService(IDbContextFactory<ApplicationDbContext> dbFactory, RoomMembership membership, IChatNotifier notifier, TimeProvider time)
{
    public const string LooksLikeANameError = "Status may not look like someone's display name.";

    public async Task<PersonalStatus?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Users.Where(u => u.Id == userId)
            .Select(u => new { u.StatusEmoji, u.StatusText, u.StatusExpiresAt })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : PersonalStatus.From(row.StatusEmoji, row.StatusText, row.StatusExpiresAt);
    }

    /// <summary>Sets the status (both parts empty clears it); returns why it was refused, or null.</summary>
    public async Task<string?> SetAsync(string userId, string? emoji, string? text, DateTime? expiresAt, CancellationToken cancellationToken = default)
    {
        if ((StatusRules.CheckEmoji(emoji) ?? StatusRules.CheckText(text) ?? StatusRules.CheckExpiry(expiresAt, time.GetUtcNow().UtcDateTime)) is { } problem)
        {
            return problem;
        }
        var status = PersonalStatus.From(StatusRules.NormalizeEmoji(emoji), StatusRules.NormalizeText(text), expiresAt);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (status?.Text is { } shown)
        {
            var skeleton = DisplayNameRules.Skeleton(shown);
            if (await db.Users.AnyAsync(u => u.DisplayNameSkeleton == skeleton && u.Id != userId, cancellationToken))
            {
                return LooksLikeANameError;
            }
        }
        var changed = await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.StatusEmoji, status == null ? null : status.Emoji)
            .SetProperty(u => u.StatusText, status == null ? null : status.Text)
            .SetProperty(u => u.StatusExpiresAt, status == null ? null : status.ExpiresAt), cancellationToken);
        if (changed == 0)
        {
            return "Your account was not found.";
        }
        foreach (var roomId in await membership.RoomsOfAsync(userId))
        {
            notifier.Publish(new StatusChanged(roomId, userId, status));
        }
        return null;
    }

    public Task<string?> ClearAsync(string userId, CancellationToken cancellationToken = default) => SetAsync(userId, null, null, null, cancellationToken);
}

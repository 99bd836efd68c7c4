using ChatApp.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Security;

public sealed record ActiveSession(string Id, string? IpAddress, string? UserAgent, DateTime CreatedAt, DateTime LastSeenAt, int OpenTabs);

/// <summary>Lists and ends sign-in sessions; ending one deletes it and ends its live circuits.</summary>
public sealed class SessionRevoker(IDbContextFactory<ApplicationDbContext> dbFactory, LiveCircuits circuits, AuditLog audit)
{
    public async Task<IReadOnlyList<ActiveSession>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sessions = await db.UserSessions.AsNoTracking()
            .Where(s => s.UserId == userId)
            .OrderByDescending(s => s.LastSeenAt)
            .Select(s => new { s.Id, s.IpAddress, s.UserAgent, s.CreatedAt, s.LastSeenAt })
            .ToListAsync(cancellationToken);
        var tabs = circuits.TabsBySession(userId);
        return [.. sessions.Select(s => new ActiveSession(s.Id, s.IpAddress, s.UserAgent, s.CreatedAt, s.LastSeenAt, tabs.GetValueOrDefault(s.Id)))];
    }

    /// <summary>Ends one of the user's sessions; a session id of another user does nothing.</summary>
    public async Task<bool> EndSessionAsync(string userId, string sessionId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deleted = await db.UserSessions.Where(s => s.Id == sessionId && s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            circuits.RevokeSession(sessionId);
            await audit.WriteAsync(AuditActions.SessionEnded, actor, userId, details: $"session {sessionId[..8]}");
        }
        return deleted > 0;
    }

    /// <summary>Ends every session of the user (or all but one) and their live circuits.</summary>
    public async Task<int> EndAllSessionsAsync(string userId, string? exceptSessionId = null, AuditActor? actor = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deleted = await db.UserSessions
            .Where(s => s.UserId == userId && (exceptSessionId == null || s.Id != exceptSessionId))
            .ExecuteDeleteAsync(cancellationToken);
        var tabs = circuits.RevokeUser(userId, exceptSessionId);
        if (actor is not null && deleted + tabs > 0)
        {
            await audit.WriteAsync(AuditActions.SessionEnded, actor, userId,
                details: $"{deleted} session(s), {tabs} open tab(s){(exceptSessionId is null ? "" : ", current session kept")}");
        }
        return deleted;
    }

    public async Task<bool> SessionExistsAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.UserSessions.AnyAsync(s => s.Id == sessionId, cancellationToken);
    }
}

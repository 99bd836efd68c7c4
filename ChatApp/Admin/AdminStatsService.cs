using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Admin;

public sealed record DailyCount(DateTime Day, int Count);

public sealed record DashboardStats(int UsersTotal, int OnlineNow, int MessagesToday, IReadOnlyList<DailyCount> MessagesPerDay, IReadOnlyList<DailyCount> ActiveUsersPerDay);

public sealed record LiveSessionRow(string CircuitId, string UserId, string DisplayName, string? SessionId, string? IpAddress, string? UserAgent, DateTime ConnectedSince, bool Connected, string? CurrentRoom);

/// <summary>The dashboard's numbers, from grouped queries (no rows loaded), and the live circuit list.</summary>
public sealed class AdminStatsService(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    LiveCircuits circuits,
    PresenceTracker presence,
    AdminGuard guard,
    TimeProvider time)
{
    public const int Days = 30;

    public async Task<ChatResult<DashboardStats>> GetDashboardAsync(AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult<DashboardStats>.Fail(refusal);
        }
        var today = time.GetUtcNow().UtcDateTime.Date;
        var since = today.AddDays(1 - Days);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var usersTotal = await db.Users.CountAsync(u => !u.IsBot, cancellationToken);
        var messagesToday = await db.Messages.CountAsync(m => m.CreatedAt >= today, cancellationToken);
        var perDay = await db.Messages.Where(m => m.CreatedAt >= since)
            .GroupBy(m => m.CreatedAt.Date)
            .Select(g => new { Day = g.Key, Messages = g.Count() })
            .ToDictionaryAsync(d => DateTime.SpecifyKind(d.Day, DateTimeKind.Utc), d => d.Messages, cancellationToken);
        // People, not webhooks' bots: a busy CI job is not an active person.
        var peoplePerDay = await db.Messages.Where(m => m.CreatedAt >= since && m.Author != null && !m.Author.IsBot)
            .GroupBy(m => m.CreatedAt.Date)
            .Select(g => new { Day = g.Key, Authors = g.Select(m => m.AuthorId).Distinct().Count() })
            .ToDictionaryAsync(d => DateTime.SpecifyKind(d.Day, DateTimeKind.Utc), d => d.Authors, cancellationToken);
        var days = Enumerable.Range(0, Days).Select(i => since.AddDays(i)).ToList();
        return ChatResult<DashboardStats>.Success(new DashboardStats(
            usersTotal,
            circuits.All.Where(c => !c.Session.IsRevoked).Select(c => c.UserId).Concat(circuits.Remote.Select(c => c.UserId))
                .Distinct().Count(u => presence.GetStatus(u) != PresenceStatus.Offline),
            messagesToday,
            [.. days.Select(d => new DailyCount(d, perDay.GetValueOrDefault(d)))],
            [.. days.Select(d => new DailyCount(d, peoplePerDay.GetValueOrDefault(d)))]));
    }

    public async Task<ChatResult<IReadOnlyList<LiveSessionRow>>> GetLiveSessionsAsync(AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult<IReadOnlyList<LiveSessionRow>>.Fail(refusal);
        }
        // This server's tabs and the other servers' (as they last reported them).
        var live = circuits.All.Where(c => !c.Session.IsRevoked).Select(c => c.ToEntry()).Concat(circuits.Remote).ToList();
        var userIds = live.Select(c => c.UserId).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        IReadOnlyList<LiveSessionRow> rows = [.. live
            .OrderBy(c => names.GetValueOrDefault(c.UserId))
            .ThenBy(c => c.ConnectedSince)
            .Select(c => new LiveSessionRow(c.CircuitId, c.UserId, names.GetValueOrDefault(c.UserId, "?"), c.SessionId, c.IpAddress, c.UserAgent,
                c.ConnectedSince, c.Connected, c.CurrentRoom))];
        return ChatResult<IReadOnlyList<LiveSessionRow>>.Success(rows);
    }
}

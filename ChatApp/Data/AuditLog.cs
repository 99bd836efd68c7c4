using Microsoft.EntityFrameworkCore;

namespace ChatApp.Data;

/// <summary>Who did something: a signed-in user, or an anonymous party named by what they tried.</summary>
public sealed record AuditActor(string? Id, string? Name, string? IpAddress)
{
    public static AuditActor Anonymous(string? attemptedName, string? ipAddress) => new(null, attemptedName, ipAddress);
}

public sealed record AuditQuery(
    string? Actor = null,
    string? Target = null,
    string? Action = null,
    DateTime? From = null,
    DateTime? To = null,
    int Skip = 0,
    int Take = 50);

public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

/// <summary>
/// The append-only audit log. There is no update or delete here, and the DbContext refuses to save either.
/// Writing never fails the action it records: a failure to write is logged instead.
/// </summary>
public sealed class AuditLog(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider time, ILogger<AuditLog> logger)
{
    public async Task WriteAsync(string action, AuditActor actor, string? targetId = null, string? targetName = null, string? details = null)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.AuditEntries.Add(new AuditEntry
            {
                At = time.GetUtcNow().UtcDateTime,
                Action = action,
                ActorId = actor.Id,
                ActorName = Truncate(actor.Name, AuditEntry.NameMaxLength),
                TargetId = Truncate(targetId, AuditEntry.NameMaxLength),
                TargetName = Truncate(targetName, AuditEntry.NameMaxLength),
                Details = Truncate(details, 1024),
                IpAddress = Truncate(actor.IpAddress, UserSession.IpAddressMaxLength),
            });
            await db.SaveChangesAsync();
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException)
        {
            logger.LogError(exception, "Could not write audit entry {Action} for {Actor}", action, actor.Name);
        }
    }

    /// <summary>Newest first, filtered and paged in the database.</summary>
    public async Task<Page<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim();
            entries = entries.Where(e => e.ActorName != null && e.ActorName.Contains(actor) || e.ActorId == actor);
        }
        if (!string.IsNullOrWhiteSpace(query.Target))
        {
            var target = query.Target.Trim();
            entries = entries.Where(e => e.TargetName != null && e.TargetName.Contains(target) || e.TargetId == target);
        }
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            entries = entries.Where(e => e.Action == query.Action);
        }
        if (query.From is { } from)
        {
            entries = entries.Where(e => e.At >= from);
        }
        if (query.To is { } to)
        {
            entries = entries.Where(e => e.At < to);
        }
        var total = await entries.CountAsync(cancellationToken);
        var items = await entries.OrderByDescending(e => e.Id).Skip(query.Skip).Take(Math.Clamp(query.Take, 1, 500)).ToListAsync(cancellationToken);
        return new Page<AuditEntry>(items, total);
    }

    private static string? Truncate(string? value, int length) =>
        value is null || value.Length <= length ? value : value[..length];
}

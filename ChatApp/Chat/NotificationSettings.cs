using ChatApp.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

/// <summary>
/// A person's own notification choices: the level per room they are in, and do-not-disturb. Each call changes
/// only the caller's rows; the caller's other tabs hear of it through a user event.
/// </summary>
public sealed class NotificationSettings(IDbContextFactory<ApplicationDbContext> dbFactory, RoomMembership membership, IChatNotifier notifier)
{
    /// <summary>Sets the caller's level for a room they can read; refused (false) for any other room or an unknown level.</summary>
    public async Task<bool> SetLevelAsync(string userId, int roomId, NotificationLevel level, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(level) || !await membership.CanReadAsync(userId, roomId))
        {
            return false;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NotificationLevel, level), cancellationToken);
        if (changed == 0)
        {
            return false;
        }
        notifier.Publish(new NotificationLevelChanged(userId, roomId, level));
        return true;
    }

    public async Task<DateTime?> GetDoNotDisturbAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.DoNotDisturbUntil).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>No browser notifications until <paramref name="until"/> (UTC); null turns it off.</summary>
    public async Task SetDoNotDisturbAsync(string userId, DateTime? until, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DoNotDisturbUntil, until), cancellationToken);
        notifier.Publish(new DoNotDisturbChanged(userId, until));
    }

    /// <summary>The end of a do-not-disturb choice from the account menu, in the person's time zone; null for "off" or an unknown choice.</summary>
    public static DateTime? Until(string? choice, TimeZoneInfo zone, DateTime utcNow) => choice switch
    {
        "30m" => utcNow.AddMinutes(30),
        "1h" => utcNow.AddHours(1),
        "tomorrow" => TimeZoneInfo.ConvertTimeToUtc(TimeZoneInfo.ConvertTimeFromUtc(utcNow, zone).Date.AddDays(1).AddHours(9), zone),
        _ => null,
    };

    /// <summary>A browser's datetime-local value ("2026-12-05T15:00") in the person's time zone, as UTC; null when it is not one.</summary>
    public static DateTime? LocalToUtc(string? local, TimeZoneInfo zone)
    {
        if (!DateTime.TryParse(local, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed)
            || zone.IsInvalidTime(parsed))
        {
            return null;
        }
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(parsed, DateTimeKind.Unspecified), zone);
    }
}

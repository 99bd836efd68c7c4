using ChatApp.Data;

namespace ChatApp.Chat;

/// <summary>
/// What a member's <see cref="NotificationLevel"/> and do-not-disturb let through: which unread messages the sidebar
/// badges and which arriving message raises a browser notification. Decided in the circuit; the browser only shows.
/// </summary>
public static class NotificationRules
{
    /// <summary>The level in effect: Default means every message in a direct message, mentions in a room.</summary>
    public static NotificationLevel Effective(NotificationLevel level, bool isDirect) => level switch
    {
        NotificationLevel.Default => isDirect ? NotificationLevel.All : NotificationLevel.Mentions,
        _ => level,
    };

    /// <summary>Whether every unread message counts in the badge (otherwise only the mention count shows).</summary>
    public static bool BadgesEveryMessage(NotificationLevel level) => level is NotificationLevel.Default or NotificationLevel.All;

    public static bool IsDoNotDisturb(DateTime? doNotDisturbUntil, DateTime utcNow) => doNotDisturbUntil > utcNow;

    /// <summary>
    /// Whether a message that just arrived should raise a browser notification for <paramref name="meId"/>. A reply in a
    /// thread the reader follows counts like a mention; a thread-only reply notifies for nothing else.
    /// </summary>
    public static bool ShouldNotify(ChatMessage message, string meId, NotificationLevel level, bool isDirect,
        DateTime? doNotDisturbUntil, DateTime utcNow, bool pageVisible, bool followedThread = false)
    {
        if (message.AuthorId == meId || message.IsDeleted || pageVisible || IsDoNotDisturb(doNotDisturbUntil, utcNow))
        {
            return false;
        }
        return Effective(level, isDirect) switch
        {
            NotificationLevel.All => message.InRoom || message.Mentions(meId) || followedThread,
            NotificationLevel.Mentions => message.Mentions(meId) || followedThread,
            _ => false,
        };
    }

    /// <summary>A level from a form or a select; null for anything that is not one.</summary>
    public static NotificationLevel? ParseLevel(string? value) =>
        Enum.TryParse<NotificationLevel>(value, ignoreCase: false, out var level) && Enum.IsDefined(level) && !int.TryParse(value, out _) ? level : null;

    /// <summary>"Do not disturb until 15:00" (with the day when it is not today) while it is on, else null.</summary>
    public static string? DoNotDisturbLabel(DateTime? until, TimeZoneInfo zone, DateTime utcNow) =>
        until is { } end && IsDoNotDisturb(until, utcNow) ? $"Do not disturb {PersonalStatus.Until(end, zone, utcNow)}" : null;
}

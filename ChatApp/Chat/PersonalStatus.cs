using System.Globalization;

namespace ChatApp.Chat;

/// <summary>What someone says about themselves next to their name: one emoji, a short text, or both, until a time.</summary>
public sealed record PersonalStatus(string? Emoji, string? Text, DateTime? ExpiresAt)
{
    /// <summary>The stored columns as a status; null when there is none.</summary>
    public static PersonalStatus? From(string? emoji, string? text, DateTime? expiresAt) =>
        emoji is null && text is null ? null : new(emoji, text, expiresAt);

    /// <summary>Expired statuses are not shown; nothing clears them in the background.</summary>
    public bool IsShownAt(DateTime utcNow) => ExpiresAt is null || ExpiresAt > utcNow;

    /// <summary>"In a meeting · until 15:00" in the reader's time zone (with the day when it is not today).</summary>
    public string Describe(TimeZoneInfo zone, DateTime utcNow)
    {
        var text = string.Join(" ", new[] { Emoji, Text }.Where(part => part is not null));
        return ExpiresAt is { } expires ? $"{text} · {Until(expires, zone, utcNow)}" : text;
    }

    /// <summary>"until 15:00" in the reader's time zone, "until Mon 09:00" when it is not today.</summary>
    public static string Until(DateTime utc, TimeZoneInfo zone, DateTime utcNow)
    {
        var until = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc), zone).Date;
        return "until " + until.ToString(until.Date == today ? "HH:mm" : "ddd HH:mm", CultureInfo.InvariantCulture);
    }
}

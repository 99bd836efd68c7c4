using System.Globalization;
using System.Text;
using ChatApp.Data;

namespace ChatApp.Security;

/// <summary>
/// A status is shown next to a name, so it passes the display name's rules: no invisible or text-direction
/// characters, compatibility forms folded (NFKC), at most 40 characters, and (checked with the database in
/// <see cref="UserStatusService"/>) text that does not look like someone's name. The emoji is one emoji, not text.
/// </summary>
public static class StatusRules
{
    /// <summary>Returns why the status text is not allowed, or null when it is (empty means no text).</summary>
    public static string? CheckText(string? text)
    {
        if (text is not null && text.Any(DisplayNameRules.IsInvisible))
        {
            return "Status may not contain invisible, control or text-direction characters.";
        }
        var normalized = NormalizeText(text);
        if (normalized is null)
        {
            return null;
        }
        if (normalized.Length > ApplicationUser.StatusTextMaxLength)
        {
            return $"Status must be at most {ApplicationUser.StatusTextMaxLength} characters.";
        }
        if (!normalized.All(c => char.IsLetterOrDigit(c) || c == ' ' || char.IsPunctuation(c)))
        {
            return "Status may contain letters, digits, spaces and punctuation only; put an emoji in the emoji field.";
        }
        return null;
    }

    /// <summary>The text as stored: NFKC, runs of spaces as one, trimmed; null when nothing is left.</summary>
    public static string? NormalizeText(string? text) => DisplayNameRules.Normalize(text) is { Length: > 0 } normalized ? normalized : null;

    /// <summary>Returns why the emoji is not allowed, or null when it is one emoji (or empty).</summary>
    public static string? CheckEmoji(string? emoji)
    {
        var trimmed = emoji?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return null;
        }
        if (trimmed.Length > ApplicationUser.StatusEmojiMaxLength || new StringInfo(trimmed).LengthInTextElements != 1 || !IsEmoji(trimmed))
        {
            return "Pick a single emoji.";
        }
        return null;
    }

    public static string? NormalizeEmoji(string? emoji) => emoji?.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>Returns why the expiry is not allowed, or null (none, or in the future).</summary>
    public static string? CheckExpiry(DateTime? expiresAt, DateTime utcNow) =>
        expiresAt is { } at && at <= utcNow ? "The status would already have expired: pick a later time." : null;

    // One grapheme cluster that starts with a pictograph and holds nothing but emoji parts: joiners (ZWJ), the
    // emoji presentation selector, skin tones, keycap and tag characters (subdivision flags).
    private static bool IsEmoji(string cluster)
    {
        var runes = cluster.EnumerateRunes().ToList();
        return Rune.GetUnicodeCategory(runes[0]) == UnicodeCategory.OtherSymbol
            && runes.All(rune => Rune.GetUnicodeCategory(rune) is UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol
                || rune.Value is 0x200D or 0xFE0F or 0x20E3 or (>= 0xE0020 and <= 0xE007F));
    }
}

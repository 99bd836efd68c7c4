namespace ChatApp.Chat;

public static class MessageRules
{
    /// <summary>
    /// Text as it will be stored: surrounding blank lines and spaces removed, and control characters other than line
    /// breaks and tabs (PostgreSQL text cannot hold NUL, and search uses \u0001-\u0003 as markers).
    /// </summary>
    public static string Normalize(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        return trimmed.Any(IsStrippedControl) ? new string([.. trimmed.Where(c => !IsStrippedControl(c))]).Trim() : trimmed;
    }

    private static bool IsStrippedControl(char c) => char.IsControl(c) && c is not ('\n' or '\r' or '\t');

    public static bool IsBlank(string? text) => string.IsNullOrWhiteSpace(text);

    /// <summary>Why this text cannot be sent, or null when it can.</summary>
    public static string? Check(string? text, int maxLength)
    {
        var normalized = Normalize(text);
        if (normalized.Length == 0)
        {
            return "Type a message first.";
        }
        return normalized.Length > maxLength
            ? $"Messages can be at most {maxLength:N0} characters; this one has {normalized.Length:N0}. Shorten it and send again."
            : null;
    }
}

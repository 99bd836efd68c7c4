namespace ChatApp.Chat;

public static class MessageRules
{
    /// <summary>Text as it will be stored: surrounding blank lines and spaces removed.</summary>
    public static string Normalize(string? text) => text?.Trim() ?? "";

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

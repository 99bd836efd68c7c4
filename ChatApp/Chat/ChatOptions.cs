using System.ComponentModel.DataAnnotations;

namespace ChatApp.Chat;

public enum RegistrationMode
{
    /// <summary>Anyone can create an account.</summary>
    Open,

    /// <summary>Only admins create accounts.</summary>
    Closed,
}

/// <summary>Settings of the <c>Chat</c> configuration section.</summary>
public sealed class ChatOptions
{
    public const string SectionName = "Chat";

    public RegistrationMode Registration { get; set; } = RegistrationMode.Open;

    /// <summary>Accounts registered with one of these emails are granted the Admin role.</summary>
    public string[] AdminEmails { get; set; } = [];

    [Range(1, 100_000)]
    public int MaxMessageLength { get; set; } = 4000;

    /// <summary>Messages shown when a room opens, and per page when scrolling up.</summary>
    [Range(10, 500)]
    public int HistoryPageSize { get; set; } = 50;

    /// <summary>People in a group direct message, including its creator.</summary>
    [Range(2, 50)]
    public int MaxDirectMessageMembers { get; set; } = 8;

    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan AwayAfter { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan TypingTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public SendRateLimitOptions RateLimit { get; set; } = new();
}

/// <summary>Per-user token bucket for sending messages.</summary>
public sealed class SendRateLimitOptions
{
    [Range(1, 10_000)]
    public int Burst { get; set; } = 10;

    [Range(0.001, 10_000)]
    public double MessagesPerSecond { get; set; } = 1;
}

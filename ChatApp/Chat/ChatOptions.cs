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
}

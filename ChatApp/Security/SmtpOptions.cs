using System.ComponentModel.DataAnnotations;

namespace ChatApp.Security;

/// <summary>The optional <c>Smtp</c> section; when it names a host, accounts must confirm their email.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public bool EnableSsl { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [EmailAddress]
    public string From { get; set; } = "chatapp@localhost";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

using System.Net;
using System.Net.Mail;
using ChatApp.Chat;
using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>Sends Identity's account emails through the configured SMTP server.</summary>
internal sealed class SmtpEmailSender(IOptions<SmtpOptions> options, IOptions<ChatOptions> chat, ILogger<SmtpEmailSender> logger) : IEmailSender<ApplicationUser>
{
    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink) =>
        SendAsync(email, "Confirm your ChatApp account",
            $"Welcome to ChatApp, {WebUtility.HtmlEncode(user.DisplayName)}. <a href='{OnPublicUrl(confirmationLink)}'>Confirm your account</a>.");

    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) =>
        SendAsync(email, "Reset your ChatApp password", $"<a href='{OnPublicUrl(resetLink)}'>Reset your password</a>.");

    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) =>
        SendAsync(email, "Your ChatApp password reset code", $"Your code: {WebUtility.HtmlEncode(resetCode)}");

    /// <summary>A link that slipped past <see cref="AccountEmailLinks"/> is a bug; mailing it could hand a code to another site.</summary>
    private string OnPublicUrl(string htmlEncodedLink)
    {
        var publicUrl = AccountEmailLinks.PublicBaseUri(chat.Value)
            ?? throw new InvalidOperationException("Chat:PublicUrl is required when Smtp:Host is set.");
        return WebUtility.HtmlDecode(htmlEncodedLink).StartsWith(publicUrl.AbsoluteUri, StringComparison.OrdinalIgnoreCase)
            ? htmlEncodedLink
            : throw new InvalidOperationException("Account email links must start with Chat:PublicUrl; build them with AccountEmailLinks.");
    }

    private async Task SendAsync(string to, string subject, string htmlBody)
    {
        var smtp = options.Value;
        using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl };
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);
        }
        using var message = new MailMessage(smtp.From, to, subject, htmlBody) { IsBodyHtml = true };
        await client.SendMailAsync(message);
        logger.LogInformation("Sent '{Subject}' email", subject);
    }
}

using System.Net;
using System.Net.Mail;
using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>Sends Identity's account emails through the configured SMTP server.</summary>
internal sealed class SmtpEmailSender(IOptions<SmtpOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender<ApplicationUser>
{
    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink) =>
        SendAsync(email, "Confirm your ChatApp account",
            $"Welcome to ChatApp, {WebUtility.HtmlEncode(user.DisplayName)}. <a href='{confirmationLink}'>Confirm your account</a>.");

    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) =>
        SendAsync(email, "Reset your ChatApp password", $"<a href='{resetLink}'>Reset your password</a>.");

    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) =>
        SendAsync(email, "Your ChatApp password reset code", $"Your code: {WebUtility.HtmlEncode(resetCode)}");

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

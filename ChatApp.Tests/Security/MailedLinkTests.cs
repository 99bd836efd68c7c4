using System.Collections.Concurrent;
using System.Net;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>
/// Links in account emails use Chat:PublicUrl, whatever Host the request that caused the mail named. Host
/// filtering is opened here (AllowedHosts "*") so the forged Host reaches the forms: the links must not depend on it.
/// </summary>
[Trait("Cost", "http")]
public sealed class MailedLinkTests : IDisposable
{
    private const string PublicUrl = "https://chat.example.com";
    private const string ForgedHost = "https://evil.example";

    private readonly RecordingEmailSender mail = new();
    private readonly ChatAppFactory app = new();

    public MailedLinkTests()
    {
        app.Settings["Smtp:Host"] = "smtp.example.com";
        app.Settings["Smtp:From"] = "chat@example.com";
        app.Settings["Chat:PublicUrl"] = PublicUrl;
        app.Settings["AllowedHosts"] = "*";
    }

    public void Dispose() => app.Dispose();

    private FormClient NewBrowser(string baseAddress = ForgedHost) => new(app.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<IEmailSender<ApplicationUser>>(mail)))
        .CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(baseAddress) }));

    [Fact]
    public async Task Forgot_password_with_a_forged_host_mails_a_link_to_the_public_address()
    {
        var alice = await app.CreateAsync("Alice");

        await NewBrowser().PostFormAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = alice.Email! });

        AssertOnPublicUrl(Assert.Single(mail.Links), "/Account/ResetPassword?");
    }

    [Fact]
    public async Task Registration_with_a_forged_host_mails_a_confirmation_link_to_the_public_address()
    {
        await NewBrowser().RegisterAsync("Alice", "alice@example.com");

        AssertOnPublicUrl(Assert.Single(mail.Links), "/Account/ConfirmEmail?");
    }

    [Fact]
    public async Task Resending_the_confirmation_with_a_forged_host_mails_a_link_to_the_public_address()
    {
        var alice = await app.CreateAsync("Alice");

        await NewBrowser().PostFormAsync("/Account/ResendEmailConfirmation", "resend-email-confirmation", new Dictionary<string, string> { ["Input.Email"] = alice.Email! });

        AssertOnPublicUrl(Assert.Single(mail.Links), "/Account/ConfirmEmail?");
    }

    [Fact]
    public async Task Changing_email_with_a_forged_host_mails_links_to_the_public_address()
    {
        var alice = await app.CreateAsync("Alice");
        var browser = NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LoginAsync(alice.Email!)).StatusCode);

        await browser.PostFormAsync("/Account/Manage/Email", "change-email", new Dictionary<string, string> { ["Input.NewEmail"] = "alice.new@example.com" });
        await browser.PostFormAsync("/Account/Manage/Email", "send-verification", new Dictionary<string, string>());

        Assert.Equal(2, mail.Links.Count);
        AssertOnPublicUrl(mail.Links.First(), "/Account/ConfirmEmailChange?");
        AssertOnPublicUrl(mail.Links.Last(), "/Account/ConfirmEmail?");
    }

    [Fact]
    public async Task The_smtp_sender_refuses_a_link_outside_the_public_address()
    {
        var sender = new SmtpEmailSender(Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = 9 }),
            app.GetRequiredService<IOptions<ChatApp.Chat.ChatOptions>>(), app.GetRequiredService<ILogger<SmtpEmailSender>>());
        var alice = new ApplicationUser { DisplayName = "Alice", Email = "alice@example.com" };

        await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendPasswordResetLinkAsync(alice, alice.Email, "http://evil.example/Account/ResetPassword?code=x"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendConfirmationLinkAsync(alice, alice.Email, "https://chat.example.com.evil.example/Account/ConfirmEmail"));
    }

    private static void AssertOnPublicUrl((string Email, string Url) link, string page) =>
        Assert.StartsWith(PublicUrl + page, WebUtility.HtmlDecode(link.Url), StringComparison.Ordinal);

    private sealed class RecordingEmailSender : IEmailSender<ApplicationUser>
    {
        public ConcurrentQueue<(string Email, string Url)> Links { get; } = new();

        public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink)
        {
            Links.Enqueue((email, confirmationLink));
            return Task.CompletedTask;
        }

        public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink)
        {
            Links.Enqueue((email, resetLink));
            return Task.CompletedTask;
        }

        public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) => Task.CompletedTask;
    }
}

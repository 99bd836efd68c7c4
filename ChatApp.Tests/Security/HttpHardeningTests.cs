using System.Net;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;

namespace ChatApp.Security;

[Trait("Cost", "http")]
public sealed class HttpHardeningTests : IDisposable
{
    private readonly ChatAppFactory app = new() { Environment = "Production" };

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task Pages_carry_a_strict_content_security_policy_and_hardening_headers()
    {
        var response = await app.CreateBrowserLikeClient().GetAsync("/");

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Outside_development_HTTPS_is_enforced_with_HSTS_and_a_redirect()
    {
        app.Settings["https_port"] = "443";
        // HSTS is never sent to localhost, so ask as the public host would be asked.
        var https = await app.CreateClient(new() { BaseAddress = new Uri("https://chat.example.com") }).GetAsync("/");
        var plain = await app.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("http://localhost") }).GetAsync("/");

        Assert.True(https.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal("https://localhost/", plain.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_auth_cookie_is_secure_http_only_same_site_and_holds_only_a_session_key()
    {
        var browser = new FormClient(app.CreateBrowserLikeClient());

        var response = await browser.RegisterAsync("Alice", "alice@example.com");

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        var attributes = cookie.ToLowerInvariant();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        // A whole protected ticket is well over a kilobyte; a session key fits in a few hundred bytes.
        var value = cookie.Split(';')[0].Split('=', 2)[1];
        Assert.InRange(value.Length, 1, 600);
    }

    [Fact]
    public async Task An_exception_outside_development_shows_the_error_page_without_a_stack_trace()
    {
        var failing = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IEmailSender<ApplicationUser>, ThrowingEmailSender>()));
        var alice = await app.CreateAsync("Alice");
        var browser = new FormClient(failing.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") }));

        var response = await browser.PostFormAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = alice.Email! });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong", html);
        Assert.DoesNotContain(ThrowingEmailSender.Secret, html);
        Assert.DoesNotContain("Exception", html);
        Assert.DoesNotContain(" at ", html);
    }

    [Fact]
    public async Task The_antiforgery_cookie_is_secure_and_http_only_outside_development()
    {
        var response = await app.CreateBrowserLikeClient().GetAsync("/Account/Login");

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("secure", cookie);
        Assert.Contains("httponly", cookie);
    }

    [Fact]
    public async Task Loopback_gets_HSTS_and_the_legacy_XSS_filter_header_like_the_public_host()
    {
        app.Settings["https_port"] = "443";

        var response = await app.CreateClient(new() { BaseAddress = new Uri("https://127.0.0.1") }).GetAsync("/");

        Assert.Equal("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal("1; mode=block", response.Headers.GetValues("X-XSS-Protection").Single());
    }

    private sealed class ThrowingEmailSender : IEmailSender<ApplicationUser>
    {
        public const string Secret = "smtp-password-in-the-message";

        public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink) => throw new InvalidOperationException(Secret);

        public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) => throw new InvalidOperationException(Secret);

        public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) => throw new InvalidOperationException(Secret);
    }
}

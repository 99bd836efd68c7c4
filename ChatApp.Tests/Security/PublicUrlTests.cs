using System.Net;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>Chat:PublicUrl: required with SMTP, checked at start, and the only host served unless AllowedHosts says otherwise.</summary>
[Trait("Cost", "http")]
public sealed class PublicUrlTests : IDisposable
{
    private readonly ChatAppFactory app = new() { Environment = "Production" };

    public void Dispose() => app.Dispose();

    [Fact]
    public void With_smtp_and_no_public_url_the_app_does_not_start()
    {
        app.Settings["Smtp:Host"] = "smtp.example.com";

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Chat:PublicUrl is required when Smtp:Host is set", error.Message);
    }

    [Theory]
    [InlineData("chat.example.com")]
    [InlineData("ftp://chat.example.com")]
    [InlineData("/chat")]
    [InlineData("https://chat.example.com/?next=x")]
    public void A_public_url_that_is_not_an_absolute_http_address_stops_the_start(string value)
    {
        app.Settings["Chat:PublicUrl"] = value;

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Chat:PublicUrl must be an absolute http or https address", error.Message);
    }

    [Fact]
    public async Task Without_allowed_hosts_only_the_public_host_is_served()
    {
        app.Settings["Chat:PublicUrl"] = "https://chat.example.com";

        var known = await app.CreateClient(new() { BaseAddress = new Uri("https://chat.example.com") }).GetAsync("/Account/Login");
        var forged = await app.CreateClient(new() { BaseAddress = new Uri("https://evil.example") }).GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task Allowed_hosts_set_by_the_operator_win_over_the_public_url()
    {
        app.Settings["Chat:PublicUrl"] = "https://chat.example.com";
        app.Settings["AllowedHosts"] = "chat.example.com;chat.example.org";

        var other = await app.CreateClient(new() { BaseAddress = new Uri("https://chat.example.org") }).GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}

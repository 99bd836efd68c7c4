using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>Reads the options the running app really uses, outside Development.</summary>
[Trait("Cost", "http")]
public sealed class ConfigurationTests : IClassFixture<ConfigurationTests.ProductionApp>
{
    public sealed class ProductionApp : ChatAppFactory
    {
        public ProductionApp()
        {
            Environment = "Production";
            Settings.Clear();
        }
    }

    private readonly ProductionApp app;

    public ConfigurationTests(ProductionApp app)
    {
        this.app = app;
        app.CreateClient().Dispose();
    }

    [Fact]
    public void Circuits_and_the_hub_send_no_detailed_errors_and_accept_only_small_messages()
    {
        var circuit = app.GetRequiredService<IOptions<CircuitOptions>>().Value;
        var hub = app.GetRequiredService<IOptions<HubOptions>>().Value;

        Assert.False(circuit.DetailedErrors);
        Assert.False(hub.EnableDetailedErrors);
        Assert.Equal(64 * 1024, hub.MaximumReceiveMessageSize);
    }

    [Fact]
    public void The_auth_cookie_uses_the_server_side_session_store_and_strict_flags()
    {
        var cookie = app.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);

        Assert.IsType<DatabaseTicketStore>(cookie.SessionStore);
        Assert.True(cookie.Cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Lax, cookie.Cookie.SameSite);
        Assert.Equal(CookieSecurePolicy.Always, cookie.Cookie.SecurePolicy);
    }

    [Fact]
    public void The_Blazor_hub_allows_the_WebSockets_transport_only()
    {
        var endpoints = app.GetRequiredService<EndpointDataSource>().Endpoints;
        var dispatchers = endpoints.SelectMany(e => e.Metadata.OfType<HttpConnectionDispatcherOptions>()).ToList();

        Assert.NotEmpty(dispatchers);
        Assert.All(dispatchers, d => Assert.Equal(HttpTransportType.WebSockets, d.Transports));
    }

    [Fact]
    public void Defaults_match_the_documented_limits()
    {
        var chat = app.GetRequiredService<IOptions<ChatOptions>>().Value;
        var identity = app.GetRequiredService<IOptions<IdentityOptions>>().Value;

        Assert.Equal(10, chat.RateLimit.Burst);
        Assert.Equal(1, chat.RateLimit.MessagesPerSecond);
        Assert.Equal(20, chat.RateLimit.AccountAttemptsPerMinute);
        Assert.Equal(120, chat.RateLimit.ConnectsPerMinute);
        Assert.Equal(20, chat.MaxCircuitsPerUser);
        Assert.Equal(4000, chat.MaxMessageLength);
        Assert.True(identity.Lockout.AllowedForNewUsers);
        Assert.Equal(5, identity.Lockout.MaxFailedAccessAttempts);
    }
}

using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ChatApp.Tests.Infrastructure;

/// <summary>A person as the test provider knows them; disabling them makes the provider refuse their tokens.</summary>
public sealed class ProviderUser(string subject, string name, string email, bool emailVerified)
{
    public string Subject { get; } = subject;
    public string Name { get; } = name;
    public string Email { get; } = email;
    public bool EmailVerified { get; } = emailVerified;
    public volatile bool Disabled;
}

/// <summary>
/// A real OpenID Connect provider (OpenIddict: discovery, authorization code with PKCE, refresh tokens, userinfo,
/// signed id tokens) on a free loopback port, with EF Core SQLite stores. Its authorization endpoint signs in
/// <see cref="NextSignIn"/> without a login form, the way an identity provider with a remembered session does.
/// </summary>
public sealed class OpenIdProvider : IAsyncLifetime
{
    public const string Scheme = "TestIdP";
    public const string DisplayName = "Test IdP";
    public const string ClientId = "chatapp";
    public const string ClientSecret = "chatapp-test-secret-8c1f";

    private readonly ConcurrentDictionary<string, ProviderUser> users = new();
    private readonly HashSet<Uri> redirectUris = [];
    private readonly SemaphoreSlim clientGate = new(1, 1);
    private readonly SqliteConnection connection = new("Data Source=:memory:");
    private WebApplication? app;
    private int refreshGrants;

    public string Authority { get; } = $"http://localhost:{ExternalApp.FreePort()}/";

    /// <summary>Who the next authorization request signs in.</summary>
    public ProviderUser? NextSignIn { get; set; }

    /// <summary>How many refresh-token grants the provider answered (accepted or refused).</summary>
    public int RefreshGrants => Volatile.Read(ref refreshGrants);

    /// <summary>Settings that point ChatApp at this provider.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ChatAppSettings()
    {
        var prefix = $"Authentication:OpenIdConnect:Providers:{Scheme}:";
        yield return new(prefix + "Authority", Authority);
        yield return new(prefix + "ClientId", ClientId);
        yield return new(prefix + "ClientSecret", ClientSecret);
        yield return new(prefix + "DisplayName", DisplayName);
        yield return new(prefix + "RequireHttpsMetadata", "false");
    }

    public ProviderUser AddUser(string name, bool emailVerified = true, string? email = null)
    {
        var user = new ProviderUser(Guid.NewGuid().ToString("N"), name, email ?? $"{name.Replace(' ', '.').ToLowerInvariant()}@idp.example.com", emailVerified);
        users[user.Subject] = user;
        return user;
    }

    /// <summary>Registers ChatApp's callback address (ChatApp's port is known only once it started).</summary>
    public async Task AllowRedirectAsync(string chatAppBaseUrl)
    {
        await clientGate.WaitAsync();
        try
        {
            if (!redirectUris.Add(new Uri(new Uri(chatAppBaseUrl), $"signin-oidc-{Scheme.ToLowerInvariant()}")))
            {
                return;
            }
            await using var scope = app!.Services.CreateAsyncScope();
            var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            if (await manager.FindByClientIdAsync(ClientId) is { } existing)
            {
                await manager.DeleteAsync(existing);
            }
            var client = new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                ClientType = ClientTypes.Confidential,
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Email, Permissions.Scopes.Profile,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            };
            client.RedirectUris.UnionWith(redirectUris);
            await manager.CreateAsync(client);
        }
        finally
        {
            clientGate.Release();
        }
    }

    public async Task InitializeAsync()
    {
        await connection.OpenAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(Authority.TrimEnd('/'));
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<ProviderDbContext>(options => options.UseSqlite(connection).UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<ProviderDbContext>())
            .AddServer(server =>
            {
                server.SetIssuer(new Uri(Authority))
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .RegisterScopes(Scopes.Email, Scopes.Profile, Scopes.OfflineAccess)
                    .AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                server.UseAspNetCore()
                    .DisableTransportSecurityRequirement()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough();
            });
        app = builder.Build();
        app.MapMethods("connect/authorize", ["GET", "POST"], (Delegate)Authorize);
        app.MapPost("connect/token", (Delegate)TokenAsync);
        app.MapMethods("connect/userinfo", ["GET", "POST"], (Delegate)UserInfoAsync);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDbContext>().Database.EnsureCreatedAsync();
        }
        await app.StartAsync();
    }

    private IResult Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (NextSignIn is not { Disabled: false } user)
        {
            return Refuse(Errors.AccessDenied, "No test user signs in, or the user is disabled.");
        }
        var principal = PrincipalOf(user);
        principal.SetScopes(request.GetScopes());
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsRefreshTokenGrantType())
        {
            Interlocked.Increment(ref refreshGrants);
        }
        // OpenIddict has already checked the code or refresh token; whether its user may still sign in is ours to say.
        var granted = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (granted.Principal?.GetClaim(Claims.Subject) is not { } subject || !users.TryGetValue(subject, out var user) || user.Disabled)
        {
            return Refuse(Errors.InvalidGrant, "The user is no longer allowed to sign in.");
        }
        var principal = PrincipalOf(user);
        principal.SetScopes(granted.Principal.GetScopes());
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> UserInfoAsync(HttpContext context)
    {
        var granted = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (granted.Principal?.GetClaim(Claims.Subject) is not { } subject || !users.TryGetValue(subject, out var user) || user.Disabled)
        {
            return Results.Challenge(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        return Results.Json(new Dictionary<string, object>
        {
            [Claims.Subject] = user.Subject,
            [Claims.Name] = user.Name,
            [Claims.Email] = user.Email,
            [Claims.EmailVerified] = user.EmailVerified,
        });
    }

    private static ClaimsPrincipal PrincipalOf(ProviderUser user)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Name, user.Name).SetClaim(Claims.Email, user.Email);
        identity.AddClaim(new Claim(Claims.EmailVerified, user.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean));
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return new ClaimsPrincipal(identity);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
        await connection.DisposeAsync();
    }

    private sealed class ProviderDbContext(DbContextOptions<ProviderDbContext> options) : DbContext(options);
}

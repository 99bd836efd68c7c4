using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ChatApp.Data;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>
/// Every <see cref="SingleSignOnOptions.RevalidateEvery"/>, asks each provider about the people signed in with it
/// who still have a session: a refresh-token grant (or, without a refresh token, a userinfo call). When the provider
/// refuses, the person's sessions and open tabs end the way a lock ends them. An unreachable provider ends nothing.
/// </summary>
public sealed partial class ProviderRevalidator(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    IServiceScopeFactory scopes,
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    IOptions<SingleSignOnOptions> options,
    SessionRevoker revoker,
    AuditLog audit,
    TimeProvider time,
    ILogger<ProviderRevalidator> logger) : BackgroundService
{
    private const string RefreshToken = "refresh_token";
    private const string AccessToken = "access_token";

    private enum Verdict { Valid, Refused, Unknown }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RevalidateEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RevalidateAllAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Revalidating single sign-on users failed; trying again at the next interval.");
            }
        }
    }

    internal async Task RevalidateAllAsync(CancellationToken cancellationToken)
    {
        var providers = options.Value.Providers.Keys.ToList();
        List<(string UserId, string Provider)> signedIn;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            signedIn = (await db.UserTokens
                .Where(t => providers.Contains(t.LoginProvider) && (t.Name == RefreshToken || t.Name == AccessToken))
                .Where(t => db.UserSessions.Any(s => s.UserId == t.UserId))
                .Select(t => new { t.UserId, t.LoginProvider })
                .Distinct()
                .ToListAsync(cancellationToken))
                .Select(t => (t.UserId, t.LoginProvider)).ToList();
        }
        foreach (var (userId, provider) in signedIn)
        {
            await RevalidateAsync(userId, provider, cancellationToken);
        }
    }

    private async Task RevalidateAsync(string userId, string provider, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return;
        }
        var refreshToken = await users.GetAuthenticationTokenAsync(user, provider, RefreshToken);
        Verdict verdict;
        try
        {
            verdict = refreshToken is not null
                ? await RefreshAsync(users, user, provider, refreshToken, cancellationToken)
                : await AskUserInfoAsync(provider, await users.GetAuthenticationTokenAsync(user, provider, AccessToken), cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException or JsonException or InvalidOperationException)
        {
            LogProviderUnreachable(exception, provider, userId);
            return;
        }
        if (verdict != Verdict.Refused)
        {
            return;
        }
        // Another server may have used the refresh token first (providers rotate them): its answer stands.
        if (refreshToken is not null && await users.GetAuthenticationTokenAsync(user, provider, RefreshToken) != refreshToken)
        {
            return;
        }
        LogRefused(provider, userId);
        await users.RemoveAuthenticationTokenAsync(user, provider, RefreshToken);
        await users.RemoveAuthenticationTokenAsync(user, provider, AccessToken);
        await revoker.EndAllSessionsAsync(userId, actor: new AuditActor(null, provider, null));
        await audit.WriteAsync(AuditActions.ProviderRevoked, new AuditActor(null, provider, null), user.Id, user.DisplayName,
            $"{provider} no longer accepts this account; its sessions were ended");
    }

    private async Task<Verdict> RefreshAsync(UserManager<ApplicationUser> users, ApplicationUser user, string provider, string refreshToken, CancellationToken cancellationToken)
    {
        var oidc = oidcOptions.Get(provider);
        var configuration = await oidc.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = RefreshToken,
            [RefreshToken] = refreshToken,
            ["client_id"] = oidc.ClientId!,
        };
        if (!string.IsNullOrEmpty(oidc.ClientSecret))
        {
            form["client_secret"] = oidc.ClientSecret;
        }
        using var response = await oidc.Backchannel.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(form), cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
        {
            return Verdict.Refused;
        }
        if (!response.IsSuccessStatusCode)
        {
            LogUnexpectedAnswer(provider, (int)response.StatusCode);
            return Verdict.Unknown;
        }
        using var tokens = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        foreach (var name in new[] { RefreshToken, AccessToken })
        {
            if (tokens.RootElement.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } token)
            {
                await users.SetAuthenticationTokenAsync(user, provider, name, token);
            }
        }
        return Verdict.Valid;
    }

    private async Task<Verdict> AskUserInfoAsync(string provider, string? accessToken, CancellationToken cancellationToken)
    {
        if (accessToken is null)
        {
            return Verdict.Refused;
        }
        var oidc = oidcOptions.Get(provider);
        var configuration = await oidc.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, configuration.UserInfoEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await oidc.Backchannel.SendAsync(request, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Verdict.Refused,
            _ when response.IsSuccessStatusCode => Verdict.Valid,
            _ => Verdict.Unknown,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} no longer accepts user {UserId}; ending their sessions.")]
    private partial void LogRefused(string provider, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not revalidate user {UserId} with {Provider}; the session stays until the provider answers.")]
    private partial void LogProviderUnreachable(Exception exception, string provider, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} answered the revalidation with HTTP {Status}; nothing is ended.")]
    private partial void LogUnexpectedAnswer(string provider, int status);
}

using System.Net;
using System.Threading.RateLimiting;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>Limit on one message from the browser to the circuit: a pasted 16,000-character message fits, a flood does not.</summary>
    public const long MaximumReceiveMessageSize = 64 * 1024;

    /// <summary>Server-side sessions, the live circuit registry, rate limits and hardened cookie and circuit options.</summary>
    public static IServiceCollection AddChatSecurity(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<LiveCircuits>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<AdminRoster>();
        services.AddSingleton<SessionRevoker>();
        services.AddSingleton<UserStatusService>();
        services.AddSingleton<DatabaseTicketStore>();
        services.AddScoped<CircuitSession>();
        services.AddScoped<CircuitHandler, SecurityCircuitHandler>();
        services.AddScoped<CircuitHandler, PresenceCircuitHandler>();

        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<DatabaseTicketStore>((cookie, store) =>
            {
                cookie.SessionStore = store;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                cookie.ExpireTimeSpan = TimeSpan.FromDays(14);
                cookie.SlidingExpiration = true;
            });
        services.Configure<AntiforgeryOptions>(options =>
        {
            options.Cookie.HttpOnly = true;
            // Secure on HTTPS; "Always" would make antiforgery throw on a plain-HTTP request instead of serving the form.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            // Loopback included: a Production build answers alike on every host, so a check on 127.0.0.1 sees what the public name gets.
            options.ExcludedHosts.Clear();
        });
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.FromMinutes(1);
            // A validation rebuilds the principal from the database; it keeps the sign-in session it came from.
            // Without this, a request validated just then (e.g. a tab's WebSocket reconnecting a minute after the
            // last page load) carried no session, and the circuit it opened was ended as "session no longer valid".
            options.OnRefreshingPrincipal = SessionKeys.KeepSessionAsync;
        });
        services.Configure<CircuitOptions>(options =>
        {
            options.DetailedErrors = environment.IsDevelopment();
            options.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(3);
        });
        services.Configure<HubOptions>(options =>
        {
            options.EnableDetailedErrors = environment.IsDevelopment();
            options.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ChatOptions>>((options, chat) =>
        {
            // Client address and scheme only: the proxy passes the public Host itself, and a forwarded host would
            // let whatever sits in front choose the origin the Blazor origin check compares against.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The configured proxies and nothing else; the defaults would trust every process on loopback.
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var proxy in chat.Value.ForwardedHeaders.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many attempts from your network. Wait a minute, then try again.", cancellationToken);
            };
            options.AddPolicy(RateLimitPolicies.Account, context => HttpMethods.IsPost(context.Request.Method)
                ? ClientPartition(context, "account", limits => limits.AccountAttemptsPerMinute)
                : RateLimitPartition.GetNoLimiter("read"));
            options.AddPolicy(RateLimitPolicies.BlazorNegotiate, context => ClientPartition(context, "connect", limits => limits.ConnectsPerMinute));
            options.AddPolicy(RateLimitPolicies.BlazorConnection, context => ClientPartition(context, "upgrade", limits => limits.ConnectsPerMinute));
        });
        return services;
    }

    /// <summary>One count per client address and minute; with Redis (a cluster) the count is shared by every server.</summary>
    private static RateLimitPartition<string> ClientPartition(HttpContext context, string name, Func<ChatRateLimitOptions, int> permitsOf)
    {
        var permits = permitsOf(context.RequestServices.GetRequiredService<IOptionsMonitor<ChatOptions>>().CurrentValue.RateLimit);
        var redis = context.RequestServices.GetService<StackExchange.Redis.IConnectionMultiplexer>();
        var prefix = context.RequestServices.GetRequiredService<IOptions<RedisOptions>>().Value.Prefix;
        var key = $"{name}:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
        return redis is null
            ? RateLimitPartition.GetFixedWindowLimiter(key, _ => PerMinute(permits))
            : RateLimitPartition.Get(key, partition => new RedisWindowLimiter(redis, $"{prefix}:limit:{partition}", permits, TimeSpan.FromMinutes(1),
                new FixedWindowRateLimiter(PerMinute(permits))));
    }

    private static FixedWindowRateLimiterOptions PerMinute(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };
}

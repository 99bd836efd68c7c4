using ChatApp.Data;
using ChatApp.Chat;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>
/// Closes cross-site WebSocket hijacking: every request to the Blazor endpoint (negotiate and the WebSocket
/// upgrade) must carry an Origin that is the app's own (scheme, host and port of the request; behind a proxy
/// listed in Chat:ForwardedHeaders:KnownProxies the scheme is the forwarded one, and the host is the Host
/// header the proxy passes on) or one listed in Chat:AllowedOrigins. Anything else gets 403. Browsers always send Origin on
/// the negotiate POST and the WebSocket upgrade, so there a missing Origin is refused too; the other
/// /_blazor requests (such as the same-origin GET of the JS initializers) carry none.
/// </summary>
internal sealed partial class BlazorOriginCheck(RequestDelegate next, IOptionsMonitor<ChatOptions> options, AuditLog audit, ILogger<BlazorOriginCheck> logger)
{
    public const string BlazorPath = "/_blazor";

    public async Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        var originRequired = IsConnectionRequest(context.Request);
        if ((origin.Length == 0 && !originRequired) || IsAllowed(origin, context.Request, options.CurrentValue.AllowedOrigins))
        {
            await next(context);
            return;
        }
        var shownOrigin = origin.Length == 0 ? "(none)" : origin;
        var ip = context.Connection.RemoteIpAddress?.ToString();
        LogRejected(context.Request.Path, shownOrigin, ip ?? "");
        await audit.WriteAsync(AuditActions.OriginRejected, AuditActor.Anonymous(shownOrigin, ip), shownOrigin, shownOrigin, context.Request.Path);
        // Answered here: the status code pages must not re-run the pipeline for this request.
        context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>()?.Enabled = false;
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsync("Origin not allowed.");
    }

    /// <summary>The negotiate call and the connection itself (WebSocket upgrade or any other transport attempt).</summary>
    private static bool IsConnectionRequest(HttpRequest request) =>
        request.Path.Equals(BlazorPath, StringComparison.OrdinalIgnoreCase)
        || request.Path.Equals($"{BlazorPath}/", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments($"{BlazorPath}/negotiate", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments(ChatApp.Chat.LiveRowFeed.Path, StringComparison.OrdinalIgnoreCase);

    internal static bool IsAllowed(string origin, HttpRequest request, IEnumerable<string> allowedOrigins)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri) || originUri.Scheme is not ("http" or "https"))
        {
            return false;
        }
        var own = new UriBuilder(request.Scheme, request.Host.Host, request.Host.Port ?? -1).Uri;
        return SameOrigin(originUri, own)
            || allowedOrigins.Any(allowed => Uri.TryCreate(allowed, UriKind.Absolute, out var allowedUri) && SameOrigin(originUri, allowedUri));
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port
        && a.AbsolutePath == "/";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Path} from origin {Origin} (client {RemoteIp})")]
    private partial void LogRejected(PathString path, string origin, string remoteIp);
}

/// <summary>
/// Refuses a new Blazor connection (negotiate, or a WebSocket opened with or without negotiating first) when the
/// user already has the maximum of live circuits, or when an anonymous client already holds its few connections:
/// no page is interactive for anonymous visitors, so only scripts open those.
/// </summary>
internal sealed class CircuitCap(RequestDelegate next, LiveCircuits circuits, IOptionsMonitor<ChatOptions> options)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> anonymousConnections = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var userId = context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        if (userId is not null)
        {
            var max = options.CurrentValue.MaxCircuitsPerUser;
            // Disconnected circuits are not counted, so a tab coming back from a network blip can reconnect.
            if (circuits.CountConnected(userId) >= max)
            {
                await RefuseAsync(context, $"ChatApp is open in {max} tabs already. Close one and reload.");
                return;
            }
            await next(context);
            return;
        }

        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var limit = options.CurrentValue.MaxAnonymousConnectionsPerClient;
        if (anonymousConnections.GetValueOrDefault(client) >= limit)
        {
            await RefuseAsync(context, "Too many connections without signing in. Sign in, then reload.");
            return;
        }
        // Negotiate is a POST; the connection (a WebSocket: the only transport offered) is the request that stays
        // open, so counting it while it runs counts the client's live connections.
        if (HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }
        anonymousConnections.AddOrUpdate(client, 1, (_, count) => count + 1);
        try
        {
            await next(context);
        }
        finally
        {
            if (anonymousConnections.AddOrUpdate(client, 0, (_, count) => count - 1) <= 0)
            {
                anonymousConnections.TryRemove(new KeyValuePair<string, int>(client, 0));
            }
        }
    }

    private static async Task RefuseAsync(HttpContext context, string message)
    {
        context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>()?.Enabled = false;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await context.Response.WriteAsync(message);
    }
}

/// <summary>Headers that keep the page from being framed, sniffed, or running script from anywhere else.</summary>
internal sealed class SecurityHeaders(RequestDelegate next, Microsoft.Extensions.Options.IOptions<SingleSignOnOptions> singleSignOn)
{
    // No 'unsafe-eval' and no inline script; inline style attributes are needed by Blazor and MudBlazor.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    // The "Sign in with …" form redirects to the provider, and form-action covers a form's redirects too.
    private readonly string policy = ContentSecurityPolicy.Replace("form-action 'self'",
        string.Join(' ', ["form-action 'self'", .. singleSignOn.Value.Providers.Values
            .Select(p => Uri.TryCreate(p.Authority, UriKind.Absolute, out var authority) ? authority.GetLeftPart(UriPartial.Authority) : null)
            .OfType<string>().Distinct()]), StringComparison.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // Ignored by current browsers; older ones with an XSS filter block the page instead of rewriting it.
        headers.XXSSProtection = "1; mode=block";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        return next(context);
    }
}

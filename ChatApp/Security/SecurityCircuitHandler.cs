using System.Security.Claims;
using ChatApp.Chat;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>
/// Files every circuit under its user and sign-in session, caps circuits per user, ends a circuit whose
/// connection comes back as someone else (or as nobody), and refuses inbound calls once revoked.
/// </summary>
internal sealed partial class SecurityCircuitHandler(
    AuthenticationStateProvider authenticationStateProvider,
    CircuitSession session,
    LiveCircuits circuits,
    IHttpContextAccessor httpContextAccessor,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<SecurityCircuitHandler> logger) : CircuitHandler
{
    private LiveCircuit? registered;

    // Before the chat's handler, which relies on the session being started.
    public override int Order => -100;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken) => OpenedAsync(circuit.Id);

    internal async Task OpenedAsync(string id)
    {
        circuitId = id;
        // Every circuit, signed in or not: one that opened anonymous and reconnects with a cookie is filed then.
        authenticationStateProvider.AuthenticationStateChanged += OnAuthenticationStateChanged;
        var user = (await authenticationStateProvider.GetAuthenticationStateAsync()).User;
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            Register(userId, user);
        }
    }

    private string circuitId = "";

    /// <summary>Files the circuit under its user and session, where revocation and the tab cap reach it.</summary>
    private void Register(string userId, ClaimsPrincipal user)
    {
        var request = httpContextAccessor.HttpContext;
        session.Start(circuitId, userId, SessionKeys.SessionIdOf(user), request?.Connection.RemoteIpAddress?.ToString());
        registered = new LiveCircuit(session, session.SessionId, request?.Connection.RemoteIpAddress?.ToString(),
            request?.Request.Headers.UserAgent.ToString(), time.GetUtcNow().UtcDateTime);
        circuits.Add(registered);

        // The connection check is the gate; this catches tabs that raced past it.
        if (circuits.CountForUser(userId) > options.Value.MaxCircuitsPerUser)
        {
            LogTooManyCircuits(userId);
            session.Revoke(RevocationReason.TooManyCircuits);
        }
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (registered is not null)
        {
            circuits.SetConnected(registered, connected: true);
        }
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (registered is not null)
        {
            circuits.SetConnected(registered, connected: false);
        }
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        authenticationStateProvider.AuthenticationStateChanged -= OnAuthenticationStateChanged;
        circuits.Remove(circuit.Id);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Once revoked, nothing from the browser is processed. For a short grace the circuit stays up (its activity
    /// dropped) so the "signed out" screen and the navigation away reach the tab; after that the circuit is ended.
    /// </summary>
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            if (!session.IsRevoked)
            {
                return next(context);
            }
            revokedAt ??= time.GetTimestamp();
            return time.GetElapsedTime(revokedAt.Value) < RevokedGrace
                ? Task.CompletedTask
                : throw new InvalidOperationException("The session of this circuit was revoked; inbound activity is refused.");
        };

    private static readonly TimeSpan RevokedGrace = TimeSpan.FromSeconds(5);
    private long? revokedAt;

    /// <summary>
    /// Blazor updates the circuit's user when a connection (re)connects, and the revalidating provider sets an
    /// anonymous user when the session is no longer valid. Either way, a different user ends the circuit.
    /// </summary>
    private async void OnAuthenticationStateChanged(Task<AuthenticationState> task) => await AuthenticationChangedAsync(task);

    internal async Task AuthenticationChangedAsync(Task<AuthenticationState> task)
    {
        try
        {
            var user = (await task).User;
            if (registered is null)
            {
                if (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId && !session.IsRevoked)
                {
                    LogSignedInLater(circuitId);
                    Register(userId, user);
                }
                return;
            }
            if (user.FindFirstValue(ClaimTypes.NameIdentifier) != session.UserId || SessionKeys.SessionIdOf(user) != session.SessionId)
            {
                LogUserChanged(session.CircuitId, user.Identity?.IsAuthenticated == true ? "another user or session" : "signed out (session no longer valid)");
                session.Revoke();
            }
        }
        catch (Exception exception)
        {
            // Failing closed: a circuit whose identity cannot be established is ended.
            logger.LogWarning(exception, "Could not read the new authentication state; ending the circuit.");
            session.Revoke();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} exceeded the live circuit cap; the newest circuit is ended.")]
    private partial void LogTooManyCircuits(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit {CircuitId} opened without signing in and is now signed in; it joins the live-circuit registry.")]
    private partial void LogSignedInLater(string circuitId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit {CircuitId} changed user or session ({Change}); it is ended.")]
    private partial void LogUserChanged(string circuitId, string change);
}

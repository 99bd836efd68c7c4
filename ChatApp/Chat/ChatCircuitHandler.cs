using System.Security.Claims;
using ChatApp.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace ChatApp.Chat;

/// <summary>Ties each circuit to its user for presence and delivery.</summary>
internal sealed class ChatCircuitHandler(
    AuthenticationStateProvider authenticationStateProvider,
    CircuitSession session,
    PresenceTracker presence) : CircuitHandler
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var state = await authenticationStateProvider.GetAuthenticationStateAsync();
        if (state.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            session.Start(circuit.Id, userId);
            presence.CircuitOpened(circuit.Id, userId);
        }
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        presence.ConnectionChanged(circuit.Id, connected: true);
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        presence.ConnectionChanged(circuit.Id, connected: false);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        presence.CircuitClosed(circuit.Id);
        return Task.CompletedTask;
    }
}

using ChatApp.Chat;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace ChatApp.Security;

/// <summary>Feeds presence from the circuit's lifetime; the session was started by the security handler.</summary>
internal sealed class PresenceCircuitHandler(CircuitSession session, PresenceTracker presence) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (session.IsActive)
        {
            presence.CircuitOpened(circuit.Id, session.UserId);
            session.Revoked += () => presence.CircuitClosed(circuit.Id);
        }
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (session.IsActive)
        {
            presence.ConnectionChanged(circuit.Id, connected: true);
        }
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

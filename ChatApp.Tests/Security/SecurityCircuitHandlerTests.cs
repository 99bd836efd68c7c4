using System.Security.Claims;
using ChatApp.Chat;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>Every circuit that acts for a signed-in user is in the live-circuit registry, however it got signed in.</summary>
[Trait("Cost", "service")]
public sealed class SecurityCircuitHandlerTests
{
    private sealed class SwitchableAuthentication : AuthenticationStateProvider
    {
        private AuthenticationState state = new(new ClaimsPrincipal(new ClaimsIdentity()));

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(state);

        /// <summary>What Blazor does when a connection comes back with the request's (now signed-in) user.</summary>
        public Task<AuthenticationState> SignIn(string userId, string sessionId)
        {
            state = new(new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, userId), new Claim(SessionKeys.ClaimType, sessionId)], "Identity.Application")));
            var task = Task.FromResult(state);
            NotifyAuthenticationStateChanged(task);
            return task;
        }
    }

    [Fact]
    public async Task A_circuit_opened_anonymous_and_signed_in_on_reconnect_joins_the_registry_and_is_revoked_with_its_session()
    {
        var authentication = new SwitchableAuthentication();
        var session = new CircuitSession();
        var circuits = new LiveCircuits(NullLogger<LiveCircuits>.Instance);
        var handler = new SecurityCircuitHandler(authentication, session, circuits, new HttpContextAccessor(),
            Options.Create(new ChatOptions()), TimeProvider.System, NullLogger<SecurityCircuitHandler>.Instance);

        await handler.OpenedAsync("circuit-1");
        Assert.Empty(circuits.All);

        await handler.AuthenticationChangedAsync(authentication.SignIn("alice", "session-a"));

        var entry = Assert.Single(circuits.ForUser("alice"));
        Assert.Equal(("circuit-1", "session-a"), (entry.CircuitId, entry.SessionId));
        Assert.True(session.IsActive);
        circuits.RevokeSession("session-a");
        Assert.True(session.IsRevoked);
        Assert.False(session.IsActive);
    }
}

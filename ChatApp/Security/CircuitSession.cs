using ChatApp.Chat;

namespace ChatApp.Security;

/// <summary>
/// The identity of one live circuit (one browser tab), fixed when the circuit opens. Once revoked it receives
/// nothing more and its inbound calls are refused.
/// </summary>
public sealed class CircuitSession : IChatRecipient
{
    private volatile bool revoked;

    public string UserId { get; private set; } = "";

    public string CircuitId { get; private set; } = "";

    public bool IsRevoked => revoked;

    public bool IsActive => !revoked && UserId.Length > 0;

    /// <summary>Raised once, on the thread that revoked the session; handlers marshal to their circuit.</summary>
    public event Action? Revoked;

    public void Start(string circuitId, string userId)
    {
        CircuitId = circuitId;
        UserId = userId;
    }

    public void Revoke()
    {
        if (revoked)
        {
            return;
        }
        revoked = true;
        Revoked?.Invoke();
    }
}

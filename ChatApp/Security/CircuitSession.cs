using ChatApp.Chat;

namespace ChatApp.Security;

public enum RevocationReason
{
    SignedOut,
    TooManyCircuits,
}

/// <summary>
/// The identity of one live circuit (one browser tab), fixed when the circuit opens. Once revoked it receives
/// nothing more and its inbound calls are refused.
/// </summary>
public sealed class CircuitSession : IChatRecipient
{
    private volatile bool revoked;

    public string UserId { get; private set; } = "";

    public string CircuitId { get; private set; } = "";

    /// <summary>Hash of the sign-in session (cookie) the circuit was opened with.</summary>
    public string? SessionId { get; private set; }

    public bool IsRevoked => revoked;

    public RevocationReason? Reason { get; private set; }

    /// <summary>The room this tab shows, for the admin's live session list.</summary>
    public string? CurrentRoom { get; set; }

    public bool IsActive => !revoked && UserId.Length > 0;

    /// <summary>Raised once, on the thread that revoked the session; handlers marshal to their circuit.</summary>
    public event Action? Revoked;

    /// <summary>The client address the circuit connected from (for audit entries of actions taken in it).</summary>
    public string? IpAddress { get; private set; }

    public void Start(string circuitId, string userId, string? sessionId, string? ipAddress = null)
    {
        CircuitId = circuitId;
        UserId = userId;
        SessionId = sessionId;
        IpAddress = ipAddress;
    }

    public void Revoke(RevocationReason reason = RevocationReason.SignedOut)
    {
        if (revoked)
        {
            return;
        }
        Reason = reason;
        revoked = true;
        Revoked?.Invoke();
    }
}

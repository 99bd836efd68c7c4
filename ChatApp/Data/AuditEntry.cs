namespace ChatApp.Data;

/// <summary>
/// One line of the append-only audit log: who did what to which target, when and from where. Entries are
/// only ever added; <see cref="ApplicationDbContext"/> refuses to save a change to or removal of one.
/// </summary>
public sealed class AuditEntry
{
    public const int NameMaxLength = 256;

    public long Id { get; set; }

    public DateTime At { get; set; }

    /// <summary>The acting user, null for anonymous actors (a failed sign-in, a foreign origin).</summary>
    public string? ActorId { get; set; }

    /// <summary>The actor as shown at the time (display name or attempted email); kept if the user is deleted.</summary>
    public string? ActorName { get; set; }

    /// <summary>What happened, e.g. <c>user.lock</c>; see <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }

    public string? TargetId { get; set; }

    public string? TargetName { get; set; }

    public string? Details { get; set; }

    public string? IpAddress { get; set; }
}

public static class AuditActions
{
    public const string SignIn = "auth.sign-in";
    public const string SignInFailed = "auth.sign-in-failed";
    public const string LockedOut = "auth.locked-out";
    public const string SignOut = "auth.sign-out";
    public const string SessionEnded = "session.end";
    public const string OriginRejected = "security.origin-rejected";
    public const string UserCreated = "user.create";
    public const string UserEdited = "user.edit";
    public const string PasswordReset = "user.reset-password";
    public const string UserLocked = "user.lock";
    public const string UserUnlocked = "user.unlock";
    public const string UserDeactivated = "user.deactivate";
    public const string UserReactivated = "user.reactivate";
    public const string AdminGranted = "user.grant-admin";
    public const string AdminRevoked = "user.revoke-admin";
    public const string UserSessionsEnded = "user.end-sessions";
    public const string UserDeleted = "user.delete";
    public const string RoomCreated = "room.create";
    public const string RoomRenamed = "room.rename";
    public const string RoomReadOnly = "room.read-only";
    public const string RoomArchived = "room.archive";
    public const string RoomDeleted = "room.delete";
    public const string MemberAdded = "room.add-member";
    public const string MemberRemoved = "room.remove-member";
    public const string MessageRemoved = "moderation.remove-message";
    public const string UserMuted = "moderation.mute";
    public const string UserUnmuted = "moderation.unmute";
    public const string CircuitEnded = "session.end-circuit";
    public const string ExternalLoginLinked = "auth.external-login-linked";
    public const string ProviderRevoked = "auth.provider-revoked";
    public const string SingleSignOnRequired = "settings.require-sso";
    public const string WebhookCreated = "webhook.create";
    public const string WebhookRevoked = "webhook.revoke";
    public const string WebhookRefused = "webhook.refused";
    public const string WebhookOwnerSetting = "room.webhooks-by-owner";
    public const string MessagePinned = "moderation.pin-message";
    public const string MessageUnpinned = "moderation.unpin-message";
    public const string PinSetting = "room.pins-by-moderators";

    public static readonly IReadOnlyList<string> All =
    [
        SignIn, SignInFailed, LockedOut, SignOut, SessionEnded, OriginRejected, UserCreated, UserEdited, PasswordReset,
        UserLocked, UserUnlocked, UserDeactivated, UserReactivated, AdminGranted, AdminRevoked, UserSessionsEnded,
        UserDeleted, RoomCreated, RoomRenamed, RoomReadOnly, RoomArchived, RoomDeleted, MemberAdded, MemberRemoved,
        MessageRemoved, UserMuted, UserUnmuted, CircuitEnded, ExternalLoginLinked, ProviderRevoked, SingleSignOnRequired,
        WebhookCreated, WebhookRevoked, WebhookRefused, WebhookOwnerSetting, MessagePinned, MessageUnpinned, PinSetting,
    ];
}

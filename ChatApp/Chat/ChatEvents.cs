using ChatApp.Data;

namespace ChatApp.Chat;

/// <summary>The signed-in user as the server knows them; never built from browser input.</summary>
public sealed record ChatUser(string Id, string DisplayName);

public sealed record ChatMessage(
    long Id,
    int RoomId,
    long Sequence,
    string? AuthorId,
    string AuthorName,
    string Text,
    DateTime CreatedAt,
    DateTime? EditedAt,
    bool IsDeleted,
    bool RemovedByModerator = false)
{
    public const string DeletedUserName = "Deleted user";

    public static ChatMessage From(Message message, string? authorName) => new(
        message.Id,
        message.RoomId,
        message.Sequence,
        message.AuthorId,
        authorName ?? DeletedUserName,
        message.DeletedAt is null ? message.Text : "",
        message.CreatedAt,
        message.EditedAt,
        message.DeletedAt is not null,
        message.RemovedByModerator);
}

public enum PresenceStatus
{
    Offline,
    Away,
    Online,
}

/// <summary>Something that happened in a room; delivered only to circuits whose user is a member right now.</summary>
public abstract record RoomEvent(int RoomId);

public sealed record MessagePosted(ChatMessage Message) : RoomEvent(Message.RoomId);

public sealed record MessageEdited(ChatMessage Message) : RoomEvent(Message.RoomId);

public sealed record MessageDeleted(int RoomId, long MessageId, long Sequence, string? AuthorId, bool ByModerator = false) : RoomEvent(RoomId);

/// <summary>The room's name, topic, read-only or archived state changed.</summary>
public sealed record RoomChanged(int RoomId) : RoomEvent(RoomId);

public sealed record UserTyping(int RoomId, string UserId, string DisplayName) : RoomEvent(RoomId);

public sealed record PresenceChanged(int RoomId, string UserId, PresenceStatus Status) : RoomEvent(RoomId);

public sealed record MemberJoined(int RoomId, string UserId, string DisplayName) : RoomEvent(RoomId);

public sealed record MemberLeft(int RoomId, string UserId) : RoomEvent(RoomId);

/// <summary>Something that concerns one user's circuits only.</summary>
public abstract record UserEvent(string UserId);

public sealed record AddedToRoom(string UserId, int RoomId) : UserEvent(UserId);

public sealed record RemovedFromRoom(string UserId, int RoomId) : UserEvent(UserId);

public sealed record ReadMarkerMoved(string UserId, int RoomId, long Sequence) : UserEvent(UserId);

/// <summary>A moderator muted (until a time) or unmuted (null) the user in a room.</summary>
public sealed record MuteChanged(string UserId, int RoomId, DateTime? Until) : UserEvent(UserId);

/// <summary>Describes a room as one user may see it.</summary>
public sealed record RoomInfo(int Id, string Name, RoomKind Kind, string? Topic, bool IsMember, bool IsReadOnly = false, bool IsArchived = false)
{
    public bool IsDirect => Kind == RoomKind.Direct;
}

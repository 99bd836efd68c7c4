using System.Text.Json.Serialization;
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
    bool RemovedByModerator = false,
    long? ReplyToId = null)
{
    public ReplySnippet? ReplyTo { get; init; }

    public IReadOnlyList<ReactionSummary> Reactions { get; init; } = [];

    public IReadOnlyList<string> MentionedUserIds { get; init; } = [];

    public bool MentionsRoom { get; init; }

    public IReadOnlyList<AttachmentInfo> Attachments { get; init; } = [];

    /// <summary>Posted by a webhook's bot; shown with a BOT marker so no person can pass for it.</summary>
    public bool IsBot { get; init; }

    /// <summary>The thread this message replies in, or null for a message of the room itself.</summary>
    public long? ThreadRootId { get; init; }

    /// <summary>A thread reply also sent to the room: it shows in the room too.</summary>
    public bool AlsoInRoom { get; init; }

    /// <summary>On a thread's root: how many replies, by whom, and when the last came. Null when it has none.</summary>
    public ThreadSummary? Thread { get; init; }

    /// <summary>Shown in the room's timeline and counted as the room's unread (a thread-only reply is not).</summary>
    public bool InRoom => ThreadRootId is null || AlsoInRoom;
    /// <summary>Pinned to its room.</summary>
    public bool IsPinned { get; init; }

    /// <summary>Saved by the reader of this copy: set in one reader's timeline (<see cref="MarkedHistory"/>), never in a published event.</summary>
    public bool IsSaved { get; init; }

    /// <summary>True when the message mentions this user by name or mentions @room (and is not their own).</summary>
    public bool Mentions(string userId) => AuthorId != userId && !IsDeleted && (MentionsRoom || MentionedUserIds.Contains(userId));

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
        message.RemovedByModerator,
        message.ReplyToId)
    {
        ThreadRootId = message.ThreadRootId,
        AlsoInRoom = message.AlsoInRoom,
    };
}

/// <summary>A thread under its root: replies not deleted, the first few people who replied, the last reply's time.</summary>
public sealed record ThreadSummary(int ReplyCount, DateTime LastReplyAt, IReadOnlyList<string> Participants)
{
    /// <summary>How many names the root shows.</summary>
    public const int ShownParticipants = 3;
}

/// <summary>The quoted original of a reply: a short snippet, or that it was deleted.</summary>
public sealed record ReplySnippet(long Id, long Sequence, string AuthorName, string Text, bool IsDeleted)
{
    public const int Length = 120;
}

/// <summary>One emoji on a message: how many, and who (for the tooltip and "you reacted").</summary>
public sealed record ReactionSummary(string Emoji, IReadOnlyList<string> UserIds, IReadOnlyList<string> Names)
{
    public int Count => UserIds.Count;
}

public sealed record AttachmentInfo(Guid Id, string FileName, string ContentType, long Size)
{
    public bool IsImage => ContentType.StartsWith("image/", StringComparison.Ordinal);
}

public enum PresenceStatus
{
    Offline,
    Away,
    Online,
}

/// <summary>Something that happened in a room; delivered only to circuits whose user is a member right now.</summary>
/// <remarks>Serializable by type name, so the Redis backplane can carry it to the other servers.</remarks>
[JsonPolymorphic]
[JsonDerivedType(typeof(MessagePosted), "posted")]
[JsonDerivedType(typeof(MessageEdited), "edited")]
[JsonDerivedType(typeof(MessageDeleted), "deleted")]
[JsonDerivedType(typeof(ReactionsChanged), "reactions")]
[JsonDerivedType(typeof(PinChanged), "pin")]
[JsonDerivedType(typeof(RoomChanged), "room")]
[JsonDerivedType(typeof(UserTyping), "typing")]
[JsonDerivedType(typeof(PresenceChanged), "presence")]
[JsonDerivedType(typeof(MemberJoined), "joined")]
[JsonDerivedType(typeof(MemberLeft), "left")]
[JsonDerivedType(typeof(ThreadChanged), "thread")]
[JsonDerivedType(typeof(StatusChanged), "status")]
public abstract record RoomEvent(int RoomId);

public sealed record MessagePosted(ChatMessage Message) : RoomEvent(Message.RoomId);

public sealed record MessageEdited(ChatMessage Message) : RoomEvent(Message.RoomId);

public sealed record MessageDeleted(int RoomId, long MessageId, long Sequence, string? AuthorId, bool ByModerator = false) : RoomEvent(RoomId);

/// <summary>The reactions of a message changed (someone toggled one).</summary>
public sealed record ReactionsChanged(int RoomId, long MessageId, long Sequence, IReadOnlyList<ReactionSummary> Reactions) : RoomEvent(RoomId);

/// <summary>A message of the room was pinned or unpinned.</summary>
public sealed record PinChanged(int RoomId, long MessageId, long Sequence, bool Pinned) : RoomEvent(RoomId);

/// <summary>The room's name, topic, read-only or archived state changed.</summary>
public sealed record RoomChanged(int RoomId) : RoomEvent(RoomId);

public sealed record UserTyping(int RoomId, string UserId, string DisplayName) : RoomEvent(RoomId);

public sealed record PresenceChanged(int RoomId, string UserId, PresenceStatus Status) : RoomEvent(RoomId);

public sealed record MemberJoined(int RoomId, string UserId, string DisplayName) : RoomEvent(RoomId);

public sealed record MemberLeft(int RoomId, string UserId) : RoomEvent(RoomId);

/// <summary>A thread got a reply or lost one: its root shows the new summary (null: no replies left).</summary>
/// <remarks>The root's author follows the thread from its first reply on (unless they unfollowed it).</remarks>
public sealed record ThreadChanged(int RoomId, long RootId, long RootSequence, string? RootAuthorId, ThreadSummary? Summary) : RoomEvent(RoomId);
/// <summary>A member set or cleared (null) their status; sent to each of their rooms, like presence.</summary>
public sealed record StatusChanged(int RoomId, string UserId, PersonalStatus? Status) : RoomEvent(RoomId);

/// <summary>Something that concerns one user's circuits only.</summary>
[JsonPolymorphic]
[JsonDerivedType(typeof(AddedToRoom), "added")]
[JsonDerivedType(typeof(RemovedFromRoom), "removed")]
[JsonDerivedType(typeof(ReadMarkerMoved), "read")]
[JsonDerivedType(typeof(MuteChanged), "mute")]
[JsonDerivedType(typeof(SavedChanged), "saved")]
[JsonDerivedType(typeof(NotificationLevelChanged), "level")]
[JsonDerivedType(typeof(DoNotDisturbChanged), "dnd")]
public abstract record UserEvent(string UserId);

public sealed record AddedToRoom(string UserId, int RoomId) : UserEvent(UserId);

public sealed record RemovedFromRoom(string UserId, int RoomId) : UserEvent(UserId);

/// <param name="FromTab">The tab that read, which already shows it (it skips its own event); null after a send.</param>
public sealed record ReadMarkerMoved(string UserId, int RoomId, long Sequence, Guid? FromTab = null) : UserEvent(UserId);

/// <summary>
/// Events may have been missed (the Redis backplane was down): reload from the database. Sequence numbers make
/// the catch-up free of gaps and duplicates. Raised by this server for its own circuits; never relayed.
/// </summary>
public sealed record Resync(string UserId) : UserEvent(UserId);

/// <summary>A moderator muted (until a time) or unmuted (null) the user in a room.</summary>
public sealed record MuteChanged(string UserId, int RoomId, DateTime? Until) : UserEvent(UserId);

/// <summary>The user saved (or unsaved) a message: their other tabs mark it too.</summary>
public sealed record SavedChanged(string UserId, int RoomId, long Sequence, bool Saved) : UserEvent(UserId);
/// <summary>The user chose what a room may badge and notify (in another tab).</summary>
public sealed record NotificationLevelChanged(string UserId, int RoomId, NotificationLevel Level) : UserEvent(UserId);

/// <summary>The user turned do-not-disturb on until a time (UTC) or off (null).</summary>
public sealed record DoNotDisturbChanged(string UserId, DateTime? Until) : UserEvent(UserId);

/// <summary>Describes a room as one user may see it.</summary>
public sealed record RoomInfo(int Id, string Name, RoomKind Kind, string? Topic, bool IsMember, bool IsReadOnly = false, bool IsArchived = false)
{
    public bool IsDirect => Kind == RoomKind.Direct;
}

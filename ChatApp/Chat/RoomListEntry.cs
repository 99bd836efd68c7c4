using ChatApp.Data;

namespace ChatApp.Chat;

/// <summary>A room or direct message in the sidebar, with the live unread count of this circuit.</summary>
public sealed class RoomListEntry(SidebarRoom room)
{
    public int Id { get; } = room.Id;

    public string Name { get; } = room.Name;

    public RoomKind Kind { get; } = room.Kind;

    public IReadOnlyList<RoomPerson> People { get; } = room.People;

    public int Unread { get; set; } = room.Unread;

    /// <summary>Unread messages that mention this user (by name or @room), counted apart.</summary>
    public int UnreadMentions { get; set; } = room.UnreadMentions;

    public long LastReadSequence { get; set; } = room.LastReadSequence;

    /// <summary>The reader's own notification level for this room.</summary>
    public NotificationLevel Level { get; set; } = room.Level;

    /// <summary>Muted (level Nothing): greyed, and only mentions show.</summary>
    public bool IsMuted => Level == NotificationLevel.Nothing;

    /// <summary>The unread count the badge shows: every message, or none when only mentions count.</summary>
    public int BadgeUnread => NotificationRules.BadgesEveryMessage(Level) ? Unread : 0;

    /// <summary>Whether the room is bold: something unread that the level lets through.</summary>
    public bool HasUnread => BadgeUnread > 0 || UnreadMentions > 0;

    public bool IsDirect => Kind == RoomKind.Direct;

    /// <summary>The URL of the room: /chat/{name}, /dm/{person} for two people, /dm/{id} for groups.</summary>
    public string Href(string viewerId) => ChatLinks.For(Id, Name, Kind, People, viewerId);
}

public static class ChatLinks
{
    public static string For(int id, string name, RoomKind kind, IReadOnlyList<RoomPerson> people, string viewerId)
    {
        if (kind != RoomKind.Direct)
        {
            return $"chat/{Uri.EscapeDataString(name)}";
        }
        var others = people.Where(p => p.UserId != viewerId).ToList();
        return others.Count == 1 ? $"dm/{Uri.EscapeDataString(others[0].DisplayName)}" : $"dm/{id}";
    }
}

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

using Bunit;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Components.Pages.Chat;

[Trait("Cost", "component")]
public sealed class RoomListTests : ChatComponentContext
{
    private static RoomListEntry Entry(int id, string name, RoomKind kind, int unread, params RoomPerson[] people) =>
        new(new SidebarRoom(id, name, kind, unread, 0, people));

    [Fact]
    public void Lists_rooms_and_direct_messages_in_labelled_navs_with_unread_counts()
    {
        var rooms = new[]
        {
            Entry(1, "general", RoomKind.Public, 3),
            Entry(2, "secret", RoomKind.Private, 0),
            Entry(3, "Bob", RoomKind.Direct, 1, new RoomPerson("me", "Me"), new RoomPerson("bob", "Bob")),
        };

        var list = Render<RoomList>(p => p
            .Add(x => x.Rooms, rooms)
            .Add(x => x.MeId, "me")
            .Add(x => x.ActiveRoomId, 2)
            .Add(x => x.Presence, id => id == "bob" ? PresenceStatus.Away : PresenceStatus.Offline)
            .Add(x => x.Status, _ => null));

        var roomNav = list.Find("nav[aria-label=Rooms]");
        var general = roomNav.QuerySelector("a[href='chat/general']")!;
        Assert.Contains("has-unread", general.ClassList);
        Assert.Contains("3 unread", general.TextContent);
        var secret = roomNav.QuerySelector("a[href='chat/secret']")!;
        Assert.Equal("page", secret.GetAttribute("aria-current"));
        Assert.DoesNotContain("unread", secret.TextContent);

        var dmNav = list.Find("nav[aria-label='Direct messages']");
        var bob = dmNav.QuerySelector("a[href='dm/Bob']")!;
        Assert.Contains("1 unread", bob.TextContent);
        Assert.Equal("away", bob.QuerySelector(".presence-dot")!.GetAttribute("aria-label"));
    }

    [Fact]
    public void A_sidebar_of_many_rooms_with_unread_messages_is_one_component()
    {
        // Each component costs every open tab ~3.5 KB of server memory, and a sidebar lists all of a person's rooms and
        // conversations: the badges are the list's markup (they were a component per room).
        var rooms = Enumerable.Range(1, 30)
            .Select(i => new RoomListEntry(new SidebarRoom(i, $"room-{i}", i % 3 == 0 ? RoomKind.Direct : RoomKind.Public, i, 0,
                [new RoomPerson("me", "Me"), new RoomPerson($"p{i}", $"P{i}")]) { UnreadMentions = i % 2 }))
            .ToArray();

        var list = Render<RoomList>(p => p
            .Add(x => x.Rooms, rooms)
            .Add(x => x.MeId, "me")
            .Add(x => x.Presence, _ => PresenceStatus.Offline)
            .Add(x => x.Status, _ => null));

        Assert.Equal(30, list.FindAll(".unread-badge").Count);
        Assert.Equal(15, list.FindAll(".mention-badge").Count);
        Assert.Empty(list.FindComponents<Microsoft.AspNetCore.Components.IComponent>());
    }

    [Fact]
    public void A_muted_room_is_greyed_without_an_unread_count_but_keeps_its_mention_count()
    {
        var muted = new RoomListEntry(new SidebarRoom(1, "noisy", RoomKind.Public, 7, 0, []) { UnreadMentions = 2, Level = NotificationLevel.Nothing });
        var mentionsOnly = new RoomListEntry(new SidebarRoom(2, "busy", RoomKind.Public, 5, 0, []) { Level = NotificationLevel.Mentions });
        var all = new RoomListEntry(new SidebarRoom(3, "team", RoomKind.Public, 4, 0, []) { Level = NotificationLevel.All });

        var list = Render<RoomList>(p => p
            .Add(x => x.Rooms, [muted, mentionsOnly, all])
            .Add(x => x.MeId, "me")
            .Add(x => x.Presence, _ => PresenceStatus.Offline)
            .Add(x => x.Status, _ => null));

        var noisy = list.Find("a[href='chat/noisy']");
        Assert.Contains("muted", noisy.ClassList);
        Assert.Contains(", muted", noisy.TextContent);
        Assert.Empty(noisy.QuerySelectorAll(".unread-badge"));
        Assert.Equal("2 mentions", noisy.QuerySelector(".mention-badge .visually-hidden")!.TextContent);
        Assert.Contains("has-unread", noisy.ClassList);

        var busy = list.Find("a[href='chat/busy']");
        Assert.DoesNotContain("muted", busy.ClassList);
        Assert.DoesNotContain("has-unread", busy.ClassList);
        Assert.Empty(busy.QuerySelectorAll(".unread-badge, .mention-badge"));

        Assert.Contains("4 unread", list.Find("a[href='chat/team']").TextContent);
    }

    [Fact]
    public void A_direct_message_shows_the_other_persons_status_with_its_expiry_and_not_an_expired_one()
    {
        var now = DateTime.UtcNow;
        var bob = new RoomPerson("bob", "Bob") { Status = new PersonalStatus("📅", "In a meeting", null) };
        var carol = new RoomPerson("carol", "Carol") { Status = new PersonalStatus("🌴", "Away", now.AddMinutes(-1)) };
        var sidebar = new SidebarState("me", _ => PresenceStatus.Offline);
        var rooms = new[]
        {
            new RoomListEntry(new SidebarRoom(1, "Bob", RoomKind.Direct, 0, 0, [new RoomPerson("me", "Me"), bob])),
            new RoomListEntry(new SidebarRoom(2, "Carol", RoomKind.Direct, 0, 0, [new RoomPerson("me", "Me"), carol])),
        };

        var list = Render<RoomList>(p => p
            .Add(x => x.Rooms, rooms)
            .Add(x => x.MeId, "me")
            .Add(x => x.Presence, _ => PresenceStatus.Offline)
            .Add(x => x.Status, sidebar.StatusOf));

        var status = list.Find("a[href='dm/Bob'] .person-status");
        Assert.Equal("📅 In a meeting", status.GetAttribute("title"));
        Assert.Contains("status: 📅 In a meeting", status.TextContent);
        Assert.Empty(list.FindAll("a[href='dm/Carol'] .person-status"));

        // A live change replaces the loaded status.
        sidebar.SetStatus("bob", new PersonalStatus(null, "Lunch", now.AddHours(1)));
        list.Render();
        Assert.StartsWith("Lunch · until ", list.Find("a[href='dm/Bob'] .person-status").GetAttribute("title"));
    }
}

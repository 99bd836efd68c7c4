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
            .Add(x => x.Presence, id => id == "bob" ? PresenceStatus.Away : PresenceStatus.Offline));

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
}

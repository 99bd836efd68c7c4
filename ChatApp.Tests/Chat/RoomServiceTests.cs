using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

[Trait("Cost", "service")]
public class RoomServiceTests : IAsyncLifetime
{
    private readonly DatabaseProvider provider;
    private ChatServices chat = null!;

    public RoomServiceTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected RoomServiceTests(DatabaseProvider provider) => this.provider = provider;

    public async Task InitializeAsync() => chat = await ChatServices.StartAsync(provider);

    public async Task DisposeAsync() => await chat.DisposeAsync();

    [Fact]
    public async Task General_exists_from_the_first_start_and_new_accounts_are_members()
    {
        var alice = await chat.CreateUserAsync("Alice");

        var general = await chat.Membership.GetVisibleRoomAsync(alice.Id, Room.GeneralRoomId);

        Assert.NotNull(general);
        Assert.Equal("general", general.Name);
        Assert.True(general.IsMember);
    }

    [Fact]
    public async Task A_private_room_answers_a_non_member_exactly_like_a_room_that_does_not_exist()
    {
        var alice = await chat.CreateUserAsync("Alice");
        var carol = await chat.CreateUserAsync("Carol");
        var secret = (await chat.Rooms.CreateRoomAsync(alice, "secret-plans", RoomKind.Private, null)).Value!;

        Assert.Null(await chat.Membership.GetVisibleRoomAsync(carol.Id, secret.Id));
        Assert.Null(await chat.Membership.GetVisibleRoomAsync(carol.Id, 999_999));
        Assert.Null(await chat.Membership.FindVisibleRoomByNameAsync(carol.Id, "secret-plans"));
        Assert.Equal(ChatResult.RoomNotFound, (await chat.Rooms.JoinAsync(carol, secret.Id)).Error);
        Assert.Equal(ChatResult.RoomNotFound, (await chat.Rooms.JoinAsync(carol, 999_999)).Error);
        Assert.DoesNotContain(await chat.Rooms.BrowsePublicRoomsAsync(carol.Id), r => r.Id == secret.Id);
        Assert.Empty(await chat.Rooms.GetMembersAsync(carol.Id, secret.Id));
    }

    [Fact]
    public async Task Forged_room_ids_are_rejected_on_every_path()
    {
        var alice = await chat.CreateUserAsync("Alice");
        var carol = await chat.CreateUserAsync("Carol");
        var secret = (await chat.Rooms.CreateRoomAsync(alice, "secret", RoomKind.Private, null)).Value!;
        var sent = (await chat.Messages.SendAsync(alice, secret.Id, "classified", Guid.NewGuid())).Value!;

        Assert.Equal(ChatResult.RoomNotFound, (await chat.Messages.SendAsync(carol, secret.Id, "let me in", Guid.NewGuid())).Error);
        Assert.Empty(await chat.Messages.GetLatestAsync(carol.Id, secret.Id));
        Assert.Empty(await chat.Messages.GetBeforeAsync(carol.Id, secret.Id, long.MaxValue));
        Assert.Empty(await chat.Messages.GetAfterAsync(carol.Id, secret.Id, 0));
        Assert.Equal(ChatResult.MessageNotFound, (await chat.Messages.EditAsync(carol, sent.Id, "hacked")).Error);
        Assert.Equal(ChatResult.MessageNotFound, (await chat.Messages.DeleteAsync(carol, sent.Id)).Error);
        Assert.Equal(ChatResult.RoomNotFound, (await chat.Rooms.InviteAsync(carol, secret.Id, carol.Id)).Error);

        await using var db = chat.CreateDbContext();
        Assert.Equal(1, await db.Messages.CountAsync(m => m.RoomId == secret.Id));
        Assert.False(await db.RoomMembers.AnyAsync(m => m.RoomId == secret.Id && m.UserId == carol.Id));
    }

    [Fact]
    public async Task Members_invite_people_to_private_rooms_and_anyone_joins_and_leaves_public_ones()
    {
        var alice = await chat.CreateUserAsync("Alice");
        var bob = await chat.CreateUserAsync("Bob");
        var secret = (await chat.Rooms.CreateRoomAsync(alice, "secret", RoomKind.Private, null)).Value!;
        var lounge = (await chat.Rooms.CreateRoomAsync(alice, "lounge", RoomKind.Public, "chill")).Value!;

        Assert.True((await chat.Rooms.InviteAsync(alice, secret.Id, bob.Id)).Succeeded);
        Assert.True((await chat.Membership.GetVisibleRoomAsync(bob.Id, secret.Id))!.IsMember);

        Assert.False((await chat.Membership.GetVisibleRoomAsync(bob.Id, lounge.Id))!.IsMember);
        Assert.True((await chat.Rooms.JoinAsync(bob, lounge.Id)).Succeeded);
        Assert.True(await chat.Membership.CanReadAsync(bob.Id, lounge.Id));
        Assert.True((await chat.Rooms.LeaveAsync(bob, lounge.Id)).Succeeded);
        Assert.False(await chat.Membership.CanReadAsync(bob.Id, lounge.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("has space")]
    [InlineData("<script>")]
    public async Task Invalid_room_names_are_refused_with_a_reason(string name)
    {
        var alice = await chat.CreateUserAsync("Alice");

        var result = await chat.Rooms.CreateRoomAsync(alice, name, RoomKind.Public, null);

        Assert.False(result.Succeeded);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public async Task Room_names_are_unique_ignoring_case_and_at_most_64_characters()
    {
        var alice = await chat.CreateUserAsync("Alice");

        Assert.True((await chat.Rooms.CreateRoomAsync(alice, "Design", RoomKind.Public, null)).Succeeded);
        Assert.Equal("A room with that name already exists.", (await chat.Rooms.CreateRoomAsync(alice, "design", RoomKind.Private, null)).Error);
        Assert.True((await chat.Rooms.CreateRoomAsync(alice, new string('a', 64), RoomKind.Public, null)).Succeeded);
        Assert.False((await chat.Rooms.CreateRoomAsync(alice, new string('b', 65), RoomKind.Public, null)).Succeeded);
    }

    [Fact]
    public async Task Direct_messages_are_found_again_and_hold_at_most_eight_people()
    {
        var people = new List<ChatUser>();
        for (var i = 0; i < 9; i++)
        {
            people.Add(await chat.CreateUserAsync($"Person {i}"));
        }
        var me = people[0];

        var first = await chat.Rooms.OpenDirectAsync(me, [people[1].Id]);
        var again = await chat.Rooms.OpenDirectAsync(people[1], [me.Id]);
        var group = await chat.Rooms.OpenDirectAsync(me, people.Skip(1).Take(7).Select(p => p.Id).ToList());
        var tooMany = await chat.Rooms.OpenDirectAsync(me, people.Skip(1).Select(p => p.Id).ToList());

        Assert.Equal(first.Value, again.Value);
        Assert.True(group.Succeeded);
        Assert.Equal("Direct messages hold at most 8 people.", tooMany.Error);
        Assert.Null(await chat.Membership.GetVisibleRoomAsync(people[8].Id, first.Value));
        var sidebar = await chat.Rooms.GetSidebarAsync(me.Id);
        Assert.Contains(sidebar, r => r.Id == first.Value && r.Name == "Person 1");
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "service")]
public sealed class RoomServiceTestsOnPostgres() : RoomServiceTests(DatabaseProvider.Postgres);

using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Security;

/// <summary>Setting a status on the real services and SQLite: the rules, the look-alike check, who hears of it, expiry.</summary>
[Trait("Cost", "service")]
public sealed class UserStatusServiceTests : IAsyncLifetime
{
    private readonly ManualTimeProvider time = new();
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private ChatUser bob = null!;
    private UserStatusService statuses = null!;

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(DatabaseProvider.Sqlite, time: time);
        alice = await chat.CreateUserAsync("Alice");
        bob = await chat.CreateUserAsync("Bob");
        await using var db = chat.CreateDbContext();
        // As registration stores it (DisplayNameRules.Apply): the skeleton that look-alike checks compare.
        foreach (var user in await db.Users.ToListAsync())
        {
            DisplayNameRules.Apply(user);
        }
        await db.SaveChangesAsync();
        statuses = new UserStatusService(chat.Get<IDbContextFactory<ApplicationDbContext>>(), chat.Membership, chat.Notifier, time);
    }

    public async Task DisposeAsync() => await chat.DisposeAsync();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task A_status_is_stored_normalized_and_reaches_the_rooms_of_its_owner_only()
    {
        var secret = (await chat.Rooms.CreateRoomAsync(bob, "secret", RoomKind.Private, null)).Value!;
        var inGeneral = new RecordingRecipient(bob.Id);
        var inSecret = new RecordingRecipient(bob.Id);
        using var general = chat.Notifier.SubscribeToRoom(Room.GeneralRoomId, inGeneral, inGeneral.OnEventAsync);
        using var secretRoom = chat.Notifier.SubscribeToRoom(secret.Id, inSecret, inSecret.OnEventAsync);

        Assert.Null(await statuses.SetAsync(alice.Id, " 📅 ", "  In a   meeting ", Now.AddHours(1)));

        Assert.Equal(new PersonalStatus("📅", "In a meeting", Now.AddHours(1)), await statuses.GetAsync(alice.Id));
        Assert.Null(await statuses.GetAsync(bob.Id));
        var changed = Assert.Single(inGeneral.OfType<StatusChanged>());
        Assert.Equal((alice.Id, "In a meeting"), (changed.UserId, changed.Status!.Text));
        Assert.Empty(inSecret.OfType<StatusChanged>());

        // Members and direct message people carry it when loaded.
        Assert.Equal("In a meeting", (await chat.Rooms.GetMembersAsync(bob.Id, Room.GeneralRoomId)).Single(p => p.UserId == alice.Id).Status!.Text);
    }

    [Theory]
    [InlineData("Bob")]
    [InlineData("\u0412\u043Eb")]
    [InlineData("bob")]
    public async Task Text_that_looks_like_someone_elses_name_is_refused_and_the_old_status_stays(string lookAlike)
    {
        Assert.Null(await statuses.SetAsync(alice.Id, "☕", "Coffee", null));

        var error = await statuses.SetAsync(alice.Id, null, lookAlike, null);

        Assert.Equal(UserStatusService.LooksLikeANameError, error);
        Assert.Equal(new PersonalStatus("☕", "Coffee", null), await statuses.GetAsync(alice.Id));
    }

    [Theory]
    [InlineData("👍👍", "Busy")]
    [InlineData("x", "Busy")]
    [InlineData("👍", "Busy\u202E")]
    [InlineData("👍", "12345678901234567890123456789012345678901")]
    public async Task A_refused_status_changes_nothing(string emoji, string text)
    {
        Assert.Null(await statuses.SetAsync(alice.Id, "☕", "Coffee", null));

        Assert.NotNull(await statuses.SetAsync(alice.Id, emoji, text, null));
        Assert.NotNull(await statuses.SetAsync(alice.Id, "👍", "Busy", Now.AddMinutes(-1)));

        Assert.Equal(new PersonalStatus("☕", "Coffee", null), await statuses.GetAsync(alice.Id));
    }

    [Fact]
    public async Task An_expired_status_is_not_shown_and_clearing_tells_the_rooms()
    {
        Assert.Null(await statuses.SetAsync(alice.Id, "🍽", null, Now.AddMinutes(30)));
        var sidebar = new SidebarState(bob.Id, _ => PresenceStatus.Offline, time);
        var person = (await chat.Rooms.GetMembersAsync(bob.Id, Room.GeneralRoomId)).Single(p => p.UserId == alice.Id);
        Assert.Equal("🍽", sidebar.StatusOf(person)!.Emoji);

        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(sidebar.StatusOf(person));

        var inGeneral = new RecordingRecipient(bob.Id);
        using var general = chat.Notifier.SubscribeToRoom(Room.GeneralRoomId, inGeneral, inGeneral.OnEventAsync);
        Assert.Null(await statuses.ClearAsync(alice.Id));
        Assert.Null(await statuses.GetAsync(alice.Id));
        Assert.Null(Assert.Single(inGeneral.OfType<StatusChanged>()).Status);
    }
}

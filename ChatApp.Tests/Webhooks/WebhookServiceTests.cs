using System.Security.Cryptography;
using System.Text;
using ChatApp.Admin;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Webhooks;

/// <summary>Webhook management and authentication on a real SQLite file: who may do what, and what is stored.</summary>
[Trait("Cost", "service")]
public sealed class WebhookServiceTests : IAsyncLifetime
{
    private ChatServices services = null!;
    private WebhookService webhooks = null!;
    private AuditActor admin = null!;
    private AuditActor owner = null!;
    private AuditActor member = null!;
    private RoomInfo ownersRoom = null!;

    public async Task InitializeAsync()
    {
        services = await ChatServices.StartAsync(DatabaseProvider.Sqlite);
        var dbFactory = services.Get<IDbContextFactory<ApplicationDbContext>>();
        webhooks = new WebhookService(dbFactory, services.Membership, new AdminGuard(dbFactory, TimeProvider.System), services.Get<AuditLog>(), TimeProvider.System);
        admin = Actor(await services.CreateUserAsync("Ada"));
        await using (var db = services.CreateDbContext())
        {
            db.UserRoles.Add(new() { UserId = admin.Id!, RoleId = Roles.AdminRoleId });
            await db.SaveChangesAsync();
        }
        var ownerUser = await services.CreateUserAsync("Olga");
        owner = Actor(ownerUser);
        var memberUser = await services.CreateUserAsync("Bob");
        member = Actor(memberUser);
        await using (var db = services.CreateDbContext())
        {
            // As registration stores them: with the look-alike skeleton the unique index carries.
            foreach (var user in await db.Users.ToListAsync())
            {
                ChatApp.Security.DisplayNameRules.Apply(user);
            }
            await db.SaveChangesAsync();
        }
        ownersRoom = (await services.Rooms.CreateRoomAsync(ownerUser, "builds", RoomKind.Public, null)).Value!;
        Assert.True((await services.Rooms.JoinAsync(memberUser, ownersRoom.Id)).Succeeded);
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    private static AuditActor Actor(ChatUser user) => new(user.Id, user.DisplayName, "203.0.113.7");

    [Fact]
    public async Task Only_a_hash_of_the_secret_is_stored_and_only_the_exact_secret_authenticates()
    {
        var created = (await webhooks.CreateAsync(admin, Room.GeneralRoomId, "CI")).Value!;

        await using (var db = services.CreateDbContext())
        {
            var stored = await db.Webhooks.SingleAsync(w => w.Id == created.Id);
            Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(created.Token)), stored.TokenHash);
            Assert.DoesNotContain(created.Token, Encoding.UTF8.GetString(stored.TokenHash));
        }
        Assert.Equal(43, created.Token.Length);
        Assert.Equal($"hooks/{created.Id}/{created.Token}", created.Path);

        var (bot, _) = await webhooks.AuthenticateAsync(created.Id, created.Token);
        Assert.Equal(new WebhookBot(created.Id, Room.GeneralRoomId, bot!.Bot), bot);
        Assert.Equal("CI", bot.Bot.DisplayName);

        var flipped = (created.Token[0] == 'A' ? "B" : "A") + created.Token[1..];
        Assert.Equal((null, true), await webhooks.AuthenticateAsync(created.Id, flipped));
        Assert.Equal((null, false), await webhooks.AuthenticateAsync(created.Id + 1000, created.Token));
        Assert.Equal((null, true), await webhooks.AuthenticateAsync(created.Id, ""));
    }

    [Fact]
    public async Task Revoking_ends_authentication_at_once_and_both_actions_are_audited()
    {
        var created = (await webhooks.CreateAsync(admin, Room.GeneralRoomId, "Deploys")).Value!;

        Assert.True((await webhooks.RevokeAsync(admin, created.Id)).Succeeded);

        Assert.Null((await webhooks.AuthenticateAsync(created.Id, created.Token)).Bot);
        Assert.Empty((await webhooks.ListAsync(admin, Room.GeneralRoomId)).Value!);
        Assert.Equal(WebhookService.NotFound, (await webhooks.RevokeAsync(admin, created.Id)).Error);
        var audit = await services.Get<AuditLog>().QueryAsync(new AuditQuery(Target: created.Id.ToString()));
        Assert.Equal([AuditActions.WebhookRevoked, AuditActions.WebhookCreated], audit.Items.Select(e => e.Action));
        Assert.All(audit.Items, e => Assert.Equal("Ada", e.ActorName));
        Assert.All(audit.Items, e => Assert.Equal("Deploys", e.TargetName));
    }

    [Fact]
    public async Task A_room_owner_manages_the_rooms_webhooks_only_while_an_admin_allows_it()
    {
        Assert.False((await webhooks.CreateAsync(owner, ownersRoom.Id, "Owner bot")).Succeeded);

        Assert.True((await webhooks.SetOwnerManagesAsync(admin, ownersRoom.Id, true)).Succeeded);
        var created = (await webhooks.CreateAsync(owner, ownersRoom.Id, "Owner bot")).Value!;
        Assert.Single((await webhooks.ListAsync(owner, ownersRoom.Id)).Value!);

        Assert.True((await webhooks.SetOwnerManagesAsync(admin, ownersRoom.Id, false)).Succeeded);
        Assert.Equal(ChatResult.RoomNotFound, (await webhooks.ListAsync(owner, ownersRoom.Id)).Error);
        Assert.Equal(WebhookService.NotFound, (await webhooks.RevokeAsync(owner, created.Id)).Error);
        Assert.NotNull((await webhooks.AuthenticateAsync(created.Id, created.Token)).Bot);
    }

    [Fact]
    public async Task A_member_who_is_neither_owner_nor_admin_can_list_create_or_revoke_nothing()
    {
        await webhooks.SetOwnerManagesAsync(admin, ownersRoom.Id, true);
        var ownersHook = (await webhooks.CreateAsync(owner, ownersRoom.Id, "Owner bot")).Value!;
        var generalHook = (await webhooks.CreateAsync(admin, Room.GeneralRoomId, "General bot")).Value!;

        Assert.False(await webhooks.CanManageAsync(member, ownersRoom.Id));
        Assert.Equal(ChatResult.RoomNotFound, (await webhooks.ListAsync(member, ownersRoom.Id)).Error);
        Assert.Equal(ChatResult.RoomNotFound, (await webhooks.CreateAsync(member, ownersRoom.Id, "Sneaky")).Error);
        Assert.Equal(WebhookService.NotFound, (await webhooks.RevokeAsync(member, ownersHook.Id)).Error);
        // The owner of one room cannot reach another room's webhook by its id.
        Assert.Equal(WebhookService.NotFound, (await webhooks.RevokeAsync(owner, generalHook.Id)).Error);
        Assert.Equal(ChatResult.RoomNotFound, (await webhooks.ListAsync(owner, Room.GeneralRoomId)).Error);
        // Only admins change the room setting.
        Assert.False((await webhooks.SetOwnerManagesAsync(owner, ownersRoom.Id, true)).Succeeded);
        Assert.False((await webhooks.ListRoomsAsync(owner)).Succeeded);

        Assert.NotNull((await webhooks.AuthenticateAsync(ownersHook.Id, ownersHook.Token)).Bot);
        Assert.NotNull((await webhooks.AuthenticateAsync(generalHook.Id, generalHook.Token)).Bot);
    }

    [Theory]
    [InlineData("Olga")]
    [InlineData("olga")]
    [InlineData("OIga")]
    public async Task A_bot_cannot_take_a_persons_name_or_one_that_looks_like_it(string name)
    {
        var result = await webhooks.CreateAsync(admin, Room.GeneralRoomId, name);

        Assert.Equal(WebhookService.NameTaken, result.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("CI\u202Ebot")]
    [InlineData("<script>")]
    public async Task A_bots_name_follows_the_display_name_rules(string name)
    {
        var result = await webhooks.CreateAsync(admin, Room.GeneralRoomId, name);

        Assert.False(result.Succeeded);
        Assert.StartsWith("The bot's name", result.Error);
    }

    [Fact]
    public async Task A_bots_messages_go_through_the_message_path_marked_as_a_bots_and_the_bot_is_nobody_to_find()
    {
        var created = (await webhooks.CreateAsync(admin, Room.GeneralRoomId, "Monitor")).Value!;
        var (bot, _) = await webhooks.AuthenticateAsync(created.Id, created.Token);

        var posted = await services.Messages.PostAsBotAsync(bot!.Bot, Room.GeneralRoomId, "Disk **90%** on @Bob");

        Assert.True(posted.Succeeded, posted.Error);
        Assert.True(posted.Value!.IsBot);
        var latest = (await services.Messages.GetLatestAsync(member.Id!, Room.GeneralRoomId))[^1];
        Assert.Equal(("Monitor", "Disk **90%** on @Bob", true), (latest.AuthorName, latest.Text, latest.IsBot));
        Assert.True(latest.Mentions(member.Id!));
        Assert.Equal(1, await services.Messages.CountUnreadAsync(member.Id!, Room.GeneralRoomId));
        Assert.Empty(await services.Rooms.FindPeopleAsync("Monitor"));
        Assert.Null(await services.Rooms.FindPersonByDisplayNameAsync("Monitor"));
        Assert.False((await services.Rooms.OpenDirectAsync(new ChatUser(member.Id!, "Bob"), [bot.Bot.Id])).Succeeded);
    }

    [Fact]
    public async Task A_bot_posts_nowhere_once_its_room_is_archived_or_gone()
    {
        var created = (await webhooks.CreateAsync(admin, ownersRoom.Id, "Archiver")).Value!;
        var bot = (await webhooks.AuthenticateAsync(created.Id, created.Token)).Bot!.Bot;
        services.Membership.RoomChanged(ownersRoom.Id, ownersRoom.Name, null, isReadOnly: false, isArchived: true);

        Assert.Contains("archived", (await services.Messages.PostAsBotAsync(bot, ownersRoom.Id, "hello")).Error);

        services.Membership.RoomDeleted(ownersRoom.Id);
        Assert.Equal(ChatResult.RoomNotFound, (await services.Messages.PostAsBotAsync(bot, ownersRoom.Id, "hello")).Error);
    }

    [Fact]
    public void The_rate_limiter_gives_a_burst_then_refuses_with_the_wait_until_the_next_message()
    {
        using var limiter = new WebhookRateLimiter(Options.Create(new WebhookOptions { Burst = 3, MessagesPerMinute = 6 }));

        Assert.All(Enumerable.Range(0, 3), i => Assert.True(limiter.TryAcquire(1, out _)));
        Assert.False(limiter.TryAcquire(1, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire(2, out _));
    }
}

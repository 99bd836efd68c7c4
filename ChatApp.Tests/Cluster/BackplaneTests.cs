using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using StackExchange.Redis;

namespace ChatApp.Cluster;

/// <summary>
/// Two servers' chat services on one PostgreSQL database and one Redis (the scale-out deployment), without the
/// web host: what one server does reaches the other's subscribers after the other's own checks.
/// </summary>
[Trait("Cost", "cluster")]
public sealed class BackplaneTests : IAsyncLifetime
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("chatapp:cluster");
    private RedisServer redis = null!;
    private ChatServices one = null!;
    private ChatServices two = null!;
    private string directory = null!;
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        directory = Directory.CreateTempSubdirectory("chatapp-cluster-").FullName;
        database = TestDatabase.Create(DatabaseProvider.Postgres, directory);
        one = await StartServerAsync();
        two = await StartServerAsync();
        await WaitUntilAsync(() => one.Get<RedisBackplane>().Peers.Count == 1 && two.Get<RedisBackplane>().Peers.Count == 1);
    }

    private Task<ChatServices> StartServerAsync(Action<ChatOptions>? configure = null) => ChatServices.StartAsync(DatabaseProvider.Postgres, configure,
        sharedDatabase: database, settings: new Dictionary<string, string?>
    {
        ["Chat:Redis:Configuration"] = redis.Configuration,
        ["Chat:Redis:HeartbeatInterval"] = "00:00:00.200",
    });

    public async Task DisposeAsync()
    {
        await one.DisposeAsync();
        await two.DisposeAsync();
        await redis.DisposeAsync();
        database.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_message_sent_on_one_server_reaches_a_member_on_the_other_and_not_a_non_member()
    {
        var alice = await one.CreateUserAsync("Alice");
        var bob = await one.CreateUserAsync("Bob");
        var carol = await one.CreateUserAsync("Carol");
        var room = (await one.Rooms.CreateRoomAsync(alice, "team", RoomKind.Private, null)).Value!;
        await one.Rooms.InviteAsync(alice, room.Id, bob.Id);
        var bobTab = new RecordingRecipient(bob.Id);
        var carolTab = new RecordingRecipient(carol.Id);
        using var bobSubscription = two.Notifier.SubscribeToRoom(room.Id, bobTab, bobTab.OnEventAsync);
        // Carol's tab asks for a room she is not in: server 2's own check must keep it from her.
        using var carolSubscription = two.Notifier.SubscribeToRoom(room.Id, carolTab, carolTab.OnEventAsync);
        await WaitUntilAsync(() => two.Membership.IsMember(room.Id, bob.Id));

        await one.Messages.SendAsync(alice, room.Id, "for the team", Guid.NewGuid());
        await one.Messages.NotifyTypingAsync(alice, room.Id);

        await WaitUntilAsync(() => bobTab.OfType<UserTyping>().Any());
        Assert.Equal(["for the team"], bobTab.OfType<MessagePosted>().Select(e => e.Message.Text));
        Assert.Empty(carolTab.Received);
    }

    [Fact]
    public async Task Removing_a_member_on_one_server_stops_delivery_to_them_on_the_other()
    {
        var alice = await one.CreateUserAsync("Alice");
        var bob = await one.CreateUserAsync("Bob");
        var room = (await one.Rooms.CreateRoomAsync(alice, "team", RoomKind.Private, null)).Value!;
        await one.Rooms.InviteAsync(alice, room.Id, bob.Id);
        var bobTab = new RecordingRecipient(bob.Id);
        using var subscription = two.Notifier.SubscribeToRoom(room.Id, bobTab, bobTab.OnEventAsync);
        await WaitUntilAsync(() => two.Membership.IsMember(room.Id, bob.Id));

        await one.Rooms.RemoveMemberAsync(room.Id, bob.Id);
        await one.Messages.SendAsync(alice, room.Id, "after bob left", Guid.NewGuid());
        var marker = new RecordingRecipient(alice.Id);
        using var aliceSubscription = two.Notifier.SubscribeToRoom(room.Id, marker, marker.OnEventAsync);
        await one.Messages.SendAsync(alice, room.Id, "alice sees this", Guid.NewGuid());

        // Everything is relayed in order: once Alice's tab on server 2 has the later message, Bob's had its chance.
        await WaitUntilAsync(() => marker.OfType<MessagePosted>().Any());
        Assert.False(two.Membership.IsMember(room.Id, bob.Id));
        Assert.Empty(bobTab.OfType<MessagePosted>());
    }

    [Fact]
    public async Task A_message_forged_into_Redis_is_rejected_and_the_channel_carries_only_ciphertext()
    {
        var alice = await one.CreateUserAsync("Alice");
        var bob = await one.CreateUserAsync("Bob");
        var bobTab = new RecordingRecipient(bob.Id);
        using var subscription = two.Notifier.SubscribeToRoom(Room.GeneralRoomId, bobTab, bobTab.OnEventAsync);
        await WaitUntilAsync(() => two.Membership.IsMember(Room.GeneralRoomId, bob.Id));
        await using var attacker = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var spy = new List<byte[]>();
        (await attacker.GetSubscriber().SubscribeAsync(Channel)).OnMessage(message => { lock (spy) { spy.Add(message.Message!); } });

        // Someone with access to Redis publishes a well-formed message "from Alice".
        var forged = new ClusterEnvelope("server-x", 1, DateTimeOffset.UtcNow, new RoomEventRelayed(new MessagePosted(
            new ChatMessage(999_999, Room.GeneralRoomId, 999_999, alice.Id, "Alice", "forged text", DateTime.UtcNow, null, false))));
        await attacker.GetSubscriber().PublishAsync(Channel, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(forged, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
        await one.Messages.SendAsync(alice, Room.GeneralRoomId, "real text", Guid.NewGuid());

        // Relayed in order: once the real message is there, the forged one had its chance.
        await WaitUntilAsync(() => bobTab.OfType<MessagePosted>().Any());
        Assert.Equal(["real text"], bobTab.OfType<MessagePosted>().Select(e => e.Message.Text));
        await WaitUntilAsync(() => { lock (spy) { return spy.Count >= 2; } });
        byte[][] captured;
        lock (spy)
        {
            Assert.DoesNotContain(spy, payload => System.Text.Encoding.UTF8.GetString(payload).Contains("real text", StringComparison.Ordinal));
            captured = [.. spy];
        }

        // Sealed by server 1 itself, so the seal holds: copying it back into Redis must not deliver it twice.
        foreach (var payload in captured)
        {
            await attacker.GetSubscriber().PublishAsync(Channel, payload);
        }
        await one.Messages.SendAsync(alice, Room.GeneralRoomId, "later text", Guid.NewGuid());
        await WaitUntilAsync(() => bobTab.OfType<MessagePosted>().Any(e => e.Message.Text == "later text"));
        Assert.Equal(["real text", "later text"], bobTab.OfType<MessagePosted>().Select(e => e.Message.Text));
    }

    [Fact]
    public async Task A_captured_member_added_message_replayed_after_the_removal_does_not_restore_the_member()
    {
        var alice = await one.CreateUserAsync("Alice");
        var bob = await one.CreateUserAsync("Bob");
        var room = (await one.Rooms.CreateRoomAsync(alice, "team", RoomKind.Private, null)).Value!;
        var aliceTab = new RecordingRecipient(alice.Id);
        using var aliceSubscription = two.Notifier.SubscribeToRoom(room.Id, aliceTab, aliceTab.OnEventAsync);
        await WaitUntilAsync(() => two.Membership.IsMember(room.Id, alice.Id));
        await using var spy = await CaptureAsync();

        await one.Rooms.InviteAsync(alice, room.Id, bob.Id);
        await WaitUntilAsync(() => two.Membership.IsMember(room.Id, bob.Id));
        var captured = spy.Take();
        await one.Rooms.RemoveMemberAsync(room.Id, bob.Id);
        await WaitUntilAsync(() => !two.Membership.IsMember(room.Id, bob.Id));

        var aliceUserTab = new RecordingRecipient(alice.Id);
        using var userSubscription = two.Notifier.SubscribeToUser(aliceUserTab, aliceUserTab.OnEventAsync);
        using var watch = Watch(() => two.Membership.IsMember(room.Id, bob.Id));
        await spy.RepublishAsync(captured);
        // The channel is ordered: once a later message reaches server 2, the replayed ones were handled before it.
        await one.Messages.SendAsync(alice, room.Id, "after the replay", Guid.NewGuid());
        await WaitUntilAsync(() => aliceTab.OfType<MessagePosted>().Any(e => e.Message.Text == "after the replay"));
        Assert.False(two.Membership.IsMember(room.Id, bob.Id));
        Assert.False(watch.EverTrue, "The replay restored the member for a while.");
        // An accepted replay also moves the sender's number back, so its next message looks like a gap and forces a resync.
        Assert.Empty(aliceUserTab.OfType<Resync>());
    }

    [Fact]
    public async Task A_captured_admin_granted_message_replayed_after_the_revocation_does_not_restore_the_admin()
    {
        var alice = await one.CreateUserAsync("Alice");
        var bob = await one.CreateUserAsync("Bob");
        var aliceTab = new RecordingRecipient(alice.Id);
        using var aliceSubscription = two.Notifier.SubscribeToRoom(Room.GeneralRoomId, aliceTab, aliceTab.OnEventAsync);
        await WaitUntilAsync(() => two.Membership.IsMember(Room.GeneralRoomId, alice.Id));
        Assert.False(await two.Get<AdminRoster>().IsAdminAsync(bob.Id));
        await using var spy = await CaptureAsync();

        one.Get<AdminRoster>().Granted(bob.Id);
        await WaitUntilAsync(() => two.Get<AdminRoster>().IsAdminAsync(bob.Id).Result);
        var captured = spy.Take();
        one.Get<AdminRoster>().Revoked(bob.Id);
        await WaitUntilAsync(() => !two.Get<AdminRoster>().IsAdminAsync(bob.Id).Result);

        var aliceUserTab = new RecordingRecipient(alice.Id);
        using var userSubscription = two.Notifier.SubscribeToUser(aliceUserTab, aliceUserTab.OnEventAsync);
        using var watch = Watch(() => two.Get<AdminRoster>().IsAdminAsync(bob.Id).Result);
        await spy.RepublishAsync(captured);
        await one.Messages.SendAsync(alice, Room.GeneralRoomId, "after the replay", Guid.NewGuid());
        await WaitUntilAsync(() => aliceTab.OfType<MessagePosted>().Any(e => e.Message.Text == "after the replay"));
        Assert.False(await two.Get<AdminRoster>().IsAdminAsync(bob.Id));
        Assert.False(watch.EverTrue, "The replay restored the admin for a while.");
        Assert.Empty(aliceUserTab.OfType<Resync>());
    }

    [Fact]
    public async Task After_a_Redis_outage_the_admin_list_is_reloaded()
    {
        var bob = await one.CreateUserAsync("Bob");
        Assert.False(await two.Get<AdminRoster>().IsAdminAsync(bob.Id));

        await redis.StopAsync();
        await WaitUntilAsync(() => !one.Get<RedisBackplane>().IsConnected && !two.Get<RedisBackplane>().IsConnected);
        // Granted while the servers cannot hear each other (written to the database as the role manager does).
        await using (var db = one.CreateDbContext())
        {
            db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<string> { UserId = bob.Id, RoleId = Roles.AdminRoleId });
            await db.SaveChangesAsync();
        }
        one.Get<AdminRoster>().Granted(bob.Id);
        Assert.False(await two.Get<AdminRoster>().IsAdminAsync(bob.Id));

        await redis.StartAsync();
        await WaitUntilAsync(() => two.Get<AdminRoster>().IsAdminAsync(bob.Id).Result, timeoutMs: 15_000);
    }

    /// <summary>Checks a condition every millisecond until disposed and remembers whether it ever held.</summary>
    private static ConditionWatch Watch(Func<bool> condition) => new(condition);

    /// <summary>A raw client on the cluster channel: what someone with access to Redis sees and can publish.</summary>
    private async Task<ChannelSpy> CaptureAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var spy = new ChannelSpy(connection, Channel);
        (await connection.GetSubscriber().SubscribeAsync(Channel)).OnMessage(message => spy.Add(message.Message!));
        return spy;
    }

    [Fact]
    public async Task Presence_on_one_server_shows_on_the_other_and_ends_when_the_tab_closes()
    {
        var alice = await one.CreateUserAsync("Alice");
        var bob = await one.CreateUserAsync("Bob");
        var bobTab = new RecordingRecipient(bob.Id);
        using var subscription = two.Notifier.SubscribeToRoom(Room.GeneralRoomId, bobTab, bobTab.OnEventAsync);
        await WaitUntilAsync(() => two.Membership.IsMember(Room.GeneralRoomId, bob.Id));

        one.Presence.CircuitOpened("circuit-a", alice.Id);
        await WaitUntilAsync(() => two.Presence.GetStatus(alice.Id) == PresenceStatus.Online);
        await WaitUntilAsync(() => bobTab.OfType<PresenceChanged>().Any(p => p.UserId == alice.Id && p.Status == PresenceStatus.Online));

        one.Presence.CircuitClosed("circuit-a");
        await WaitUntilAsync(() => two.Presence.GetStatus(alice.Id) == PresenceStatus.Offline);
    }

    [Fact]
    public async Task A_server_that_stops_reporting_takes_its_users_presence_with_it()
    {
        var alice = await one.CreateUserAsync("Alice");
        var three = await StartServerAsync();
        await using (three)
        {
            three.Presence.CircuitOpened("circuit-a", alice.Id);
            await WaitUntilAsync(() => two.Presence.GetStatus(alice.Id) == PresenceStatus.Online);
        }
        // Stopped cleanly: it said so. (A crashed server is forgotten after three missed heartbeats.)
        await WaitUntilAsync(() => two.Presence.GetStatus(alice.Id) == PresenceStatus.Offline);
    }

    [Fact]
    public async Task A_server_that_starts_later_learns_who_is_online_elsewhere()
    {
        var alice = await one.CreateUserAsync("Alice");
        one.Presence.CircuitOpened("circuit-a", alice.Id);
        await using var late = await StartServerAsync();
        await WaitUntilAsync(() => late.Presence.GetStatus(alice.Id) == PresenceStatus.Online);
    }

    [Fact]
    public async Task Revoking_a_user_on_one_server_ends_their_circuits_on_the_other()
    {
        var alice = await one.CreateUserAsync("Alice");
        var session = new CircuitSession();
        session.Start("circuit-b", alice.Id, "session-hash-1", "127.0.0.1");
        two.Get<LiveCircuits>().Add(new LiveCircuit(session, "session-hash-1", "127.0.0.1", "test", DateTime.UtcNow));

        one.Get<LiveCircuits>().RevokeUser(alice.Id);

        await WaitUntilAsync(() => session.IsRevoked, timeoutMs: 2000);
    }

    [Fact]
    public async Task The_live_circuit_registry_is_cluster_wide()
    {
        var alice = await one.CreateUserAsync("Alice");
        var session = new CircuitSession();
        session.Start("circuit-b", alice.Id, "session-hash-1", "127.0.0.1");
        var circuit = new LiveCircuit(session, "session-hash-1", "127.0.0.1", "test", DateTime.UtcNow);
        two.Get<LiveCircuits>().Add(circuit);

        // Server 1 counts Alice's tab on server 2 (for the per-user cap and the admin console).
        await WaitUntilAsync(() => one.Get<LiveCircuits>().CountConnected(alice.Id) == 1);
        Assert.Equal("circuit-b", Assert.Single(one.Get<LiveCircuits>().Remote).CircuitId);
        Assert.Equal(1, one.Get<LiveCircuits>().TabsBySession(alice.Id)["session-hash-1"]);

        two.Get<LiveCircuits>().SetConnected(circuit, connected: false);
        await WaitUntilAsync(() => one.Get<LiveCircuits>().CountConnected(alice.Id) == 0);
        two.Get<LiveCircuits>().Remove("circuit-b");
        await WaitUntilAsync(() => one.Get<LiveCircuits>().Remote.Count == 0);
    }

    [Fact]
    public async Task Events_for_one_user_reach_their_tab_on_the_other_server()
    {
        var bob = await one.CreateUserAsync("Bob");
        var session = new CircuitSession();
        session.Start("circuit-bob", bob.Id, "session-hash-2", "127.0.0.1");
        two.Get<LiveCircuits>().Add(new LiveCircuit(session, "session-hash-2", "127.0.0.1", "test", DateTime.UtcNow));
        var bobTab = new RecordingRecipient(bob.Id);
        using var subscription = two.Notifier.SubscribeToUser(bobTab, bobTab.OnEventAsync);
        // User events go only where the user has tabs: server 1 must have learned of Bob's tab on server 2.
        await WaitUntilAsync(() => one.Get<LiveCircuits>().HasRemoteCircuits(bob.Id));

        var alice = await one.CreateUserAsync("Alice");
        var room = (await one.Rooms.CreateRoomAsync(alice, "team", RoomKind.Private, null)).Value!;
        await one.Rooms.InviteAsync(alice, room.Id, bob.Id);

        await WaitUntilAsync(() => bobTab.OfType<AddedToRoom>().Any(e => e.RoomId == room.Id));
    }

    [Fact]
    public async Task The_send_rate_limit_holds_across_servers()
    {
        await using var limitedOne = await StartServerAsync(o => o.RateLimit = new ChatRateLimitOptions { Burst = 3, MessagesPerSecond = 0.01 });
        await using var limitedTwo = await StartServerAsync(o => o.RateLimit = new ChatRateLimitOptions { Burst = 3, MessagesPerSecond = 0.01 });
        var alice = await limitedOne.CreateUserAsync("Alice");

        var results = new List<bool>();
        foreach (var server in new[] { limitedOne, limitedTwo, limitedOne, limitedTwo })
        {
            results.Add((await server.Messages.SendAsync(alice, Room.GeneralRoomId, $"hello {results.Count}", Guid.NewGuid())).Succeeded);
        }

        // Three in the burst, wherever they were sent; the fourth is refused (each server alone would allow 3).
        Assert.Equal([true, true, true, false], results);
    }

    [Fact]
    public async Task After_a_Redis_outage_subscribers_are_told_to_catch_up_and_the_membership_cache_is_reloaded()
    {
        var alice = await one.CreateUserAsync("Alice");
        var bob = await one.CreateUserAsync("Bob");
        var bobTab = new RecordingRecipient(bob.Id);
        using var userSubscription = two.Notifier.SubscribeToUser(bobTab, bobTab.OnEventAsync);
        await WaitUntilAsync(() => two.Membership.IsMember(Room.GeneralRoomId, bob.Id));

        await redis.StopAsync();
        await WaitUntilAsync(() => !one.Get<RedisBackplane>().IsConnected && !two.Get<RedisBackplane>().IsConnected);
        // Changed while the servers cannot hear each other: server 2 misses it.
        var room = (await one.Rooms.CreateRoomAsync(alice, "during-outage", RoomKind.Private, null)).Value!;
        await one.Rooms.InviteAsync(alice, room.Id, bob.Id);
        Assert.False(two.Membership.IsMember(room.Id, bob.Id));
        // Local users keep being served meanwhile.
        Assert.True((await one.Messages.SendAsync(alice, room.Id, "while redis is down", Guid.NewGuid())).Succeeded);

        await redis.StartAsync();
        await WaitUntilAsync(() => bobTab.OfType<Resync>().Any(), timeoutMs: 15_000);
        Assert.True(two.Membership.IsMember(room.Id, bob.Id));
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "The condition did not hold in time.");
            await Task.Delay(20);
        }
    }
}

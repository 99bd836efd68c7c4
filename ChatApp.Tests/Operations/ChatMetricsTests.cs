using ChatApp.Chat;
using ChatApp.Cluster;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatApp.Operations;

/// <summary>The figures the dashboard reads (<see cref="ChatMetrics.Snapshot"/>), fed by the real code paths.</summary>
[Trait("Cost", "cluster")]
public sealed class ChatMetricsTests
{
    [Fact]
    public async Task A_muted_sender_is_counted_as_a_mute_refusal_and_stored_messages_are_counted()
    {
        await using var chat = await ChatServices.StartAsync(DatabaseProvider.Sqlite);
        var alice = await chat.CreateUserAsync("Alice");
        var metrics = chat.Get<ChatMetrics>();

        Assert.True((await chat.Messages.SendAsync(alice, Room.GeneralRoomId, "before", Guid.NewGuid())).Succeeded);
        await chat.MuteAsync(Room.GeneralRoomId, alice.Id, DateTime.UtcNow.AddHours(1));
        Assert.False((await chat.Messages.SendAsync(alice, Room.GeneralRoomId, "while muted", Guid.NewGuid())).Succeeded);

        var snapshot = metrics.Snapshot();
        Assert.Equal(1, snapshot.MessagesStored);
        Assert.Equal(1, snapshot.Refusals[SendRefusal.Mute]);
        Assert.Equal(0, snapshot.Refusals[SendRefusal.RateLimit]);
    }

    [Fact]
    public async Task Tabs_people_and_revocations_follow_the_live_circuit_registry()
    {
        await using var chat = await ChatServices.StartAsync(DatabaseProvider.Sqlite);
        var metrics = chat.Get<ChatMetrics>();
        var circuits = new LiveCircuits(NullLogger<LiveCircuits>.Instance, metrics);
        foreach (var (circuit, user, session) in new[] { ("c1", "alice", "s1"), ("c2", "alice", "s1"), ("c3", "bob", "s2") })
        {
            var tab = new CircuitSession();
            tab.Start(circuit, user, session);
            circuits.Add(new LiveCircuit(tab, session, null, null, DateTime.UtcNow));
        }
        Assert.Equal((3, 2), (metrics.Snapshot().OpenTabs, metrics.Snapshot().SignedInPeople));

        circuits.RevokeSession("s1");
        circuits.Remove("c1");
        circuits.Remove("c2");

        var snapshot = metrics.Snapshot();
        Assert.Equal((1, 1, 2), (snapshot.OpenTabs, snapshot.SignedInPeople, snapshot.Revocations));
    }

    [Fact]
    public async Task A_message_from_another_server_records_backplane_lag_and_the_outbox_depth_is_observed()
    {
        await using var redis = await RedisServer.StartAsync();
        var directory = Directory.CreateTempSubdirectory("chatapp-metrics-").FullName;
        using var database = TestDatabase.Create(DatabaseProvider.Postgres, directory);
        var settings = new Dictionary<string, string?>
        {
            ["Chat:Redis:Configuration"] = redis.Configuration,
            ["Chat:Redis:HeartbeatInterval"] = "00:00:00.200",
        };
        await using var one = await ChatServices.StartAsync(DatabaseProvider.Postgres, sharedDatabase: database, settings: settings);
        await using var two = await ChatServices.StartAsync(DatabaseProvider.Postgres, sharedDatabase: database, settings: settings);
        await HealthTests.Eventually(() => Task.FromResult(one.Get<RedisBackplane>().Peers.Count == 1 && two.Get<RedisBackplane>().Peers.Count == 1), TimeSpan.FromSeconds(15));

        var lag = two.Get<ChatMetrics>().Snapshot().BackplaneLagMs;

        Assert.NotNull(lag);
        Assert.InRange(lag.Value, 0, 5_000);
        // The gauge reads the outbox as it is: a heartbeat or presence publish can be in it for a moment (seen at 1 when
        // the machine was loaded), so wait for it to drain.
        await HealthTests.Eventually(() => Task.FromResult(one.Get<ChatMetrics>().Snapshot().OutboxDepth == 0), TimeSpan.FromSeconds(15));
    }
}

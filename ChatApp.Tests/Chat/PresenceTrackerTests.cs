using ChatApp.Data;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Chat;

[Trait("Cost", "service")]
public class PresenceTrackerTests : IAsyncLifetime
{
    private readonly DatabaseProvider provider;
    private readonly ManualTimeProvider clock = new();
    private ChatServices chat = null!;

    public PresenceTrackerTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected PresenceTrackerTests(DatabaseProvider provider) => this.provider = provider;

    public async Task InitializeAsync() =>
        chat = await ChatServices.StartAsync(provider, options => options.AwayAfter = TimeSpan.FromSeconds(5), clock);

    public async Task DisposeAsync() => await chat.DisposeAsync();

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task A_connected_user_is_online_then_away_when_idle_and_online_again_on_activity()
    {
        var alice = await chat.CreateUserAsync("Alice");
        var bob = await chat.CreateUserAsync("Bob");
        var bobTab = new RecordingRecipient(bob.Id);
        using var subscription = chat.Notifier.SubscribeToRoom(Room.GeneralRoomId, bobTab, bobTab.OnEventAsync);

        chat.Presence.CircuitOpened("alice-tab", alice.Id);
        Assert.Equal(PresenceStatus.Online, chat.Presence.GetStatus(alice.Id));

        clock.Advance(TimeSpan.FromSeconds(6));
        await WaitUntilAsync(() => chat.Presence.GetStatus(alice.Id) == PresenceStatus.Away);

        chat.Presence.Activity("alice-tab");
        Assert.Equal(PresenceStatus.Online, chat.Presence.GetStatus(alice.Id));

        await WaitUntilAsync(() => bobTab.OfType<PresenceChanged>().Count() >= 3);
        Assert.Equal(
            [PresenceStatus.Online, PresenceStatus.Away, PresenceStatus.Online],
            bobTab.OfType<PresenceChanged>().Where(p => p.UserId == alice.Id).Select(p => p.Status));
    }

    [Fact]
    public async Task A_user_is_offline_when_every_circuit_is_disconnected_or_closed()
    {
        var alice = await chat.CreateUserAsync("Alice");

        chat.Presence.CircuitOpened("tab-1", alice.Id);
        chat.Presence.CircuitOpened("tab-2", alice.Id);
        chat.Presence.ConnectionChanged("tab-1", connected: false);
        Assert.Equal(PresenceStatus.Online, chat.Presence.GetStatus(alice.Id));

        chat.Presence.CircuitClosed("tab-2");
        Assert.Equal(PresenceStatus.Offline, chat.Presence.GetStatus(alice.Id));

        chat.Presence.ConnectionChanged("tab-1", connected: true);
        Assert.Equal(PresenceStatus.Online, chat.Presence.GetStatus(alice.Id));
    }

    [Fact]
    public async Task A_users_status_comes_from_their_own_tabs_only()
    {
        var alice = await chat.CreateUserAsync("Alice");
        var bob = await chat.CreateUserAsync("Bob");
        chat.Presence.CircuitOpened("alice-tab", alice.Id);
        chat.Presence.CircuitOpened("bob-tab", bob.Id);

        clock.Advance(TimeSpan.FromSeconds(6));
        await WaitUntilAsync(() => chat.Presence.GetStatus(alice.Id) == PresenceStatus.Away);
        // Bob's activity keeps Bob online, not Alice; Bob leaving does not take Alice offline.
        chat.Presence.Activity("bob-tab");
        Assert.Equal(PresenceStatus.Online, chat.Presence.GetStatus(bob.Id));
        Assert.Equal(PresenceStatus.Away, chat.Presence.GetStatus(alice.Id));
        chat.Presence.CircuitClosed("bob-tab");
        Assert.Equal(PresenceStatus.Offline, chat.Presence.GetStatus(bob.Id));
        Assert.Equal(PresenceStatus.Away, chat.Presence.GetStatus(alice.Id));
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "service")]
public sealed class PresenceTrackerTestsOnPostgres() : PresenceTrackerTests(DatabaseProvider.Postgres);

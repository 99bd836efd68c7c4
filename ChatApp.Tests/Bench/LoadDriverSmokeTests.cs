using System.Collections.Concurrent;
using ChatApp.LoadDriver;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Bench;

/// <summary>
/// Keeps the benchmark driver working: 50 headless circuits speaking Blazor's protocol in one room, 50 messages,
/// every message rendered in every circuit. Timing is not asserted here; bench/ measures it.
/// </summary>
[Trait("Cost", "http")]
public sealed class LoadDriverSmokeTests : IAsyncLifetime
{
    private const int Users = 25;
    private const int TabsPerUser = 2;
    private const int Messages = 50;

    private readonly ChatAppFactory app = new();
    private DriverTabs driver = null!;

    public Task InitializeAsync()
    {
        app.Environment = "Development";
        app.StartKestrel();
        driver = new DriverTabs(app);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await driver.DisposeAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Fifty_headless_circuits_in_one_room_each_render_all_fifty_messages()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        for (var u = 0; u < Users; u++)
        {
            var session = await driver.RegisterAsync($"Load {id} {u}", $"load.{id}.{u}@example.com");
            for (var t = 0; t < TabsPerUser; t++)
            {
                await driver.OpenAsync(session);
            }
        }
        var tabs = driver.Tabs;

        var deliveries = new ConcurrentDictionary<(int Tab, int Message), long>();
        var allSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var m = 0; m < Messages; m++)
        {
            for (var t = 0; t < tabs.Count; t++)
            {
                var key = (t, m);
                tabs[t].Watch($"smoke{id}m{m:00}z", arrived =>
                {
                    if (deliveries.TryAdd(key, arrived) && deliveries.Count == Messages * tabs.Count)
                    {
                        allSeen.TrySetResult();
                    }
                });
            }
        }
        for (var m = 0; m < Messages; m++)
        {
            // Senders take turns so nobody exceeds the per-user send rate.
            await tabs[m % tabs.Count].SendMessageAsync($"smoke{id}m{m:00}z message");
        }

        await allSeen.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Messages * Users * TabsPerUser, deliveries.Count);
        Assert.All(tabs, tab => Assert.Null(tab.Error));
    }
}

using ChatApp.LoadDriver;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// The app on Kestrel where every room with more than one member is a big room (its new rows go over the tabs' row
/// feeds), with headless tabs (the load driver's circuit client) on #general. Development, so the auth cookie also
/// travels over plain HTTP.
/// </summary>
internal sealed class BigRoomApp : IAsyncDisposable
{
    private BigRoomApp(ChatAppFactory app)
    {
        App = app;
        Driver = new DriverTabs(app);
    }

    public ChatAppFactory App { get; }

    public DriverTabs Driver { get; }

    /// <param name="tls">Served over TLS with HTTP/2, the tabs' WebSockets as HTTP/2 streams (as browsers open them).</param>
    public static BigRoomApp Start(bool liveRows = true, bool tls = false)
    {
        var app = new ChatAppFactory { Environment = "Development" };
        app.Settings["Chat:BigRoomMembers"] = "1";
        app.Settings["Chat:LiveRowsMembers"] = "1";
        app.Settings["Chat:LiveRows"] = liveRows ? "true" : "false";
        app.Settings["Chat:RateLimit:Burst"] = "1000";
        app.Settings["Chat:RateLimit:MessagesPerSecond"] = "1000";
        if (tls)
        {
            app.StartKestrelOverTls();
        }
        else
        {
            app.StartKestrel();
        }
        return new BigRoomApp(app);
    }

    /// <summary>A new user's tab on #general; <paramref name="connectRowFeed"/> false leaves the feed's ticket to the test.</summary>
    public async Task<(BrowserSession Session, CircuitClient Tab)> OpenAsync(string name, bool connectRowFeed = true)
    {
        var session = await Driver.RegisterAsync(name, $"{name.ToLowerInvariant()}@example.com");
        return (session, await Driver.OpenAsync(session, "/chat/general", connectRowFeed));
    }

    /// <summary>Waits until <paramref name="tabs"/> see what <paramref name="writer"/> sends (they are live).</summary>
    public static async Task LiveAsync(CircuitClient writer, params CircuitClient[] tabs)
    {
        var text = $"hello {Guid.NewGuid():N}";
        var seen = tabs.Select(tab => SeenAsync(tab, text)).ToList();
        await writer.SendMessageAsync(text);
        await Task.WhenAll(seen).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Completes when <paramref name="tab"/> is shown <paramref name="text"/> (by a render or over its row feed).</summary>
    public static Task SeenAsync(CircuitClient tab, string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tab.Watch(text, _ => seen.TrySetResult());
        return seen.Task;
    }

    /// <summary>Waits up to 15 s for <paramref name="condition"/> (a feed opening, a count reached).</summary>
    public static async Task EventuallyAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Driver.DisposeAsync();
        await App.DisposeAsync();
    }
}

/// <summary>A test class whose every test gets a fresh <see cref="BigRoomApp"/> (over TLS with <paramref name="tls"/>).</summary>
public abstract class BigRoomAppTests(bool tls = false) : IAsyncLifetime
{
    internal BigRoomApp Big { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Big = BigRoomApp.Start(tls: tls);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Big.DisposeAsync();
}

using StackExchange.Redis;

namespace ChatApp.Cluster;

/// <summary>Remembers whether a condition ever held while it was watched (checked every millisecond on a background loop).</summary>
internal sealed class ConditionWatch : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private volatile bool everTrue;

    public ConditionWatch(Func<bool> condition) => loop = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            everTrue |= condition();
            await Task.Delay(1);
        }
    });

    public bool EverTrue
    {
        get
        {
            stop.Cancel();
            loop.Wait();
            return everTrue;
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }
}

/// <summary>Payloads seen on a Redis channel, and a way to publish them again (a replay by someone with access to Redis).</summary>
internal sealed class ChannelSpy(ConnectionMultiplexer connection, RedisChannel channel) : IAsyncDisposable
{
    private readonly List<byte[]> payloads = [];

    public void Add(byte[] payload)
    {
        lock (payloads)
        {
            payloads.Add(payload);
        }
    }

    public byte[][] Take()
    {
        lock (payloads)
        {
            byte[][] taken = [.. payloads];
            payloads.Clear();
            return taken;
        }
    }

    public async Task RepublishAsync(byte[][] captured)
    {
        foreach (var payload in captured)
        {
            await connection.GetSubscriber().PublishAsync(channel, payload);
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}

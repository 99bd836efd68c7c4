using System.Text;

namespace ChatApp.Cluster;

/// <summary>
/// Listens on one Redis pub/sub channel over a dedicated connection (a subscribed connection can do nothing
/// else). When the connection drops it logs the outage, reconnects with backoff, subscribes again and calls
/// <c>reconnected</c>, so the owner can catch up on what it may have missed meanwhile.
/// </summary>
public sealed class RedisSubscriber : IAsyncDisposable
{
    private readonly RedisEndpoint endpoint;
    private readonly string channel;
    private readonly Func<byte[], Task> received;
    private readonly Func<Task> reconnected;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource firstSubscription = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? loop;
    private bool reportedAtStart;

    public RedisSubscriber(RedisEndpoint endpoint, string channel, Func<byte[], Task> received, Func<Task> reconnected, ILogger logger)
    {
        this.endpoint = endpoint;
        this.channel = channel;
        this.received = received;
        this.reconnected = reconnected;
        this.logger = logger;
    }

    /// <summary>True while subscribed; false during an outage.</summary>
    public bool IsConnected { get; private set; }

    /// <summary>Starts listening and waits for the first subscription (so nothing published after start is missed).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        loop = RunAsync();
        await firstSubscription.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var everConnected = false;
        while (!stopping.IsCancellationRequested)
        {
            RespConnection? connection = null;
            try
            {
                connection = await RespConnection.ConnectAsync(endpoint, TimeSpan.FromSeconds(2), stopping.Token);
                await connection.WriteAsync(["SUBSCRIBE", channel], stopping.Token);
                await connection.ReadAsync(stopping.Token);
                IsConnected = true;
                delay = TimeSpan.FromMilliseconds(100);
                if (everConnected)
                {
                    logger.LogWarning("Redis backplane at {Endpoint} is back; catching up", endpoint);
                    await reconnected();
                }
                everConnected = true;
                firstSubscription.TrySetResult();
                while (true)
                {
                    if (await connection.ReadAsync(stopping.Token) is object?[] { Length: 3 } push
                        && push[0] is byte[] kind && Encoding.ASCII.GetString(kind) == "message"
                        && push[2] is byte[] payload)
                    {
                        await received(payload);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Once per outage (and once for a Redis that is not there at start), not at every retry.
                if (IsConnected || (!everConnected && !reportedAtStart))
                {
                    reportedAtStart = true;
                    logger.LogError("Redis backplane at {Endpoint} unavailable ({Reason}); serving local users only until it is back",
                        endpoint, exception.Message);
                }
                IsConnected = false;
            }
            finally
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
            try
            {
                await Task.Delay(delay, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }
        stopping.Dispose();
    }
}

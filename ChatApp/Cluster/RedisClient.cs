using System.Collections.Concurrent;

namespace ChatApp.Cluster;

/// <summary>
/// Commands to Redis over one pipelined connection: callers write in turn and replies are matched to them in
/// order, so many commands are in flight at once. A broken connection fails what was in flight and is
/// replaced on the next command; nothing is retried behind the caller's back.
/// </summary>
public sealed class RedisClient(RedisEndpoint endpoint, ILogger<RedisClient> logger) : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private Link? link;
    private bool disposed;

    public RedisEndpoint Endpoint => endpoint;

    /// <summary>Runs one command and returns its reply (see <see cref="RespConnection.ReadAsync"/> for the types).</summary>
    public async Task<object?> ExecuteAsync(params object[] arguments) => await await SendAsync(arguments);

    /// <summary>
    /// Writes one command now and returns the task of its reply: commands sent one after another from one
    /// caller reach Redis in that order, without waiting for each other's replies.
    /// </summary>
    public async Task<Task<object?>> SendAsync(params object[] arguments)
    {
        await writeLock.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var current = link is { Broken: false } ? link : link = await Link.OpenAsync(endpoint, logger);
            var reply = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
            current.Pending.Enqueue(reply);
            try
            {
                await current.Connection.WriteAsync(arguments);
                if (current.Broken)
                {
                    // The read loop failed while this command was being queued: nobody will answer it.
                    current.Fail(new IOException("The Redis connection was lost."));
                }
            }
            catch (Exception exception)
            {
                current.Fail(exception);
                throw;
            }
            return reply.Task;
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await writeLock.WaitAsync();
        try
        {
            disposed = true;
            if (link is not null)
            {
                link.Fail(new ObjectDisposedException(nameof(RedisClient)));
                await link.Connection.DisposeAsync();
            }
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>One connection and the replies it still owes, read by its own loop.</summary>
    private sealed class Link
    {
        private Link(RespConnection connection) => Connection = connection;

        public RespConnection Connection { get; }

        public ConcurrentQueue<TaskCompletionSource<object?>> Pending { get; } = new();

        public bool Broken { get; private set; }

        public static async Task<Link> OpenAsync(RedisEndpoint endpoint, ILogger logger)
        {
            var link = new Link(await RespConnection.ConnectAsync(endpoint, ConnectTimeout, CancellationToken.None));
            _ = link.ReadLoopAsync(logger, endpoint);
            return link;
        }

        public void Fail(Exception exception)
        {
            Broken = true;
            while (Pending.TryDequeue(out var reply))
            {
                reply.TrySetException(exception);
            }
            _ = Connection.DisposeAsync();
        }

        private async Task ReadLoopAsync(ILogger logger, RedisEndpoint endpoint)
        {
            try
            {
                while (true)
                {
                    object? reply;
                    Exception? error = null;
                    try
                    {
                        reply = await Connection.ReadAsync();
                    }
                    catch (RedisErrorException exception)
                    {
                        reply = null;
                        error = exception;
                    }
                    if (!Pending.TryDequeue(out var waiting))
                    {
                        throw new IOException("Redis sent a reply nobody asked for.");
                    }
                    if (error is null)
                    {
                        waiting.TrySetResult(reply);
                    }
                    else
                    {
                        waiting.TrySetException(error);
                    }
                }
            }
            catch (Exception exception)
            {
                if (!Broken)
                {
                    logger.LogWarning("Redis connection to {Endpoint} lost: {Reason}", endpoint, exception.Message);
                }
                Fail(exception);
            }
        }
    }
}

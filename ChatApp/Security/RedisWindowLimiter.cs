using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace ChatApp.Security;

/// <summary>
/// A fixed-window limit (N per window and key) counted in Redis, so every server of a cluster draws from the
/// same count: with two servers a client still gets N login attempts a minute, not 2N. The window is Redis'
/// (the key expires with it). If Redis does not answer in time, the server's own window decides.
/// </summary>
internal sealed class RedisWindowLimiter(IConnectionMultiplexer redis, string key, int permits, TimeSpan window, RateLimiter fallback) : RateLimiter
{
    // INCR, and start the window on the first count of it.
    private const string CountScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return count
        """;

    private static readonly TimeSpan RedisTimeout = TimeSpan.FromMilliseconds(500);

    public override TimeSpan? IdleDuration => fallback.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => fallback.GetStatistics();

    // Counting needs a round trip to Redis, so the synchronous attempt declines and the middleware asks
    // asynchronously (RateLimitingMiddleware tries AttemptAcquire, then AcquireAsync).
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.Refused;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        try
        {
            var count = await redis.GetDatabase().ScriptEvaluateAsync(CountScript, [key], [(long)window.TotalMilliseconds])
                .WaitAsync(RedisTimeout, cancellationToken);
            return (long)count <= permits ? Lease.Granted : Lease.Refused;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return fallback.AttemptAcquire(permitCount);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            fallback.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Granted = new(true);
        public static readonly Lease Refused = new(false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

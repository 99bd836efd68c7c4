using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatApp.Chat;

/// <summary>
/// Per-user token bucket (Chat:RateLimit): a burst, then a steady rate of messages. With Redis configured the
/// bucket lives in Redis, so the limit holds across servers (a user with tabs on two servers does not get
/// twice the rate); if Redis does not answer in time, this server's own bucket decides.
/// </summary>
public sealed partial class SendRateLimiter : IDisposable
{
    // Refills by elapsed time (Redis' own clock, so servers' clocks don't matter), then takes one token.
    private const string TokenBucketScript = """
        local burst = tonumber(ARGV[1])
        local perMs = tonumber(ARGV[2])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or burst
        local at = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
        local allowed = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perMs) + 1000)
        return allowed
        """;

    private static readonly TimeSpan RedisTimeout = TimeSpan.FromMilliseconds(500);
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly ChatRateLimitOptions settings;
    private readonly IConnectionMultiplexer? redis;
    private readonly string keyPrefix;
    private readonly ILogger<SendRateLimiter> logger;
    private long lastWarning = -10_000;

    public SendRateLimiter(IOptions<ChatOptions> options, IOptions<RedisOptions> redisOptions, ILogger<SendRateLimiter> logger, IConnectionMultiplexer? redis = null)
    {
        settings = options.Value.RateLimit;
        this.redis = redis;
        this.logger = logger;
        keyPrefix = $"{redisOptions.Value.Prefix}:rate:";
        // Whole tokens per period: one token every 1/rate seconds.
        var period = TimeSpan.FromSeconds(1 / settings.MessagesPerSecond);
        limiter = PartitionedRateLimiter.Create<string, string>(userId =>
            RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public async ValueTask<bool> TryAcquireAsync(string userId)
    {
        if (redis is not null)
        {
            try
            {
                var perMs = (settings.MessagesPerSecond / 1000).ToString("R", CultureInfo.InvariantCulture);
                var reply = await redis.GetDatabase().ScriptEvaluateAsync(TokenBucketScript, [keyPrefix + userId], [settings.Burst, perMs])
                    .WaitAsync(RedisTimeout);
                return (long)reply == 1;
            }
            catch (Exception exception)
            {
                // Once per outage-ish, not once per message.
                var now = Environment.TickCount64;
                if (now - Interlocked.Exchange(ref lastWarning, now) > 10_000)
                {
                    LogRedisUnavailable(exception.Message);
                }
            }
        }
        using var lease = limiter.AttemptAcquire(userId);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send rate limit checked on this server only: Redis did not answer ({Reason})")]
    private partial void LogRedisUnavailable(string reason);
}

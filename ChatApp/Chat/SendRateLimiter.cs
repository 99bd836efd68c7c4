using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>Per-user token bucket (Chat:RateLimit): a burst, then a steady rate of messages.</summary>
public sealed class SendRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    public SendRateLimiter(IOptions<ChatOptions> options)
    {
        var settings = options.Value.RateLimit;
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

    public bool TryAcquire(string userId)
    {
        using var lease = limiter.AttemptAcquire(userId);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}

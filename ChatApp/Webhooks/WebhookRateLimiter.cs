using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatApp.Webhooks;

/// <summary>
/// A token bucket per webhook (Chat:Webhooks Burst and MessagesPerMinute), taken only after the webhook's secret
/// was verified, so nobody without the URL can use up a webhook's rate. Counted per server.
/// </summary>
public sealed class WebhookRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<int> limiter;
    private readonly TimeSpan period;

    public WebhookRateLimiter(IOptions<WebhookOptions> options)
    {
        var settings = options.Value;
        period = TimeSpan.FromMinutes(1) / settings.MessagesPerMinute;
        limiter = PartitionedRateLimiter.Create<int, int>(webhookId =>
            RateLimitPartition.GetTokenBucketLimiter(webhookId, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Takes one message of the webhook's rate; when none is left, how long until one is.</summary>
    public bool TryAcquire(int webhookId, out TimeSpan retryAfter)
    {
        using var lease = limiter.AttemptAcquire(webhookId);
        retryAfter = lease.IsAcquired ? TimeSpan.Zero
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : period;
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}

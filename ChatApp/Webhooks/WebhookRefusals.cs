using System.Collections.Concurrent;
using ChatApp.Data;
using Microsoft.Extensions.Options;

namespace ChatApp.Webhooks;

/// <summary>
/// Writes refused requests of a known webhook (a wrong secret, its rate exceeded) to the audit log, aggregated: at
/// most one entry per webhook and reason per interval, counting the refusals since the previous entry.
/// </summary>
public sealed class WebhookRefusals(AuditLog audit, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string WrongSecret = "wrong secret";

    public const string RateLimited = "rate limit exceeded";

    private readonly ConcurrentDictionary<(int WebhookId, string Reason), Tally> tallies = new();

    public async Task RecordAsync(int webhookId, string reason, string? ipAddress)
    {
        var now = time.GetTimestamp();
        var tally = tallies.GetOrAdd((webhookId, reason), _ => new Tally());
        int count;
        lock (tally)
        {
            tally.Count++;
            if (tally.LastWritten != 0 && time.GetElapsedTime(tally.LastWritten, now) < options.Value.RefusalAuditInterval)
            {
                return;
            }
            count = tally.Count;
            tally.Count = 0;
            tally.LastWritten = now;
        }
        await audit.WriteAsync(AuditActions.WebhookRefused, AuditActor.Anonymous("webhook caller", ipAddress), webhookId.ToString(),
            $"webhook {webhookId}", count == 1 ? reason : $"{reason} ({count} requests since the last entry)");
    }

    private sealed class Tally
    {
        public int Count;
        public long LastWritten;
    }
}

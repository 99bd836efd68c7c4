using System.ComponentModel.DataAnnotations;

namespace ChatApp.Webhooks;

/// <summary>The <c>Chat:Webhooks</c> section: limits of incoming webhooks.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Chat:Webhooks";

    /// <summary>Largest request body accepted; larger ones are answered 413 without being read.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Messages one webhook can post at once before the steady rate applies.</summary>
    [Range(1, 10_000)]
    public int Burst { get; set; } = 10;

    [Range(1, 100_000)]
    public int MessagesPerMinute { get; set; } = 30;

    /// <summary>How often refused requests of one webhook are written to the audit log (counted in between).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RefusalAuditInterval { get; set; } = TimeSpan.FromMinutes(1);
}

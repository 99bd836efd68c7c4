using System.ComponentModel.DataAnnotations;

namespace ChatApp.Operations;

public enum MetricsExporter
{
    None,
    Prometheus,
    Otlp,
}

/// <summary>The <c>Chat:Metrics</c> section: where the OpenTelemetry metrics go, if anywhere.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Chat:Metrics";

    public MetricsExporter Exporter { get; set; } = MetricsExporter.None;

    /// <summary>The Prometheus scrape path.</summary>
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>Answer scrapes from loopback only (a Prometheus on the same machine, or through the proxy's own rule).</summary>
    public bool PrometheusLoopbackOnly { get; set; } = true;

    /// <summary>The OTLP collector, e.g. http://127.0.0.1:4317; unset, the exporter's default (or OTEL_EXPORTER_OTLP_ENDPOINT).</summary>
    public Uri? OtlpEndpoint { get; set; }
}

/// <summary>The <c>Chat:Health</c> section.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Chat:Health";

    /// <summary>Below this much free space on the attachments' disk the server reports itself not ready.</summary>
    [Range(0, long.MaxValue)]
    public long MinimumFreeBytes { get; set; } = 100L * 1024 * 1024;
}

/// <summary>The <c>Chat:Retention</c> section; both limits off (0) by default.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Chat:Retention";

    /// <summary>Messages older than this many days are deleted with their attachments; 0 keeps them forever.</summary>
    [Range(0, 36500)]
    public int MessageDays { get; set; }

    /// <summary>Audit entries older than this many days are deleted; 0 keeps them forever.</summary>
    [Range(0, 36500)]
    public int AuditDays { get; set; }

    /// <summary>How often retention runs (the first run is one interval after start).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public bool IsEnabled => MessageDays > 0 || AuditDays > 0;
}

using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>Tagged checks make up /health/ready; /health/live runs none.</summary>
    internal const string ReadyTag = "ready";

    /// <summary>Health checks, metrics, retention and the restart notice (docs/deploy.md).</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.SectionName)).ValidateOnStart();
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => o.Interval >= TimeSpan.FromMinutes(1), "Chat:Retention:Interval must be at least one minute.")
            .ValidateOnStart();
        services.AddSingleton<ServerLifecycle>();
        services.AddSingleton<RetentionService>();
        services.AddHostedService<RetentionScheduler>();
        services.AddReadinessChecks(configuration);
        services.AddChatMetricsExport(configuration);
        return services;
    }

    private static void AddReadinessChecks(this IServiceCollection services, IConfiguration configuration)
    {
        string[] ready = [ReadyTag];
        var checks = services.AddHealthChecks()
            .AddCheck<ServerLifecycleHealthCheck>("lifecycle", tags: ready)
            // Reachable and migrated: a server started on a database a release ahead or behind is not ready.
            .AddDbContextCheck<ApplicationDbContext>("database", tags: ready,
                customTestQuery: async (db, cancellationToken) => !(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
            .AddCheck<AttachmentStorageHealthCheck>("attachments", tags: ready);
        if (DataServiceCollectionExtensions.ParseProvider(configuration[DataServiceCollectionExtensions.ProviderKey]) == DatabaseProvider.Postgres)
        {
            var connectionString = DataServiceCollectionExtensions.ResolvePostgresConnectionString(configuration.GetConnectionString("DefaultConnection"));
            checks.AddNpgSql(connectionString, name: "postgres", tags: ready, timeout: TimeSpan.FromSeconds(5));
        }
        if (!string.IsNullOrWhiteSpace(configuration["Chat:Redis:Configuration"]))
        {
            checks.AddRedis(sp => sp.GetRequiredService<IConnectionMultiplexer>(), name: "redis", tags: ready, timeout: TimeSpan.FromSeconds(5));
        }
    }

    private static void AddChatMetricsExport(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        if (options.Exporter == MetricsExporter.None)
        {
            return;
        }
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(ChatMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation();
            if (options.Exporter == MetricsExporter.Prometheus)
            {
                metrics.AddPrometheusExporter();
            }
            else
            {
                metrics.AddOtlpExporter(otlp =>
                {
                    if (options.OtlpEndpoint is { } endpoint)
                    {
                        otlp.Endpoint = endpoint;
                    }
                });
            }
        });
    }
}

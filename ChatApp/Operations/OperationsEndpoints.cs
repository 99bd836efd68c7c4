using System.Net;
using ChatApp.Operations;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class OperationsEndpoints
{
    /// <summary>Refuses new tabs once the server is stopping; before the Blazor endpoint runs.</summary>
    public static IApplicationBuilder UseRestartNotice(this IApplicationBuilder app) =>
        app.UseMiddleware<RefuseCircuitsWhileStopping>();

    /// <summary>
    /// /health/live (the process answers), /health/ready (every dependency) and, when chosen, the Prometheus scrape
    /// endpoint. Health answers are one word (Healthy, Degraded, Unhealthy): no names, versions or errors.
    /// </summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .DisableRateLimiting().AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(OperationsServiceCollectionExtensions.ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).DisableRateLimiting().AllowAnonymous();

        var metrics = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (metrics.Exporter == MetricsExporter.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(metrics.PrometheusPath, meterProvider: null,
                    configureBranchedPipeline: scrape => scrape.Use((context, next) =>
                        !metrics.PrometheusLoopbackOnly || context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
                            ? next(context)
                            : Results.NotFound().ExecuteAsync(context)),
                    optionsName: null)
                .DisableRateLimiting();
        }
        return app;
    }
}

using ChatApp.Chat;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ChatApp.Operations;

/// <summary>The attachments folder can be written (ProtectSystem=strict without ReadWritePaths fails here) and its disk has room.</summary>
internal sealed class AttachmentStorageHealthCheck(AttachmentService attachments, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var directory = attachments.StorageDirectory;
        var probe = Path.Combine(directory, $".health-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
            File.Delete(probe);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The description is not in the public answer; the log has it for the operator.
            return HealthCheckResult.Unhealthy("The attachments folder is not writable.", exception);
        }
        var free = new DriveInfo(directory).AvailableFreeSpace;
        return free < options.Value.MinimumFreeBytes
            ? HealthCheckResult.Unhealthy($"{free:N0} bytes free on the attachments' disk, below Chat:Health:MinimumFreeBytes.")
            : HealthCheckResult.Healthy();
    }
}

/// <summary>Not ready once the server is stopping, so a load balancer sends new tabs elsewhere.</summary>
internal sealed class ServerLifecycleHealthCheck(ServerLifecycle lifecycle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifecycle.IsStopping ? HealthCheckResult.Unhealthy("The server is stopping.") : HealthCheckResult.Healthy());
}

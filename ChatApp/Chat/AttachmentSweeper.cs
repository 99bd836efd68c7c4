using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>Removes uploads that were never sent, every <c>Chat:Attachments:SweepInterval</c>, so abandoned files cannot fill the disk.</summary>
public sealed partial class AttachmentSweeper(AttachmentService attachments, IOptions<ChatOptions> options, TimeProvider time, ILogger<AttachmentSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Attachments.SweepInterval, time);
        do
        {
            try
            {
                if (await attachments.SweepOrphansAsync(stoppingToken) is > 0 and var removed)
                {
                    LogSwept(removed);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} attachment file(s) that were never sent")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping unsent attachments failed; trying again at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}

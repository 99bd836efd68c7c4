using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Operations;

/// <summary>What one retention run deleted.</summary>
public sealed record RetentionResult(int Messages, int Attachments, int AuditEntries);

/// <summary>
/// Deletes messages (with their attachments' files) older than <c>Chat:Retention:MessageDays</c> and audit entries
/// older than <c>Chat:Retention:AuditDays</c>; every run that deletes anything is itself audited.
/// </summary>
public sealed partial class RetentionService(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    AttachmentService attachments,
    AuditLog audit,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionService> logger)
{
    public const string AuditAction = "retention.run";

    // Small enough that a run never holds SQLite's write lock for long while people chat.
    private const int BatchSize = 500;

    public async Task<RetentionResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var (messages, files) = settings.MessageDays > 0 ? await DeleteMessagesAsync(now.AddDays(-settings.MessageDays), cancellationToken) : (0, 0);
        var entries = 0;
        if (settings.AuditDays > 0)
        {
            var cutoff = now.AddDays(-settings.AuditDays);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            entries = await db.AuditEntries.Where(e => e.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        }
        var result = new RetentionResult(messages, files, entries);
        if (result != new RetentionResult(0, 0, 0))
        {
            LogRun(messages, files, entries);
            await audit.WriteAsync(AuditAction, new AuditActor(null, "Retention", null), details:
                $"Deleted {messages} messages older than {settings.MessageDays} days with {files} attachments, and {entries} audit entries older than {settings.AuditDays} days");
        }
        return result;
    }

    private async Task<(int Messages, int Files)> DeleteMessagesAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        var messages = 0;
        var files = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var ids = await db.Messages.Where(m => m.CreatedAt < cutoff).OrderBy(m => m.Id).Select(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return (messages, files);
            }
            var stored = await db.Attachments.Where(a => a.MessageId != null && ids.Contains(a.MessageId.Value)).Select(a => a.StoredName).ToListAsync(cancellationToken);
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                // Replies to a deleted message keep their text; only the link goes.
                await db.Messages.Where(m => m.ReplyToId != null && ids.Contains(m.ReplyToId.Value)).ExecuteUpdateAsync(s => s.SetProperty(m => m.ReplyToId, (long?)null), cancellationToken);
                await db.Attachments.Where(a => a.MessageId != null && ids.Contains(a.MessageId.Value)).ExecuteDeleteAsync(cancellationToken);
                await db.MessageMentions.Where(m => ids.Contains(m.MessageId)).ExecuteDeleteAsync(cancellationToken);
                await db.MessageReactions.Where(r => ids.Contains(r.MessageId)).ExecuteDeleteAsync(cancellationToken);
                messages += await db.Messages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            // Files go after the commit: a failed run leaves a file without a row (the orphan sweep's job), never a row without its file.
            foreach (var name in stored)
            {
                File.Delete(Path.Combine(attachments.StorageDirectory, name));
                files++;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Messages} messages, {Files} attachment files and {AuditEntries} audit entries")]
    private partial void LogRun(int messages, int files, int auditEntries);
}

/// <summary>Runs retention every <c>Chat:Retention:Interval</c> when a limit is set.</summary>
internal sealed partial class RetentionScheduler(RetentionService retention, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionScheduler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await retention.RunAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A retention run failed; the next one tries again")]
    private partial void LogFailed(Exception exception);
}

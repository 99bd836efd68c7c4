using System.Security.Cryptography;
using ChatApp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>
/// Stores uploaded files outside wwwroot under random names, accepts only an allow-list of types (decided from
/// the file's first bytes and its extension, never from what the browser claims), and hands a file out only to
/// members of the room its message is in.
/// </summary>
public sealed class AttachmentService(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    RoomMembership membership,
    PostingRules postingRules,
    IOptions<ChatOptions> options,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<AttachmentService> logger)
{
    public const string TypeNotAllowed = "Only images (PNG, JPEG, GIF, WebP), PDF, text and ZIP files can be attached.";

    private static readonly string[] TextExtensions = [".txt", ".md", ".log", ".csv"];

    public string StorageDirectory { get; } = Path.GetFullPath(options.Value.Attachments.Directory, environment.ContentRootPath);

    public long MaxBytes => options.Value.Attachments.MaxBytes;

    public long QuotaBytes => options.Value.Attachments.QuotaBytes;

    /// <summary>
    /// Stores an upload for the user in a room they may post to (the same rules and rate as sending); it joins a
    /// message when they send one with it. Refused past the user's storage quota.
    /// </summary>
    public async Task<ChatResult<AttachmentInfo>> SaveAsync(ChatUser uploader, int roomId, string fileName, Stream content, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        fileName = Path.GetFileName(fileName.Trim());
        if (fileName.Length is 0 or > Attachment.FileNameMaxLength)
        {
            return ChatResult<AttachmentInfo>.Fail("The file needs a name of at most 255 characters.");
        }
        if (!await membership.CanReadAsync(uploader.Id, roomId))
        {
            return ChatResult<AttachmentInfo>.Fail(ChatResult.RoomNotFound);
        }
        if (await postingRules.AuthorizeWriteAsync(uploader.Id, roomId) is { } refusal)
        {
            return ChatResult<AttachmentInfo>.Fail(refusal);
        }
        var room = QuotaBytes - await UsedBytesAsync(uploader.Id, cancellationToken);
        if (room <= 0)
        {
            return ChatResult<AttachmentInfo>.Fail(QuotaReached);
        }
        Directory.CreateDirectory(StorageDirectory);
        var storedName = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(StorageDirectory, storedName);
        long size = 0;
        var head = new byte[512];
        var headLength = 0;
        try
        {
            await using (var file = File.Create(path))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > MaxBytes)
                    {
                        throw new InvalidDataException(TooBig);
                    }
                    if (size > room)
                    {
                        throw new InvalidDataException(QuotaReached);
                    }
                    if (headLength < head.Length)
                    {
                        var take = Math.Min(read, head.Length - headLength);
                        Array.Copy(buffer, 0, head, headLength, take);
                        headLength += take;
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    progress?.Report(size);
                }
            }
            var contentType = DetectContentType(head.AsSpan(0, headLength), Path.GetExtension(fileName));
            if (contentType is null || size == 0)
            {
                throw new InvalidDataException(size == 0 ? "The file is empty." : TypeNotAllowed);
            }
            var attachment = new Attachment
            {
                Id = Guid.NewGuid(),
                UploaderId = uploader.Id,
                FileName = fileName,
                ContentType = contentType,
                Size = size,
                StoredName = storedName,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            };
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.Attachments.Add(attachment);
            await db.SaveChangesAsync(cancellationToken);
            return ChatResult<AttachmentInfo>.Success(new AttachmentInfo(attachment.Id, fileName, contentType, size));
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or OperationCanceledException)
        {
            File.Delete(path);
            return ChatResult<AttachmentInfo>.Fail(exception is InvalidDataException ? exception.Message : "The upload did not finish. Try again.");
        }
    }

    private string QuotaReached => $"Your files use the {QuotaBytes / 1024.0 / 1024.0:0.#} MB you can store. Delete messages with files you no longer need, then try again.";

    /// <summary>Bytes the user's files take, sent or not.</summary>
    public async Task<long> UsedBytesAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attachments.Where(a => a.UploaderId == userId).SumAsync(a => a.Size, cancellationToken);
    }

    private string TooBig => $"Files can be at most {MaxBytes / 1024.0 / 1024.0:0.#} MB.";

    /// <summary>The stored file if this user may read it now: a member of its message's room, or its uploader before it is sent.</summary>
    public async Task<(Attachment Attachment, string Path)?> OpenAsync(string userId, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Attachments.AsNoTracking()
            .Where(a => a.Id == id)
            .Select(a => new { Attachment = a, RoomId = a.MessageId == null ? (int?)null : db.Messages.Where(m => m.Id == a.MessageId && m.DeletedAt == null).Select(m => (int?)m.RoomId).FirstOrDefault() })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }
        var allowed = found.Attachment.MessageId is null
            ? found.Attachment.UploaderId == userId
            : found.RoomId is { } roomId && await membership.CanReadAsync(userId, roomId);
        var path = Path.Combine(StorageDirectory, found.Attachment.StoredName);
        return allowed && File.Exists(path) ? (found.Attachment, path) : null;
    }

    /// <summary>Removes a deleted message's files (rows and bytes).</summary>
    public Task DeleteForMessageAsync(long messageId, CancellationToken cancellationToken = default) =>
        DeleteWhereAsync(db => db.Attachments.Where(a => a.MessageId == messageId), cancellationToken);

    /// <summary>Removes the files of every message of a room that is being deleted (rows and bytes).</summary>
    public Task DeleteForRoomAsync(int roomId, CancellationToken cancellationToken = default) =>
        DeleteWhereAsync(db => db.Attachments.Where(a => db.Messages.Any(m => m.Id == a.MessageId && m.RoomId == roomId)), cancellationToken);

    /// <summary>
    /// Removes uploads never sent with a message after <c>Chat:Attachments:OrphanAfter</c>, and stored files that
    /// no row names (an upload cut off between writing the file and its row). Returns the files removed.
    /// </summary>
    public async Task<int> SweepOrphansAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.Attachments.OrphanAfter;
        var removed = await DeleteWhereAsync(db => db.Attachments.Where(a => a.MessageId == null && a.CreatedAt < cutoff), cancellationToken);
        if (!Directory.Exists(StorageDirectory))
        {
            return removed;
        }
        var old = new DirectoryInfo(StorageDirectory).EnumerateFiles().Where(f => f.LastWriteTimeUtc < cutoff).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One query per chunk of file names, not one per file.
        foreach (var chunk in old.Chunk(500))
        {
            var names = chunk.Select(f => f.Name).ToList();
            var known = (await db.Attachments.Where(a => names.Contains(a.StoredName)).Select(a => a.StoredName).ToListAsync(cancellationToken)).ToHashSet();
            foreach (var file in chunk.Where(f => !known.Contains(f.Name)))
            {
                file.Delete();
                removed++;
            }
        }
        return removed;
    }

    private async Task<int> DeleteWhereAsync(Func<ApplicationDbContext, IQueryable<Attachment>> which, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var attachments = await which(db).ToListAsync(cancellationToken);
        foreach (var attachment in attachments)
        {
            try
            {
                File.Delete(Path.Combine(StorageDirectory, attachment.StoredName));
            }
            catch (IOException exception)
            {
                logger.LogWarning(exception, "Could not delete attachment file {StoredName}", attachment.StoredName);
            }
        }
        db.Attachments.RemoveRange(attachments);
        await db.SaveChangesAsync(cancellationToken);
        return attachments.Count;
    }

    /// <summary>The content type from the file's signature (and, for text, its extension); null when not allowed.</summary>
    public static string? DetectContentType(ReadOnlySpan<byte> head, string extension)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        if (head.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]))
        {
            return "application/zip";
        }
        if (TextExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase) && !head.Contains((byte)0))
        {
            return "text/plain; charset=utf-8";
        }
        return null;
    }
}

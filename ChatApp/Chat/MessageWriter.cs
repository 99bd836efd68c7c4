using System.Data.Common;
using System.Threading.Channels;
using ChatApp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ChatApp.Chat;

/// <summary>
/// The one writer of new messages and read markers: group commit. SQLite admits one writer at a time, so
/// many circuits writing at once used to queue on its file lock (retrying with sleeps on pool threads) and
/// commit, and sync the log, one by one. Here they queue in memory instead, and everything waiting when the
/// previous commit finished goes into the next transaction. Nobody is answered, and nothing is published,
/// before the commit that stored it; messages are published in commit order.
/// </summary>
public sealed class MessageWriter : IAsyncDisposable
{
    /// <summary>Most work items one transaction takes; the rest wait for the next.</summary>
    public const int MaxBatch = 256;

    private readonly IDbContextFactory<ApplicationDbContext> dbFactory;
    private readonly TimeProvider time;
    private readonly ILogger<MessageWriter> logger;
    private readonly ChatApp.Chat.ChatMetrics metrics;
    private readonly Channel<Work> queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;

    public MessageWriter(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider time, ChatApp.Chat.ChatMetrics metrics, ILogger<MessageWriter> logger)
    {
        this.metrics = metrics;
        this.dbFactory = dbFactory;
        this.time = time;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Transactions committed and items they carried, for diagnostics and the benchmark report.</summary>
    public long Commits => Interlocked.Read(ref commits);

    public long ItemsCommitted => Interlocked.Read(ref itemsCommitted);

    private long commits;
    private long itemsCommitted;
    private Columns? columns;

    /// <summary>
    /// Stores a new message: takes the room's next sequence, links the attachments (all of them or the send
    /// fails) and moves the author's read marker. <paramref name="committed"/> runs after the commit, in commit
    /// order, before the returned task completes.
    /// </summary>
    public Task<Message> InsertAsync(Message message, IReadOnlyList<Guid> attachmentIds, Action<Message> committed)
    {
        var work = new Insert(message, attachmentIds, committed);
        return Enqueue(work) ? work.Task : Task.FromException<Message>(new ObjectDisposedException(nameof(MessageWriter)));
    }

    /// <summary>Moves a read marker forward (never back, never past the room's newest message); the new marker if it moved.</summary>
    public Task<long?> MoveReadMarkerAsync(string userId, int roomId, long sequence)
    {
        var work = new ReadMarker(userId, roomId, sequence);
        return Enqueue(work) ? work.Task : Task.FromResult<long?>(null);
    }

    private bool Enqueue(Work work) => queue.Writer.TryWrite(work);

    private async Task RunAsync()
    {
        var batch = new List<Work>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var work))
            {
                batch.Add(work);
            }
            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<Work> batch)
    {
        try
        {
            await ApplyAsync(batch);
            return;
        }
        catch (Exception exception) when (batch.Count > 1)
        {
            // One bad item (a duplicate submission, a vanished attachment) must not fail the others: retry alone.
            logger.LogDebug(exception, "A batch of {Count} failed; committing its items one by one", batch.Count);
        }
        catch (Exception exception)
        {
            batch[0].Fail(exception);
            return;
        }
        foreach (var work in batch)
        {
            try
            {
                await ApplyAsync([work]);
            }
            catch (Exception exception)
            {
                work.Fail(exception);
            }
        }
    }

    /// <summary>
    /// A thread reply makes its author follow the thread (and have read it up to the reply), makes the people it
    /// mentions follow it (again, even after an unfollow; new to it, only the mention is unread), and the root's author
    /// follow it unless they unfollowed.
    /// </summary>
    private static async Task FollowThreadAsync(Sql sql, Message reply, long root, DateTime now)
    {
        var at = Columns.Timestamp(now);
        await sql.ExecuteAsync(
            """
            INSERT INTO "ThreadFollowers" ("RootMessageId", "UserId", "IsFollowing", "LastReadSequence", "UpdatedAt") VALUES (@root, @user, @yes, @sequence, @now)
            ON CONFLICT ("RootMessageId", "UserId") DO UPDATE SET "IsFollowing" = @yes, "LastReadSequence" = @sequence, "UpdatedAt" = @now
            """,
            ("@root", root), ("@user", reply.AuthorId), ("@yes", true), ("@sequence", reply.Sequence), ("@now", at));
        foreach (var mention in reply.Mentions)
        {
            await sql.ExecuteAsync(
                """
                INSERT INTO "ThreadFollowers" ("RootMessageId", "UserId", "IsFollowing", "LastReadSequence", "UpdatedAt") VALUES (@root, @user, @yes, @before, @now)
                ON CONFLICT ("RootMessageId", "UserId") DO UPDATE SET "IsFollowing" = @yes, "UpdatedAt" = @now
                """,
                ("@root", root), ("@user", mention.UserId), ("@yes", true), ("@before", reply.Sequence - 1), ("@now", at));
        }
        await sql.ExecuteAsync(
            """
            INSERT INTO "ThreadFollowers" ("RootMessageId", "UserId", "IsFollowing", "LastReadSequence", "UpdatedAt")
            SELECT "Id", "AuthorId", @yes, 0, @now FROM "Messages" WHERE "Id" = @root AND "AuthorId" IS NOT NULL
            ON CONFLICT ("RootMessageId", "UserId") DO NOTHING
            """,
            ("@root", root), ("@yes", true), ("@now", at));
    }

    private async Task ApplyAsync(IReadOnlyList<Work> batch)
    {
        var inserts = batch.OfType<Insert>().ToList();
        var markers = batch.OfType<ReadMarker>().ToList();
        var now = time.GetUtcNow().UtcDateTime;
        var moved = new long?[markers.Count];

        // Plain commands on the context's connection: the same few statements for every message, where EF's
        // per-call query pipeline cost more than SQLite itself. Values are stored as EF stores them (see Columns),
        // so EF reads these rows like its own.
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            columns ??= new Columns(db.Database.IsSqlite());
            await using var transaction = await db.Database.BeginTransactionAsync();
            using var sql = new Sql(db.Database.GetDbConnection(), transaction.GetDbTransaction());
            var lastSequences = new Dictionary<int, long>();
            // In room order, so writers of several servers sharing one database lock rooms in the same order.
            foreach (var room in inserts.GroupBy(i => i.Message.RoomId).OrderBy(room => room.Key))
            {
                // Takes this batch's sequences for the room in one step, under the transaction's write lock.
                var count = room.Count();
                var last = (long)(await sql.ScalarAsync(
                    """UPDATE "Rooms" SET "LastSequence" = "LastSequence" + @count, "LastMessageAt" = @now WHERE "Id" = @room RETURNING "LastSequence" """,
                    ("@count", count), ("@now", Columns.Timestamp(now)), ("@room", room.Key)))!;
                var next = last - count;
                foreach (var insert in room)
                {
                    insert.Message.Sequence = ++next;
                }
                lastSequences[room.Key] = last;
            }

            foreach (var insert in inserts)
            {
                var message = insert.Message;
                message.Id = (long)(await sql.ScalarAsync(columns.InsertMessage,
                    ("@room", message.RoomId), ("@sequence", message.Sequence), ("@author", message.AuthorId), ("@client", columns.Guid(message.ClientId)),
                    ("@text", message.Text), ("@created", Columns.Timestamp(message.CreatedAt)), ("@replyTo", message.ReplyToId), ("@mentionsRoom", message.MentionsRoom),
                    ("@threadRoot", message.ThreadRootId), ("@alsoInRoom", message.AlsoInRoom)))!;
                foreach (var mention in message.Mentions)
                {
                    mention.MessageId = message.Id;
                    await sql.ExecuteAsync("""INSERT INTO "MessageMentions" ("MessageId", "UserId") VALUES (@message, @user)""",
                        ("@message", message.Id), ("@user", mention.UserId));
                }
                foreach (var attachmentId in insert.AttachmentIds)
                {
                    var linked = await sql.ExecuteAsync(
                        """UPDATE "Attachments" SET "MessageId" = @message WHERE "Id" = @id AND "UploaderId" = @author AND "MessageId" IS NULL""",
                        ("@message", message.Id), ("@id", columns.Guid(attachmentId)), ("@author", message.AuthorId));
                    if (linked != 1)
                    {
                        throw new AttachmentMissingException();
                    }
                }
                if (message.ThreadRootId is { } root)
                {
                    await FollowThreadAsync(sql, message, root, now);
                }
                // The author has read their own message (a reply in a thread only says they read the thread).
                if (message.ThreadRootId is not null && !message.AlsoInRoom)
                {
                    continue;
                }
                await sql.ExecuteAsync(
                    """UPDATE "RoomMembers" SET "LastReadSequence" = @sequence WHERE "RoomId" = @room AND "UserId" = @user AND "LastReadSequence" < @sequence""",
                    ("@sequence", message.Sequence), ("@room", message.RoomId), ("@user", message.AuthorId));
            }

            for (var i = 0; i < markers.Count; i++)
            {
                var marker = markers[i];
                if (!lastSequences.TryGetValue(marker.RoomId, out var last))
                {
                    last = await sql.ScalarAsync("""SELECT "LastSequence" FROM "Rooms" WHERE "Id" = @room""", ("@room", marker.RoomId)) is long value ? value : 0;
                    lastSequences[marker.RoomId] = last;
                }
                var sequence = Math.Min(marker.Sequence, last);
                var changed = await sql.ExecuteAsync(
                    """UPDATE "RoomMembers" SET "LastReadSequence" = @sequence WHERE "RoomId" = @room AND "UserId" = @user AND "LastReadSequence" < @sequence""",
                    ("@sequence", sequence), ("@room", marker.RoomId), ("@user", marker.UserId));
                moved[i] = changed > 0 ? sequence : null;
            }
            await transaction.CommitAsync();
        }

        Interlocked.Increment(ref commits);
        Interlocked.Add(ref itemsCommitted, batch.Count);
        if (inserts.Count > 0)
        {
            metrics.MessagesStored(inserts.Count);
        }
        foreach (var insert in inserts)
        {
            try
            {
                insert.Committed(insert.Message);
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Publishing message {MessageId} failed", insert.Message.Id);
            }
            insert.TrySetResult(insert.Message);
        }
        for (var i = 0; i < markers.Count; i++)
        {
            markers[i].TrySetResult(moved[i]);
        }
    }

    /// <summary>
    /// What differs between the providers in these commands, decided once: EF stores a Guid as upper-case text on
    /// SQLite and as uuid on PostgreSQL, and a bool column takes 0 on SQLite but only a boolean on PostgreSQL.
    /// </summary>
    private sealed class Columns(bool sqlite)
    {
        public string InsertMessage { get; } = $"""
            INSERT INTO "Messages" ("RoomId", "Sequence", "AuthorId", "ClientId", "Text", "CreatedAt", "RemovedByModerator", "ReplyToId", "MentionsRoom", "ThreadRootId", "AlsoInRoom")
            VALUES (@room, @sequence, @author, @client, @text, @created, {(sqlite ? "0" : "FALSE")}, @replyTo, @mentionsRoom, @threadRoot, @alsoInRoom)
            RETURNING "Id"
            """;

        public object Guid(Guid value) => sqlite ? value.ToString().ToUpperInvariant() : value;

        /// <summary>The UTC wall clock without a kind, as EF stores timestamps (ApplicationDbContext's converter).</summary>
        public static DateTime Timestamp(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);
    }

    /// <summary>Runs parameterized statements in the batch's transaction, reusing one command per statement text.</summary>
    private sealed class Sql(DbConnection connection, DbTransaction transaction) : IDisposable
    {
        private readonly Dictionary<string, DbCommand> commands = [];

        public void Dispose()
        {
            foreach (var command in commands.Values)
            {
                command.Dispose();
            }
        }

        public async Task<object?> ScalarAsync(string text, params (string Name, object? Value)[] parameters) =>
            await Prepare(text, parameters).ExecuteScalarAsync();

        public async Task<int> ExecuteAsync(string text, params (string Name, object? Value)[] parameters) =>
            await Prepare(text, parameters).ExecuteNonQueryAsync();

        private DbCommand Prepare(string text, (string Name, object? Value)[] parameters)
        {
            if (!commands.TryGetValue(text, out var command))
            {
                command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = text;
                foreach (var (name, _) in parameters)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    command.Parameters.Add(parameter);
                }
                commands[text] = command;
            }
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
            }
            return command;
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    private abstract class Work
    {
        public abstract void Fail(Exception exception);
    }

    private sealed class Insert(Message message, IReadOnlyList<Guid> attachmentIds, Action<Message> committed) : Work
    {
        private readonly TaskCompletionSource<Message> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Message Message { get; } = message;

        public IReadOnlyList<Guid> AttachmentIds { get; } = attachmentIds;

        public Action<Message> Committed { get; } = committed;

        public Task<Message> Task => completion.Task;

        public void TrySetResult(Message stored) => completion.TrySetResult(stored);

        public override void Fail(Exception exception) => completion.TrySetException(exception);
    }

    private sealed class ReadMarker(string userId, int roomId, long sequence) : Work
    {
        private readonly TaskCompletionSource<long?> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string UserId { get; } = userId;

        public int RoomId { get; } = roomId;

        public long Sequence { get; } = sequence;

        public Task<long?> Task => completion.Task;

        public void TrySetResult(long? marker) => completion.TrySetResult(marker);

        // A read marker that could not be stored is not worth failing a page over: it moves again next read.
        public override void Fail(Exception exception) => completion.TrySetResult(null);
    }
}

/// <summary>An attachment of a send was taken or removed before the send was stored.</summary>
public sealed class AttachmentMissingException() : Exception("An attachment is missing; upload it again.");

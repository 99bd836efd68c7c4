using System.Diagnostics;
using ChatApp.Chat;
using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatApp.Bench;

/// <summary>
/// S4 without the circuits: the app's own <see cref="MessageWriter"/> (group commit, sequence per room, ack after
/// commit) driven by <c>writers</c> concurrent senders in this process, on a seeded database. Separates what the
/// durable write path costs from what the UI around a send costs (S4 goes through circuits).
/// </summary>
public static class WriterBench
{
    public static async Task<object> RunAsync(string databasePath, int writers, TimeSpan duration, TextWriter log)
    {
        await using var services = new ServiceCollection()
            .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3)
            .AddPooledDbContextFactory<ApplicationDbContext>(options => options.UseSqlite($"Data Source={databasePath}"))
            .AddMetrics()
            .BuildServiceProvider();
        var factory = services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>();
        List<(string UserId, int RoomId)> authors;
        await using (var db = await factory.CreateDbContextAsync())
        {
            authors = [.. (await db.RoomMembers.Where(m => m.Room.Name.StartsWith("team-")).OrderBy(m => m.RoomId).ThenBy(m => m.UserId)
                .Select(m => new { m.UserId, m.RoomId }).ToListAsync()).Take(writers).Select(m => (m.UserId, m.RoomId))];
        }
        await using var writer = new MessageWriter(factory, TimeProvider.System,
            new ChatApp.Chat.ChatMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TimeProvider.System), NullLogger<MessageWriter>.Instance);
        var committed = 0L;
        var acks = new System.Collections.Concurrent.ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(authors.Select((author, w) => Task.Run(async () =>
        {
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var started = Stopwatch.GetTimestamp();
                await writer.InsertAsync(new Message
                {
                    RoomId = author.RoomId,
                    AuthorId = author.UserId,
                    ClientId = Guid.NewGuid(),
                    Text = $"writer {w} {n}",
                    CreatedAt = DateTime.UtcNow,
                }, [], _ => { });
                acks.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref committed);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        log.WriteLine($"MessageWriter, {authors.Count} senders: {committed / elapsed:0} messages/s");
        return new
        {
            scenario = "S4-writer",
            senders = authors.Count,
            durationSeconds = elapsed,
            committed,
            messagesPerSecond = committed / elapsed,
            sendToAck = Stats.Summarize(acks),
        };
    }
}

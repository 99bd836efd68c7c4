using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ChatApp.Bench;

/// <summary>
/// The S4 baseline: what SQLite itself commits on this disk, with the app's schema (indexes and search
/// triggers), journal mode (WAL) and synchronous setting (the default), and no app in between. Each
/// transaction takes the room's next sequence and inserts <c>batch</c> messages, as the app does per send.
/// Run it on a freshly seeded database (<c>seed</c> first).
/// </summary>
public static class RawSqlite
{
    public static async Task<object> RunAsync(string databasePath, int writers, int batch, TimeSpan duration, TextWriter log)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
        await using (var setup = new SqliteConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var read = setup.CreateCommand();
            read.CommandText = "PRAGMA journal_mode; ";
            log.WriteLine($"journal_mode={await read.ExecuteScalarAsync()}");
            read.CommandText = "PRAGMA synchronous;";
            log.WriteLine($"synchronous={await read.ExecuteScalarAsync()}");
        }
        var authors = await LoadAuthorsAsync(connectionString, writers);
        var committed = 0L;
        var commits = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(authors.Select((author, w) => Task.Run(async () =>
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            var n = 0;
            while (clock.Elapsed < duration)
            {
                await using var transaction = connection.BeginTransaction(); // IMMEDIATE, as EF Core begins its transactions here
                for (var i = 0; i < batch; i++)
                {
                    await using var sequence = connection.CreateCommand();
                    sequence.CommandText = """UPDATE "Rooms" SET "LastSequence" = "LastSequence" + 1, "LastMessageAt" = $now WHERE "Id" = $room RETURNING "LastSequence" """;
                    sequence.Parameters.AddWithValue("$room", author.RoomId);
                    sequence.Parameters.AddWithValue("$now", DateTime.UtcNow);
                    var next = (long)(await sequence.ExecuteScalarAsync())!;
                    await using var insert = connection.CreateCommand();
                    insert.CommandText = """
                        INSERT INTO "Messages" ("RoomId", "Sequence", "AuthorId", "ClientId", "Text", "CreatedAt", "RemovedByModerator", "MentionsRoom", "AlsoInRoom")
                        VALUES ($room, $sequence, $author, $client, $text, $now, 0, 0, 0)
                        """;
                    insert.Parameters.AddWithValue("$room", author.RoomId);
                    insert.Parameters.AddWithValue("$sequence", next);
                    insert.Parameters.AddWithValue("$author", author.UserId);
                    insert.Parameters.AddWithValue("$client", Guid.NewGuid().ToString().ToUpperInvariant());
                    insert.Parameters.AddWithValue("$text", $"raw {w} {n++}");
                    insert.Parameters.AddWithValue("$now", DateTime.UtcNow);
                    await insert.ExecuteNonQueryAsync();
                }
                await transaction.CommitAsync();
                Interlocked.Add(ref committed, batch);
                Interlocked.Increment(ref commits);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        log.WriteLine($"raw SQLite, {writers} writers, {batch} per commit: {committed / elapsed:0} messages/s, {commits / elapsed:0} commits/s");
        return new
        {
            scenario = "S4-raw",
            writers,
            batch,
            durationSeconds = elapsed,
            committed,
            commits,
            messagesPerSecond = committed / elapsed,
            commitsPerSecond = commits / elapsed,
        };
    }

    private sealed record Author(string UserId, int RoomId);

    private static async Task<List<Author>> LoadAuthorsAsync(string connectionString, int count)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "UserId", "RoomId" FROM "RoomMembers" WHERE "RoomId" <> 1 ORDER BY "RoomId", "UserId" LIMIT $count""";
        command.Parameters.AddWithValue("$count", count);
        var authors = new List<Author>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            authors.Add(new Author(reader.GetString(0), reader.GetInt32(1)));
        }
        return authors;
    }

    /// <summary>Messages whose text starts with the prefix: what a run really committed.</summary>
    public static async Task<long> CountMessagesAsync(string databasePath, string prefix)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT COUNT(*) FROM "Messages" WHERE "Text" LIKE $prefix || '%'""";
        command.Parameters.AddWithValue("$prefix", prefix);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

using Microsoft.Data.Sqlite;

namespace ChatApp.Floor;

public sealed record StoredMessage(string Room, long Sequence, string Author, string Text);

/// <summary>
/// The persisted peer's store (bench/peer/store.js) in .NET: a rooms table holding each room's last sequence and a
/// messages table keyed by room and sequence, each message committed in its own transaction before it is sent.
/// </summary>
public sealed class MessageStore
{
    private readonly SqliteConnection connection;
    private readonly SemaphoreSlim gate = new(1, 1);

    public MessageStore(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE rooms (id TEXT PRIMARY KEY, last_sequence INTEGER NOT NULL DEFAULT 0, last_message_at TEXT);
            CREATE TABLE messages (id INTEGER PRIMARY KEY, room_id TEXT NOT NULL REFERENCES rooms (id), sequence INTEGER NOT NULL,
              author_id TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (room_id, sequence));
            """);
        using var version = connection.CreateCommand();
        version.CommandText = "SELECT sqlite_version()";
        Description = $"Microsoft.Data.Sqlite (SQLite {version.ExecuteScalar()}), journal_mode=WAL, synchronous=FULL";
    }

    public string Description { get; }

    public void AddRoom(string room)
    {
        gate.Wait();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR IGNORE INTO rooms (id) VALUES ($room)";
            command.Parameters.AddWithValue("$room", room);
            command.ExecuteNonQuery();
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<StoredMessage> AppendAsync(string room, string author, string text)
    {
        await gate.WaitAsync();
        try
        {
            var now = DateTime.UtcNow.ToString("O");
            await using var transaction = connection.BeginTransaction();
            await using var next = connection.CreateCommand();
            next.CommandText = "UPDATE rooms SET last_sequence = last_sequence + 1, last_message_at = $now WHERE id = $room RETURNING last_sequence";
            next.Parameters.AddWithValue("$now", now);
            next.Parameters.AddWithValue("$room", room);
            var sequence = (long)(await next.ExecuteScalarAsync())!;
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO messages (room_id, sequence, author_id, text, created_at) VALUES ($room, $sequence, $author, $text, $now)";
            insert.Parameters.AddWithValue("$room", room);
            insert.Parameters.AddWithValue("$sequence", sequence);
            insert.Parameters.AddWithValue("$author", author);
            insert.Parameters.AddWithValue("$text", text);
            insert.Parameters.AddWithValue("$now", now);
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
            return new StoredMessage(room, sequence, author, text);
        }
        finally
        {
            gate.Release();
        }
    }

    public long Stored()
    {
        gate.Wait();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM messages";
            return (long)command.ExecuteScalar()!;
        }
        finally
        {
            gate.Release();
        }
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

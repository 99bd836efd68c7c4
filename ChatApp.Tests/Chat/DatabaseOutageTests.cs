using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ChatApp.Chat;

/// <summary>The database stops answering in the middle of a chat (PostgreSQL restarting, a network cut).</summary>
[Trait("Cost", "service")]
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private ChatServices chat = null!;
    private string database = null!;

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(DatabaseProvider.Postgres);
        await using var db = chat.CreateDbContext();
        database = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Database!;
    }

    public async Task DisposeAsync()
    {
        await SetReachableAsync(true);
        await chat.DisposeAsync();
    }

    private Task SetReachableAsync(bool reachable) => PostgresServer.Shared.SetReachableAsync(database, reachable);

    [Fact]
    public async Task Sending_while_the_database_is_down_is_refused_with_a_clear_reason_and_a_retry_stores_the_message_once()
    {
        var alice = await chat.CreateUserAsync("Alice");
        var clientId = Guid.NewGuid();

        await SetReachableAsync(false);
        var refused = await chat.Messages.SendAsync(alice, Room.GeneralRoomId, "while the database is down", clientId);

        Assert.False(refused.Succeeded);
        Assert.Equal(MessageService.StorageUnavailable, refused.Error);

        await SetReachableAsync(true);
        NpgsqlConnection.ClearAllPools();
        var stored = await chat.Messages.SendAsync(alice, Room.GeneralRoomId, "while the database is down", clientId);
        var again = await chat.Messages.SendAsync(alice, Room.GeneralRoomId, "while the database is down", clientId);

        Assert.True(stored.Succeeded);
        Assert.Equal(stored.Value!.Id, again.Value!.Id);
        await using var db = chat.CreateDbContext();
        Assert.Equal(1, await db.Messages.CountAsync(m => m.Text == "while the database is down"));
    }
}

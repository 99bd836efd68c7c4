using ChatApp.Data;
using ChatApp.LoadDriver;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

/// <summary>
/// The whole app on Kestrel, as a browser drives it: register, sign in on a second device, post in #general through
/// a real circuit (the load driver's Blazor protocol client); the message is stored and reaches the other device.
/// </summary>
[Trait("Cost", "http")]
public class CircuitMessagingTests : IAsyncLifetime
{
    private readonly ChatAppFactory app;

    public CircuitMessagingTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected CircuitMessagingTests(DatabaseProvider provider) =>
        // Development, so the auth cookie also travels over plain HTTP to Kestrel.
        app = new() { Provider = provider, Environment = "Development" };

    public Task InitializeAsync()
    {
        app.StartKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_new_account_signs_in_on_another_device_and_its_message_is_stored_and_delivered()
    {
        var baseUri = new Uri(app.BaseUrl);
        using var laptop = await BrowserSession.RegisterAsync(baseUri, "Alice", "alice@example.com", TestUsers.Password);
        using var phone = await BrowserSession.SignInAsync(baseUri, "alice@example.com", TestUsers.Password);
        await using var laptopTab = await laptop.OpenTabAsync("/chat/general");
        await using var phoneTab = await phone.OpenTabAsync("/chat/general");
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        phoneTab.Watch("hello from the laptop", _ => delivered.TrySetResult());

        await laptopTab.SendMessageAsync("hello from the laptop");

        await delivered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await using var db = app.CreateDbContext();
        var alice = await db.Users.SingleAsync();
        var message = await db.Messages.SingleAsync();
        Assert.Equal(("hello from the laptop", Room.GeneralRoomId, 1L, alice.Id), (message.Text, message.RoomId, message.Sequence, message.AuthorId));
        Assert.Equal(DateTimeKind.Utc, message.CreatedAt.Kind);
        Assert.Equal(DateTime.UtcNow, message.CreatedAt, TimeSpan.FromMinutes(1));
        Assert.Null(laptopTab.Error);
        Assert.Null(phoneTab.Error);
    }

    [Fact]
    public async Task The_author_of_a_message_is_the_user_signed_in_to_the_circuit_it_came_from()
    {
        var baseUri = new Uri(app.BaseUrl);
        using var alice = await BrowserSession.RegisterAsync(baseUri, "Alice", "alice@example.com", TestUsers.Password);
        using var bob = await BrowserSession.RegisterAsync(baseUri, "Bob", "bob@example.com", TestUsers.Password);
        await using var aliceTab = await alice.OpenTabAsync("/chat/general");
        await using var bobTab = await bob.OpenTabAsync("/chat/general");
        var bothSeen = new CountdownEvent(2);
        aliceTab.Watch("bob wrote this", _ => bothSeen.Signal());
        aliceTab.Watch("alice wrote this", _ => bothSeen.Signal());

        await bobTab.SendMessageAsync("bob wrote this");
        await aliceTab.SendMessageAsync("alice wrote this");

        Assert.True(bothSeen.Wait(TimeSpan.FromSeconds(30)));
        await using var db = app.CreateDbContext();
        var authors = await db.Messages.OrderBy(m => m.Sequence).Select(m => new { m.Text, Author = m.Author!.Email }).ToListAsync();
        Assert.Equal([("bob wrote this", "bob@example.com"), ("alice wrote this", "alice@example.com")], authors.Select(a => (a.Text, a.Author)));
    }
}

/// <summary>The same test on PostgreSQL.</summary>
[Trait("Cost", "http")]
public sealed class CircuitMessagingTestsOnPostgres() : CircuitMessagingTests(DatabaseProvider.Postgres);

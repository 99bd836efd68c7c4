using System.Net;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

/// <summary>GET /attachments/{id} over HTTP, as a browser (or someone with a copied link) would ask.</summary>
[Trait("Cost", "http")]
public class AttachmentEndpointTests : IAsyncLifetime
{
    private readonly ChatAppFactory app;
    private FormClient alice = null!;
    private FormClient bob = null!;
    private ChatUser aliceUser = null!;

    public AttachmentEndpointTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected AttachmentEndpointTests(DatabaseProvider provider) => app = new() { Provider = provider };

    public async Task InitializeAsync()
    {
        alice = new FormClient(app.CreateBrowserLikeClient());
        await alice.RegisterAsync("Alice", "alice@example.com");
        bob = new FormClient(app.CreateBrowserLikeClient());
        await bob.RegisterAsync("Bob", "bob@example.com");
        await using var db = app.CreateDbContext();
        aliceUser = await db.Users.Where(u => u.DisplayName == "Alice").Select(u => new ChatUser(u.Id, u.DisplayName)).SingleAsync();
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<(AttachmentInfo File, ChatMessage Message)> SendFileAsync(string name, byte[] content, int roomId = Room.GeneralRoomId)
    {
        var file = (await app.GetRequiredService<AttachmentService>().SaveAsync(aliceUser, roomId, name, new MemoryStream(content))).Value!;
        var sent = await app.GetRequiredService<MessageService>().SendAsync(aliceUser, roomId, $"here is {name}", Guid.NewGuid(), new MessageService.SendOptions(null, [file.Id]));
        Assert.True(sent.Succeeded, sent.Error);
        return (file, sent.Value!);
    }

    [Fact]
    public async Task Members_download_with_the_stored_type_nosniff_and_attachment_disposition_for_non_images()
    {
        var (pdf, _) = await SendFileAsync("report.pdf", "%PDF-1.7 report"u8.ToArray());
        var (png, _) = await SendFileAsync("photo.png", AttachmentServiceTests.Png);

        var download = await bob.Http.GetAsync($"/attachments/{pdf.Id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("report.pdf", download.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", string.Join(";", download.Headers.GetValues("Content-Security-Policy")));

        var image = await bob.Http.GetAsync($"/attachments/{png.Id}");
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Null(image.Content.Headers.ContentDisposition);
    }

    [Fact]
    public async Task A_guessed_or_shared_link_is_404_for_non_members_and_after_deletion()
    {
        var rooms = app.GetRequiredService<RoomService>();
        var secret = (await rooms.CreateRoomAsync(aliceUser, "secret", RoomKind.Private, null)).Value!;
        var (file, message) = await SendFileAsync("plan.txt", "the plan"u8.ToArray(), secret.Id);

        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync($"/attachments/{file.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync($"/attachments/{file.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync($"/attachments/{Guid.NewGuid()}")).StatusCode);

        await app.GetRequiredService<MessageService>().DeleteAsync(aliceUser, message.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.GetAsync($"/attachments/{file.Id}")).StatusCode);
    }

    [Fact]
    public async Task Anonymous_requests_never_get_the_file()
    {
        var (file, _) = await SendFileAsync("photo.png", AttachmentServiceTests.Png);

        var response = await app.CreateBrowserLikeClient().GetAsync($"/attachments/{file.Id}");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("image/png", response.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "http")]
public sealed class AttachmentEndpointTestsOnPostgres() : AttachmentEndpointTests(DatabaseProvider.Postgres);

using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

[Trait("Cost", "service")]
public class AttachmentServiceTests : IAsyncLifetime
{
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    private readonly DatabaseProvider provider;
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private readonly ManualTimeProvider time = new();

    public AttachmentServiceTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected AttachmentServiceTests(DatabaseProvider provider) => this.provider = provider;

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(provider, options =>
        {
            options.Attachments.MaxBytes = 1024;
            options.Attachments.QuotaBytes = 30;
            options.RateLimit.Burst = 1000;
        }, time);
        alice = await chat.CreateUserAsync("Alice");
    }

    public async Task DisposeAsync() => await chat.DisposeAsync();

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, ".png", "image/png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, ".jpg", "image/jpeg")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D }, ".pdf", "application/pdf")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04 }, ".zip", "application/zip")]
    [InlineData(new byte[] { 0x68, 0x69 }, ".txt", "text/plain; charset=utf-8")]
    [InlineData(new byte[] { 0x68, 0x69 }, ".html", null)]
    [InlineData(new byte[] { 0x3C, 0x73, 0x76, 0x67 }, ".svg", null)]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 }, ".exe", null)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, ".exe", "image/png")]
    public void The_type_comes_from_the_bytes_and_an_allow_list(byte[] head, string extension, string? expected)
    {
        Assert.Equal(expected, AttachmentService.DetectContentType(head, extension));
    }

    [Fact]
    public async Task A_file_is_stored_outside_wwwroot_under_a_random_name()
    {
        var result = await chat.Attachments.SaveAsync(alice, Room.GeneralRoomId, "../../etc/photo.png", new MemoryStream(Png));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(("photo.png", "image/png"), (result.Value!.FileName, result.Value.ContentType));
        await using var db = chat.CreateDbContext();
        var stored = await db.Attachments.SingleAsync();
        Assert.Matches("^[0-9a-f]{32}$", stored.StoredName);
        Assert.True(File.Exists(Path.Combine(chat.Attachments.StorageDirectory, stored.StoredName)));
        Assert.DoesNotContain("wwwroot", chat.Attachments.StorageDirectory);
    }

    [Fact]
    public async Task Too_big_or_disallowed_files_are_refused_and_leave_nothing_behind()
    {
        var big = await chat.Attachments.SaveAsync(alice, Room.GeneralRoomId, "big.png", new MemoryStream([.. Png, .. new byte[2000]]));
        var html = await chat.Attachments.SaveAsync(alice, Room.GeneralRoomId, "page.html", new MemoryStream("<script>alert(1)</script>"u8.ToArray()));

        Assert.StartsWith("Files can be at most", big.Error);
        Assert.Equal(AttachmentService.TypeNotAllowed, html.Error);
        Assert.Empty(Directory.Exists(chat.Attachments.StorageDirectory) ? Directory.GetFiles(chat.Attachments.StorageDirectory) : []);
        await using var db = chat.CreateDbContext();
        Assert.False(await db.Attachments.AnyAsync());
    }

    [Fact]
    public async Task A_sent_attachment_is_readable_by_members_only_and_deleted_with_its_message()
    {
        var bob = await chat.CreateUserAsync("Bob");
        var carol = await chat.CreateUserAsync("Carol");
        var secret = (await chat.Rooms.CreateRoomAsync(alice, "secret", RoomKind.Private, null)).Value!;
        await chat.Rooms.InviteAsync(alice, secret.Id, bob.Id);
        var file = (await chat.Attachments.SaveAsync(alice, Room.GeneralRoomId, "plan.pdf", new MemoryStream("%PDF-1.7 plan"u8.ToArray()))).Value!;
        Assert.NotNull(await chat.Attachments.OpenAsync(alice.Id, file.Id));
        Assert.Null(await chat.Attachments.OpenAsync(bob.Id, file.Id));

        var sent = await chat.Messages.SendAsync(alice, secret.Id, "", Guid.NewGuid(), new MessageService.SendOptions(null, [file.Id]));

        Assert.True(sent.Succeeded, sent.Error);
        Assert.Equal("plan.pdf", Assert.Single(sent.Value!.Attachments).FileName);
        Assert.NotNull(await chat.Attachments.OpenAsync(bob.Id, file.Id));
        Assert.Null(await chat.Attachments.OpenAsync(carol.Id, file.Id));
        var path = (await chat.Attachments.OpenAsync(bob.Id, file.Id))!.Value.Path;

        await chat.Messages.DeleteAsync(alice, sent.Value.Id);
        Assert.Null(await chat.Attachments.OpenAsync(bob.Id, file.Id));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Someone_else_cannot_send_your_upload()
    {
        var bob = await chat.CreateUserAsync("Bob");
        var file = (await chat.Attachments.SaveAsync(alice, Room.GeneralRoomId, "a.png", new MemoryStream(Png))).Value!;

        var stolen = await chat.Messages.SendAsync(bob, Room.GeneralRoomId, "mine now", Guid.NewGuid(), new MessageService.SendOptions(null, [file.Id]));

        Assert.Equal("An attachment is missing; upload it again.", stolen.Error);
    }

    [Fact]
    public async Task Uploads_past_the_quota_are_refused_and_leave_nothing_behind()
    {
        Assert.True((await chat.Attachments.SaveAsync(alice, Room.GeneralRoomId, "one.png", new MemoryStream(Png))).Succeeded);
        Assert.True((await chat.Attachments.SaveAsync(alice, Room.GeneralRoomId, "two.png", new MemoryStream(Png))).Succeeded);

        var third = await chat.Attachments.SaveAsync(alice, Room.GeneralRoomId, "three.png", new MemoryStream(Png));

        Assert.StartsWith("Your files use the", third.Error);
        Assert.Equal(2 * Png.Length, await chat.Attachments.UsedBytesAsync(alice.Id));
        Assert.Equal(2, Directory.GetFiles(chat.Attachments.StorageDirectory).Length);
        var bob = await chat.CreateUserAsync("Bob");
        Assert.True((await chat.Attachments.SaveAsync(bob, Room.GeneralRoomId, "bobs.png", new MemoryStream(Png))).Succeeded);
    }

    [Fact]
    public async Task Uploads_follow_the_posting_rules_of_the_room()
    {
        var secret = (await chat.Rooms.CreateRoomAsync(alice, "secret", RoomKind.Private, null)).Value!;
        var bob = await chat.CreateUserAsync("Bob");
        await chat.MuteAsync(Room.GeneralRoomId, bob.Id, time.GetUtcNow().UtcDateTime.AddHours(1));

        var muted = await chat.Attachments.SaveAsync(bob, Room.GeneralRoomId, "b.png", new MemoryStream(Png));
        var outsider = await chat.Attachments.SaveAsync(bob, secret.Id, "b.png", new MemoryStream(Png));

        Assert.StartsWith("A moderator muted you in this room", muted.Error);
        Assert.Equal(ChatResult.RoomNotFound, outsider.Error);
        await using var db = chat.CreateDbContext();
        Assert.False(await db.Attachments.AnyAsync());
    }

    [Fact]
    public async Task Uploads_never_sent_are_swept_after_the_configured_age_and_sent_ones_stay()
    {
        var unsent = (await chat.Attachments.SaveAsync(alice, Room.GeneralRoomId, "draft.png", new MemoryStream(Png))).Value!;
        var sentFile = (await chat.Attachments.SaveAsync(alice, Room.GeneralRoomId, "sent.png", new MemoryStream(Png))).Value!;
        Assert.True((await chat.Messages.SendAsync(alice, Room.GeneralRoomId, "", Guid.NewGuid(), new MessageService.SendOptions(null, [sentFile.Id]))).Succeeded);
        var stray = Path.Combine(chat.Attachments.StorageDirectory, "0123456789abcdef0123456789abcdef");
        await File.WriteAllBytesAsync(stray, Png);
        File.SetLastWriteTimeUtc(stray, time.GetUtcNow().UtcDateTime.AddDays(-2));

        Assert.Equal(1, await chat.Attachments.SweepOrphansAsync());
        Assert.NotNull(await chat.Attachments.OpenAsync(alice.Id, unsent.Id));
        Assert.False(File.Exists(stray));

        time.Advance(chat.Options.Attachments.OrphanAfter + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await chat.Attachments.SweepOrphansAsync());
        Assert.Null(await chat.Attachments.OpenAsync(alice.Id, unsent.Id));
        Assert.NotNull(await chat.Attachments.OpenAsync(alice.Id, sentFile.Id));
        Assert.Single(Directory.GetFiles(chat.Attachments.StorageDirectory));
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "service")]
public sealed class AttachmentServiceTestsOnPostgres() : AttachmentServiceTests(DatabaseProvider.Postgres);

using System.Text;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Operations;

/// <summary>Retention on the app's real SQLite database, files included.</summary>
[Trait("Cost", "http")]
public sealed class RetentionTests
{
    [Fact]
    public async Task Old_messages_go_with_their_files_reactions_and_search_entries_old_audit_entries_go_and_the_run_is_audited()
    {
        using var app = new ChatAppFactory();
        app.Settings["Chat:Retention:MessageDays"] = "30";
        app.Settings["Chat:Retention:AuditDays"] = "90";
        var (user, old, oldFile, recent) = await SeedAsync(app);
        await using (var db = app.CreateDbContext())
        {
            db.AuditEntries.Add(new AuditEntry { Action = "test.ancient", At = DateTime.UtcNow.AddDays(-100) });
            db.AuditEntries.Add(new AuditEntry { Action = "test.recent", At = DateTime.UtcNow.AddDays(-10) });
            await db.SaveChangesAsync();
        }
        var storedName = await StoredNameAsync(app, oldFile);

        var result = await app.GetRequiredService<RetentionService>().RunAsync();

        Assert.Equal(new RetentionResult(1, 1, 1), result);
        await using var after = app.CreateDbContext();
        Assert.False(await after.Messages.AnyAsync(m => m.Id == old));
        Assert.False(await after.Attachments.AnyAsync(a => a.Id == oldFile));
        Assert.False(File.Exists(Path.Combine(app.GetRequiredService<AttachmentService>().StorageDirectory, storedName)));
        Assert.False(await after.MessageReactions.AnyAsync(r => r.MessageId == old));
        var reply = await after.Messages.SingleAsync(m => m.Id == recent);
        Assert.Null(reply.ReplyToId);
        Assert.Equal(0, (await app.GetRequiredService<SearchService>().SearchAsync(user.Id, "ancientword")).Total);
        Assert.Equal(1, (await app.GetRequiredService<SearchService>().SearchAsync(user.Id, "freshword")).Total);
        Assert.False(await after.AuditEntries.AnyAsync(e => e.Action == "test.ancient"));
        Assert.True(await after.AuditEntries.AnyAsync(e => e.Action == "test.recent"));
        var run = await after.AuditEntries.SingleAsync(e => e.Action == RetentionService.AuditAction);
        Assert.Contains("Deleted 1 messages older than 30 days with 1 attachments, and 1 audit entries older than 90 days", run.Details);
    }

    [Fact]
    public async Task Retention_is_off_by_default_and_deletes_nothing()
    {
        using var app = new ChatAppFactory();
        var (_, old, oldFile, _) = await SeedAsync(app);

        var result = await app.GetRequiredService<RetentionService>().RunAsync();

        Assert.Equal(new RetentionResult(0, 0, 0), result);
        await using var db = app.CreateDbContext();
        Assert.True(await db.Messages.AnyAsync(m => m.Id == old));
        Assert.True(await db.Attachments.AnyAsync(a => a.Id == oldFile));
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Action == RetentionService.AuditAction));
    }

    /// <summary>A message of 40 days ago with a file and a reaction, and a reply to it from today.</summary>
    private static async Task<(ChatUser User, long Old, Guid OldFile, long Recent)> SeedAsync(ChatAppFactory app)
    {
        var account = await app.CreateAsync("Erin");
        var user = new ChatUser(account.Id, account.DisplayName);
        var messages = app.GetRequiredService<MessageService>();
        var file = (await app.GetRequiredService<AttachmentService>().SaveAsync(user, Room.GeneralRoomId, "old.txt", new MemoryStream(Encoding.UTF8.GetBytes("old notes")))).Value!;
        var old = (await messages.SendAsync(user, Room.GeneralRoomId, "ancientword notes", Guid.NewGuid(), new MessageService.SendOptions(null, [file.Id]))).Value!;
        Assert.True((await app.GetRequiredService<ReactionService>().ToggleAsync(user, old.Id, ReactionService.Emoji[0])).Succeeded);
        var recent = (await messages.SendAsync(user, Room.GeneralRoomId, "freshword reply", Guid.NewGuid(), new MessageService.SendOptions(old.Id))).Value!;
        await using var db = app.CreateDbContext();
        await db.Messages.Where(m => m.Id == old.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.CreatedAt, DateTime.UtcNow.AddDays(-40)));
        return (user, old.Id, file.Id, recent.Id);
    }

    private static async Task<string> StoredNameAsync(ChatAppFactory app, Guid id)
    {
        await using var db = app.CreateDbContext();
        return await db.Attachments.Where(a => a.Id == id).Select(a => a.StoredName).SingleAsync();
    }
}

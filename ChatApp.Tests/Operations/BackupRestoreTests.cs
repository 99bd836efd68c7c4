using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ChatApp.Operations;

[Trait("Cost", "http")]
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    private const int Senders = 4;

    /// <summary>
    /// <c>dotnet ChatApp.dll backup</c> while four people keep sending (some with files), then <c>restore</c> into a
    /// fresh folder and a new server there: every message acknowledged before the backup began, every file, every
    /// account and a sign-in cookie issued by the first server are all there.
    /// </summary>
    [Fact]
    public async Task Backup_under_write_load_restores_into_a_fresh_server_with_everything_acknowledged()
    {
        var root = Directory.CreateTempSubdirectory("chatapp-backup-test-").FullName;
        var original = Path.Combine(root, "original");
        var restored = Path.Combine(root, "restored");
        var archive = Path.Combine(root, "chat-backup.tar.gz");
        using var first = new ChatAppFactory();
        first.Settings["ConnectionStrings:DefaultConnection"] = $"Data Source={Path.Combine(original, "chat.db")}";
        first.Settings["Chat:Attachments:Directory"] = Path.Combine(original, "attachments");
        first.Settings["Chat:RateLimit:Burst"] = "100000";
        first.Settings["Chat:RateLimit:MessagesPerSecond"] = "100000";
        Directory.CreateDirectory(original);

        var people = new List<ChatUser>();
        for (var i = 0; i < Senders; i++)
        {
            var user = await first.CreateAsync($"Sender {i}");
            people.Add(new ChatUser(user.Id, user.DisplayName));
        }
        var browser = new FormClient(first.CreateBrowserLikeClient());
        var login = await browser.LoginAsync("sender.0@example.com");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));

        var acknowledged = new ConcurrentDictionary<long, (string Text, DateTime StartedAt, DateTime AckedAt)>();
        var files = new ConcurrentDictionary<Guid, byte[]>();
        using var stop = new CancellationTokenSource();
        var load = people.Select(person => Task.Run(async () =>
        {
            var messages = first.GetRequiredService<MessageService>();
            var attachments = first.GetRequiredService<AttachmentService>();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var text = $"{person.DisplayName} message {n}";
                var startedAt = DateTime.UtcNow;
                IReadOnlyList<Guid>? attached = null;
                if (n % 10 == 0)
                {
                    var content = Encoding.UTF8.GetBytes($"file {n} of {person.DisplayName} {Guid.NewGuid()}");
                    var saved = await attachments.SaveAsync(person, Room.GeneralRoomId, $"note-{n}.txt", new MemoryStream(content));
                    Assert.True(saved.Succeeded, saved.Error);
                    files[saved.Value!.Id] = content;
                    attached = [saved.Value.Id];
                }
                var sent = await messages.SendAsync(person, Room.GeneralRoomId, text, Guid.NewGuid(), new MessageService.SendOptions(null, attached));
                Assert.True(sent.Succeeded, sent.Error);
                acknowledged[sent.Value!.Id] = (text, startedAt, DateTime.UtcNow);
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        var backupStarted = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var backup = await AppProcess.RunCommandAsync("backup", "--to", archive,
            $"--ConnectionStrings:DefaultConnection=Data Source={Path.Combine(original, "chat.db")}",
            $"--Chat:Attachments:Directory={Path.Combine(original, "attachments")}");
        var backupTime = clock.Elapsed;
        var backupEnded = DateTime.UtcNow;
        stop.Cancel();
        await Task.WhenAll(load);
        // Sends that overlapped the backup: begun before it ended, acknowledged after it began. (Counting only those
        // acknowledged while it ran found none once: a 0.2-s backup whose writers waited for it and were acknowledged
        // just after.)
        var ackedDuringBackup = acknowledged.Count(a => a.Value.StartedAt <= backupEnded && a.Value.AckedAt >= backupStarted);
        Assert.True(backup.ExitCode == 0, backup.Output);
        output.WriteLine(backup.Output);
        output.WriteLine($"backup took {backupTime.TotalMilliseconds:N0} ms (process included); {ackedDuringBackup} messages were acknowledged while it ran; archive {new FileInfo(archive).Length:N0} bytes");
        Assert.True(ackedDuringBackup > 0, "The load did not run during the backup.");

        var refused = await AppProcess.RunCommandAsync("restore", "--from", archive,
            $"--ConnectionStrings:DefaultConnection=Data Source={Path.Combine(original, "chat.db")}",
            $"--Chat:Attachments:Directory={Path.Combine(original, "attachments")}");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.Output);

        var restore = await AppProcess.RunCommandAsync("restore", "--from", archive,
            $"--ConnectionStrings:DefaultConnection=Data Source={Path.Combine(restored, "chat.db")}",
            $"--Chat:Attachments:Directory={Path.Combine(restored, "attachments")}");
        Assert.True(restore.ExitCode == 0, restore.Output);

        using var second = new ChatAppFactory();
        second.Settings["ConnectionStrings:DefaultConnection"] = $"Data Source={Path.Combine(restored, "chat.db")}";
        second.Settings["Chat:Attachments:Directory"] = Path.Combine(restored, "attachments");
        await using var db = second.CreateDbContext();
        var stored = await db.Messages.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.Text);
        var mustBeThere = acknowledged.Where(a => a.Value.AckedAt < backupStarted).ToList();
        Assert.All(mustBeThere, a => Assert.Equal(a.Value.Text, stored.GetValueOrDefault(a.Key)));
        Assert.All(stored, m => Assert.True(acknowledged.ContainsKey(m.Key), $"Message {m.Key} was never acknowledged."));
        output.WriteLine($"{mustBeThere.Count} messages acknowledged before the backup, all restored; {stored.Count - mustBeThere.Count} of the {ackedDuringBackup} acknowledged during it are in the copy too");

        // The cookie the first server issued, replayed by hand on the second: same key ring, same session rows.
        using var replay = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost") });
        replay.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await replay.GetAsync("/Account/Manage")).StatusCode);
        var linked = await db.Attachments.AsNoTracking().Where(a => a.MessageId != null).Select(a => a.Id).ToListAsync();
        Assert.NotEmpty(linked);
        foreach (var id in linked)
        {
            Assert.Equal(files[id], await replay.GetByteArrayAsync($"/attachments/{id}"));
        }
        for (var i = 0; i < Senders; i++)
        {
            var signIn = await new FormClient(second.CreateBrowserLikeClient()).LoginAsync($"sender.{i}@example.com");
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.DoesNotContain("/Account/", signIn.Headers.Location?.OriginalString ?? "/Account/", StringComparison.Ordinal);
        }
        Directory.Delete(root, recursive: true);
    }
}

using System.Net;
using System.Text.Json;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Operations;

[Trait("Cost", "http")]
public sealed class LoggingTests
{
    [Fact]
    public async Task One_setting_turns_the_console_log_into_one_json_object_a_line()
    {
        var directory = Directory.CreateTempSubdirectory("chatapp-logs-").FullName;
        await using var app = AppProcess.Start([
            $"--ConnectionStrings:DefaultConnection=Data Source={Path.Combine(directory, "chat.db")}",
            $"--Chat:Attachments:Directory={Path.Combine(directory, "attachments")}",
            "--Logging:Console:FormatterName=json",
        ]);
        await app.WaitUntilReadyAsync();

        var lines = app.Output.Split('\n').Where(line => line.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            using var entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _));
            Assert.True(entry.RootElement.TryGetProperty("Category", out _));
        });
        Assert.Contains(lines, line => line.Contains("Now listening on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_one_processor_the_start_log_says_how_to_get_the_server_garbage_collector()
    {
        // One processor: .NET runs the workstation collector (bench/FINDINGS.md, issue 16 fifth round). This machine's
        // own processors: the server collector ChatApp asks for, and nothing to say.
        await using var oneProcessor = StartApp(new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "1" });
        await using var several = StartApp(null);
        await Task.WhenAll(oneProcessor.WaitUntilReadyAsync(), several.WaitUntilReadyAsync());

        Assert.Contains("DOTNET_PROCESSOR_COUNT=2, DOTNET_GCHeapCount=1", oneProcessor.Output);
        Assert.DoesNotContain("workstation garbage collector", several.Output);

        static AppProcess StartApp(Dictionary<string, string>? environment)
        {
            var directory = Directory.CreateTempSubdirectory("chatapp-gc-").FullName;
            return AppProcess.Start([
                $"--ConnectionStrings:DefaultConnection=Data Source={Path.Combine(directory, "chat.db")}",
                $"--Chat:Attachments:Directory={Path.Combine(directory, "attachments")}",
            ], environment);
        }
    }

    [Fact]
    public async Task Message_texts_passwords_cookies_and_tokens_never_reach_the_log()
    {
        using var app = new ChatAppFactory();
        app.Settings["Logging:LogLevel:Default"] = "Debug";
        app.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Debug";
        var unique = Guid.NewGuid().ToString("N")[..10];
        var password = $"Secret-{unique}!9a";
        var wrongPassword = $"Wrong-{unique}!9a";
        var email = $"dana-{unique}@example.com";
        var client = new FormClient(app.CreateBrowserLikeClient());

        var registered = await client.RegisterAsync($"Dana {unique}", email, password);
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var anonymous = new FormClient(app.CreateBrowserLikeClient());
        await anonymous.LoginAsync(email, wrongPassword);
        var login = await anonymous.LoginAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookies = login.Headers.GetValues("Set-Cookie").Concat(registered.Headers.GetValues("Set-Cookie"))
            .Select(cookie => cookie.Split(';')[0].Split('=', 2)[1]).Where(value => value.Length > 16).ToList();
        Assert.NotEmpty(cookies);
        var page = await anonymous.Http.GetStringAsync("/Account/Manage");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"(?<v>[^\"]+)\"").Groups["v"].Value;

        using (var db = app.CreateDbContext())
        {
            var user = db.Users.Single(u => u.Email == email);
            var text = $"the launch code is {unique}";
            var sent = await app.GetRequiredService<MessageService>().SendAsync(new ChatUser(user.Id, user.DisplayName), Room.GeneralRoomId, text, Guid.NewGuid());
            Assert.True(sent.Succeeded);
            Assert.False((await app.GetRequiredService<MessageService>().SendAsync(new ChatUser(user.Id, user.DisplayName), Room.GeneralRoomId, new string('z', 4001) + unique, Guid.NewGuid())).Succeeded);
        }

        var log = string.Join('\n', app.Logs.Entries.Select(e => e.Message));
        // The sink saw the SQL of the sign-ins and the send: the values were there to leak.
        Assert.Contains(app.Logs.Entries, e => e.Category == "Microsoft.EntityFrameworkCore.Database.Command");
        Assert.DoesNotContain($"launch code is {unique}", log);
        Assert.DoesNotContain(new string('z', 64), log);
        Assert.DoesNotContain(password, log);
        Assert.DoesNotContain(wrongPassword, log);
        Assert.All(cookies, cookie => Assert.DoesNotContain(cookie, log));
        Assert.NotEmpty(token);
        Assert.DoesNotContain(token, log);
    }
}

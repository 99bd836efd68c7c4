using ChatApp.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>A message is acknowledged only after it is committed: a crash loses nothing that was shown as sent.</summary>
[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class CrashRecoveryTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task Killing_the_server_during_a_burst_loses_no_acknowledged_message_and_duplicates_none()
    {
        var directory = Directory.CreateTempSubdirectory("chatapp-crash-").FullName;
        var database = Path.Combine(directory, "chat.db");
        string[] settings = ["--Chat:RateLimit:Burst=1000", "--Chat:RateLimit:AccountAttemptsPerMinute=1000"];
        var id = BrowserFixture.Unique();
        var acknowledged = new List<string>();
        const int KillAt = 8;
        IPage page;
        int port;

        await using (var server = await ExternalApp.StartAsync(database, settings))
        {
            port = server.Port;
            var context = await fixture.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl });
            page = await context.NewPageAsync();
            await page.RegisterAsync($"Crash {id}", $"crash.{id}@example.com");

            for (var i = 0; i < 30; i++)
            {
                var text = $"burst {id} #{i}";
                await page.Composer().FillAsync(text);
                await page.Composer().PressAsync("Enter");
                if (i == KillAt)
                {
                    // The send is in flight when the process dies.
                    server.Kill();
                }
                try
                {
                    // A cold server gets time for its first writes; after the kill, three seconds say enough.
                    await Expect(page.Message(text)).ToBeVisibleAsync(new() { Timeout = i < KillAt ? 15_000 : 3000 });
                    await Expect(page.Composer()).ToHaveValueAsync("", new() { Timeout = 1000 });
                    acknowledged.Add(text);
                }
                catch (PlaywrightException)
                {
                    break;
                }
            }
            await Expect(page.GetByText("Reconnecting…")).ToBeVisibleAsync();
        }
        Assert.True(acknowledged.Count >= KillAt, $"Only {acknowledged.Count} messages were sent before the crash.");

        await using (var restarted = await ExternalApp.StartAsync(database, settings, port))
        {
            var stored = ReadMessages(database, id);

            Assert.All(acknowledged, text => Assert.Contains(text, stored));
            Assert.Equal(stored.Count, stored.Distinct().Count());
            Assert.InRange(stored.Count, acknowledged.Count, acknowledged.Count + 1);

            // The new process does not know the old circuit: the tab offers a reload, which brings it all back.
            var reload = page.GetByRole(AriaRole.Button, new() { Name = "Reload" });
            await Expect(reload).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await reload.ClickAsync();
            await page.WaitForCircuitAsync();
            await Expect(page.Message(acknowledged[^1])).ToBeVisibleAsync();
            await page.Context.CloseAsync();
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private static List<string> ReadMessages(string database, string id)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Text FROM Messages WHERE Text LIKE $pattern ORDER BY Sequence";
        command.Parameters.AddWithValue("$pattern", $"burst {id} #%");
        using var reader = command.ExecuteReader();
        var texts = new List<string>();
        while (reader.Read())
        {
            texts.Add(reader.GetString(0));
        }
        return texts;
    }
}

using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ChatApp.Operations;

[Trait("Cost", "browser")]
[Collection(MetricsCollection.Name)]
public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_are_off_by_default()
    {
        using var app = new ChatAppFactory().StartKestrel();
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"{app.BaseUrl}/metrics")).StatusCode);
    }

    /// <summary>Two people in Chromium, one sending, the other's tab rendering; then refusals through the service; then a scrape.</summary>
    [BrowserFact]
    public async Task Prometheus_scrape_shows_the_chat_series_after_real_traffic()
    {
        using var app = new ChatAppFactory();
        app.Settings["Chat:Metrics:Exporter"] = "Prometheus";
        app.Settings["Chat:RateLimit:Burst"] = "3";
        app.Settings["Chat:RateLimit:MessagesPerSecond"] = "0.01";
        app.StartKestrel();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserFixture.LaunchChromiumAsync(playwright);
        var alice = await NewPageAsync(browser, app.BaseUrl);
        var bob = await NewPageAsync(browser, app.BaseUrl);
        var unique = BrowserFixture.Unique();
        await alice.RegisterAsync($"Alice {unique}", $"alice-{unique}@example.com");
        await bob.RegisterAsync($"Bob {unique}", $"bob-{unique}@example.com");

        await bob.SendAsync($"hello alice {unique}");
        await Assertions.Expect(alice.Message($"hello alice {unique}")).ToBeVisibleAsync();

        var messages = app.GetRequiredService<MessageService>();
        var carol = await app.CreateAsync($"Carol {unique}");
        var author = new ChatUser(carol.Id, carol.DisplayName);
        Assert.False((await messages.SendAsync(author, Room.GeneralRoomId, new string('x', 4001), Guid.NewGuid())).Succeeded);
        var sent = new List<bool>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add((await messages.SendAsync(author, Room.GeneralRoomId, $"burst {i}", Guid.NewGuid())).Succeeded);
        }
        Assert.Contains(false, sent);

        using var http = new HttpClient();
        var scrape = "";
        await HealthTests.Eventually(async () =>
        {
            scrape = await http.GetStringAsync($"{app.BaseUrl}/metrics");
            return Value(scrape, "chatapp_delivery_latency_milliseconds_count") >= 1;
        }, TimeSpan.FromSeconds(10));

        File.WriteAllText(Path.Combine(Path.GetTempPath(), "chatapp-metrics-scrape.txt"), scrape);
        Assert.Equal(2, Value(scrape, "chatapp_tabs_open"));
        Assert.Equal(2, Value(scrape, "chatapp_people_signed_in"));
        Assert.True(Value(scrape, "chatapp_messages_stored_total") >= 4, scrape);
        // Bob's message reached both tabs (his own and Alice's), and Carol's reached them too.
        Assert.True(Value(scrape, "chatapp_deliveries_total") >= 2, scrape);
        Assert.Equal(1, Value(scrape, "chatapp_send_refusals_total", "reason=\"too_long\""));
        Assert.True(Value(scrape, "chatapp_send_refusals_total", "reason=\"rate_limit\"") >= 1, scrape);
        Assert.True(Value(scrape, "chatapp_delivery_latency_milliseconds_bucket", "le=\"+Inf\"") >= 1, scrape);
        Assert.Contains("http_server_request_duration_seconds", scrape);
        Assert.Contains("dotnet_gc_collections_total", scrape);

        var snapshot = app.GetRequiredService<ChatMetrics>().Snapshot();
        Assert.Equal(2, snapshot.OpenTabs);
        Assert.NotNull(snapshot.DeliveryLatencyP95Ms);
        Assert.Equal(1, snapshot.Refusals[SendRefusal.TooLong]);
    }

    private static async Task<IPage> NewPageAsync(IBrowser browser, string baseUrl)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>The value of a series in the Prometheus text format, by name and optionally one label; -1 when absent.</summary>
    private static double Value(string scrape, string name, string? label = null)
    {
        foreach (var line in scrape.Split('\n'))
        {
            var match = Sample().Match(line);
            if (match.Success && match.Groups["name"].Value == name && (label is null || match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>\S+)")]
    private static partial Regex Sample();
}

/// <summary>
/// The metrics tests run alone: OpenTelemetry's exporter listens to every meter named "ChatApp" in the process, so
/// another test's app alive at the same time adds a second series of each metric to the scrape.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics (alone in the process)";
}

using System.Net;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace ChatApp.Security;

/// <summary>GET /diagnostics/runtime exists for benchmarks: off by default, and loopback only when on.</summary>
[Trait("Cost", "http")]
public sealed class DiagnosticsEndpointTests
{
    [Fact]
    public async Task The_runtime_endpoint_does_not_exist_unless_configured()
    {
        using var app = new ChatAppFactory().StartKestrel();
        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        var response = await client.GetAsync("/diagnostics/runtime");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task When_configured_it_answers_loopback_with_memory_and_circuit_figures()
    {
        using var app = new ChatAppFactory { Settings = { ["Chat:Diagnostics"] = "true" } }.StartKestrel();
        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        var response = await client.GetAsync("/diagnostics/runtime?collect=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("rssBytes").GetInt64() > 0);
        Assert.True(json.RootElement.GetProperty("gcHeapBytes").GetInt64() > 0);
        Assert.Equal(0, json.RootElement.GetProperty("liveCircuits").GetInt32());
    }

    /// <summary>
    /// The pauses one by one (issue 16: is a latency tail one long pause or many short ones?). The runtime's events
    /// reach the listener asynchronously, so the test asks until the full collection it forced is listed, for at most
    /// ten seconds.
    /// </summary>
    [Fact]
    public async Task When_configured_it_lists_each_collection_pause_since_a_given_time()
    {
        using var app = new ChatAppFactory { Settings = { ["Chat:Diagnostics"] = "true" } }.StartKestrel();
        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var since = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        JsonElement? forced = null;
        for (var attempt = 0; attempt < 100 && forced is null; attempt++)
        {
            // collect=true: a blocking, compacting gen 2 collection before the answer; the first one's events may
            // arrive after it, so later attempts find it.
            using var json = JsonDocument.Parse(await client.GetStringAsync($"/diagnostics/runtime?collect=true&pausesSince={since}"));
            forced = json.RootElement.GetProperty("gcPauses").EnumerateArray()
                .Where(pause => pause.GetProperty("generation").GetInt32() == 2)
                .Select(pause => (JsonElement?)pause.Clone())
                .FirstOrDefault();
            if (forced is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(forced);
        Assert.InRange(forced.Value.GetProperty("atUnixMs").GetInt64(), since, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.True(forced.Value.GetProperty("ms").GetDouble() > 0);
        Assert.Equal("blocking", forced.Value.GetProperty("kind").GetString());
    }

    /// <summary>
    /// Chat:GcLatencyMode sets the process's GC latency mode at start (bench/FINDINGS.md, lever 10), and the endpoint
    /// reports the mode in force. The mode is the process's, so the test puts the one it found back.
    /// </summary>
    [Fact]
    public async Task The_configured_gc_latency_mode_is_applied_at_start()
    {
        var before = System.Runtime.GCSettings.LatencyMode;
        try
        {
            using var app = new ChatAppFactory
            {
                Settings = { ["Chat:Diagnostics"] = "true", ["Chat:GcLatencyMode"] = "SustainedLowLatency" },
            }.StartKestrel();
            using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

            using var json = JsonDocument.Parse(await client.GetStringAsync("/diagnostics/runtime"));

            Assert.Equal("SustainedLowLatency", json.RootElement.GetProperty("gcLatencyMode").GetString());
        }
        finally
        {
            System.Runtime.GCSettings.LatencyMode = before;
        }
    }

    [Fact]
    public async Task Without_pausesSince_no_pauses_are_listed()
    {
        using var app = new ChatAppFactory { Settings = { ["Chat:Diagnostics"] = "true" } }.StartKestrel();
        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        using var json = JsonDocument.Parse(await client.GetStringAsync("/diagnostics/runtime"));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("gcPauses").ValueKind);
    }

    [Fact]
    public async Task When_configured_it_still_refuses_any_other_address()
    {
        using var app = new ChatAppFactory { Settings = { ["Chat:Diagnostics"] = "true" } };

        var context = await app.Server.SendAsync(request =>
        {
            request.Request.Method = "GET";
            request.Request.Path = "/diagnostics/runtime";
            request.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        });

        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
    }
}

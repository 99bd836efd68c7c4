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

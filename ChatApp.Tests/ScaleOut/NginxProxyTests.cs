using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using ChatApp.Data;
using ChatApp.LoadDriver;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.ScaleOut;

/// <summary>
/// Through a real nginx running the documented config: pages, sign-in, circuits and the origin check work,
/// each browser sticks to one server, and the apps see the browser's address. Each test's browser connects
/// from a loopback address of its own, so nginx's access log (which names the upstream of every request) and
/// the app's records tell browsers apart, and the address the app sees is not the proxy's.
/// </summary>
[Trait("Cost", "cluster")]
public sealed class NginxProxyTests(ProxiedApps apps) : IClassFixture<ProxiedApps>
{
    [Fact]
    public async Task The_home_page_loads_through_the_proxy_which_gives_the_browser_a_secure_affinity_cookie()
    {
        var cookies = new CookieContainer();
        using var http = apps.CreateClient(apps.NewClientAddress(), cookies);

        var response = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Team chat that keeps every decision on the server.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var affinity = cookies.GetCookies(apps.BaseUri)["chatapp_affinity"];
        Assert.NotNull(affinity);
        Assert.True(affinity.Secure && affinity.HttpOnly);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("chat.example.com.evil.example")]
    public async Task A_request_naming_an_unknown_host_gets_no_answer_from_the_proxy(string host)
    {
        using var http = apps.CreateClient(apps.NewClientAddress(), new CookieContainer());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/ForgotPassword");
        request.Headers.Host = host;

        await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(request));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/Account/ForgotPassword")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_works_through_the_proxy_and_the_app_sees_https()
    {
        var email = ProxiedApps.NewEmail("proxy.sign-in");
        (await BrowserSession.RegisterAsync(apps.BaseUri, "Proxy SignIn", email, TestUsers.Password, apps.Through(apps.NewClientAddress()))).Dispose();

        // Another browser (its own affinity, maybe the other server) signs in with the account.
        using var session = await BrowserSession.SignInAsync(apps.BaseUri, email, TestUsers.Password, apps.Through(apps.NewClientAddress()));

        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/Account/Manage")).StatusCode);
        // The apps listen on plain HTTP and, in Development, mark the cookie Secure only for requests they see
        // as HTTPS: the proxy's X-Forwarded-Proto was applied.
        var authCookie = session.Cookies.GetCookies(apps.BaseUri)[".AspNetCore.Identity.Application"];
        Assert.NotNull(authCookie);
        Assert.True(authCookie.Secure);
    }

    [Fact]
    public async Task A_circuit_runs_through_the_proxy_and_a_foreign_or_plain_http_origin_is_refused()
    {
        var address = apps.NewClientAddress();
        using var session = await BrowserSession.RegisterAsync(apps.BaseUri, "Proxy Circuit", ProxiedApps.NewEmail("proxy.circuit"), TestUsers.Password, apps.Through(address));
        await using (var tab = await session.OpenTabAsync("/chat/general"))
        {
            var text = $"via-nginx-{Guid.NewGuid():N}";
            var rendered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            tab.Watch(text, _ => rendered.TrySetResult());

            await tab.SendMessageAsync(text);

            await rendered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Null(tab.Error);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await UpgradeAsync(session, address, "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await UpgradeAsync(session, address, $"http://{apps.BaseUri.Authority}"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeAsync(session, address, $"https://{apps.BaseUri.Authority}"));
    }

    /// <summary>Negotiates as the page would, then asks nginx for the WebSocket upgrade with <paramref name="origin"/>.</summary>
    private async Task<HttpStatusCode> UpgradeAsync(BrowserSession session, IPAddress address, string origin)
    {
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", $"https://{apps.BaseUri.Authority}");
        var negotiated = await session.Http.SendAsync(negotiate);
        negotiated.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync());
        var token = json.RootElement.GetProperty("connectionToken").GetString();

        using var handler = new SocketsHttpHandler { CookieContainer = session.Cookies };
        apps.Proxy.ConfigureClient(handler, address);
        using var invoker = new HttpMessageInvoker(handler);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        try
        {
            await socket.ConnectAsync(new Uri($"wss://{apps.BaseUri.Authority}/_blazor?id={token}"), invoker, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        return socket.HttpStatusCode;
    }

    [Fact]
    public async Task Each_browser_stays_on_one_server_and_browsers_spread_over_both()
    {
        var address = apps.NewClientAddress();
        var before = new[] { await apps.LiveCircuitsAsync(apps.First), await apps.LiveCircuitsAsync(apps.Second) };
        using var session = await BrowserSession.RegisterAsync(apps.BaseUri, "Proxy Sticky", ProxiedApps.NewEmail("proxy.sticky"), TestUsers.Password, apps.Through(address));
        ExternalApp holder;
        await using (await session.OpenTabAsync("/chat/general"))
        {
            var after = new[] { await apps.LiveCircuitsAsync(apps.First), await apps.LiveCircuitsAsync(apps.Second) };
            var opened = after.Zip(before, (a, b) => a - b).ToArray();
            // One server holds the new circuit; the other gained none (an earlier test's closing tab may leave it).
            Assert.Equal(1, opened.Max());
            Assert.True(opened.Min() <= 0);
            holder = opened[0] == 1 ? apps.First : apps.Second;
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/chat/general")).StatusCode);
            }
        }

        // nginx logs the WebSocket when it closes.
        var requests = await apps.RequestsFromAsync(address, log => log.Any(e => e.Request.StartsWith("GET /_blazor?id=", StringComparison.Ordinal)));
        Assert.True(requests.Count >= 10, $"Only {requests.Count} requests logged.");
        Assert.All(requests, request => Assert.Equal(ProxiedApps.Upstream(holder), request.Upstream));

        // Every new browser gets a random affinity: a few of them reach the other server too, each staying on its own.
        var used = new HashSet<string> { ProxiedApps.Upstream(holder) };
        for (var browser = 0; browser < 30 && used.Count < 2; browser++)
        {
            var other = apps.NewClientAddress();
            using var http = apps.CreateClient(other, new CookieContainer());
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
            }
            var itsRequests = await apps.RequestsFromAsync(other, log => log.Count == 3);
            used.Add(Assert.Single(itsRequests.Select(r => r.Upstream).Distinct()));
        }
        Assert.Equal(new[] { ProxiedApps.Upstream(apps.First), ProxiedApps.Upstream(apps.Second) }.Order(), used.Order());
    }

    [Fact]
    public async Task The_app_records_the_browsers_own_address_not_the_proxys_nor_one_the_browser_made_up()
    {
        var address = apps.NewClientAddress();
        var email = ProxiedApps.NewEmail("proxy.address");
        using var http = apps.CreateClient(address, new CookieContainer());
        http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.50");
        var browser = new FormClient(http);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.RegisterAsync("Proxy Address", email)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LoginAsync(email)).StatusCode);

        await using var db = apps.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        var sessions = await db.UserSessions.Where(s => s.UserId == user.Id).Select(s => s.IpAddress).ToListAsync();
        var signIns = await db.AuditEntries.Where(e => e.ActorId == user.Id && e.Action == AuditActions.SignIn).Select(e => e.IpAddress).ToListAsync();
        Assert.NotEmpty(sessions);
        Assert.NotEmpty(signIns);
        Assert.All(sessions.Concat(signIns), ip => Assert.Equal(address.ToString(), ip));
    }
}

using System.Net;
using System.Text.Json;
using ChatApp.Data;
using ChatApp.LoadDriver;
using ChatApp.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.ScaleOut;

/// <summary>
/// Two ChatApp processes behind a real nginx running the documented config (docs/nginx/chatapp.conf) with TLS,
/// the apps trusting it as their proxy (Chat:ForwardedHeaders:KnownProxies = 127.0.0.1). They share one SQLite
/// file, as servers share PostgreSQL in production, and the Data Protection key ring in the user's profile, as
/// two servers run by one user on one machine do.
/// </summary>
public sealed class ProxiedApps : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("chatapp-scale-out-").FullName;
    private int lastClient = 9;

    public string DatabasePath => Path.Combine(directory, "chat.db");

    public ExternalApp First { get; private set; } = null!;

    public ExternalApp Second { get; private set; } = null!;

    public NginxServer Proxy { get; private set; } = null!;

    public Uri BaseUri => new(Proxy.BaseUrl);

    public async Task InitializeAsync()
    {
        string[] settings = ["--Chat:ForwardedHeaders:KnownProxies:0=127.0.0.1", "--Chat:Diagnostics=true"];
        // One after the other: the first creates and migrates the shared database.
        First = await ExternalApp.StartAsync(DatabasePath, settings);
        Second = await ExternalApp.StartAsync(DatabasePath, settings);
        Proxy = await NginxServer.StartAsync([Upstream(First), Upstream(Second)]);
    }

    public async Task DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await First.DisposeAsync();
        await Second.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>How nginx names an app in <c>$upstream_addr</c>.</summary>
    public static string Upstream(ExternalApp app) => $"127.0.0.1:{app.Port}";

    /// <summary>A loopback address no other browser of these tests uses.</summary>
    public IPAddress NewClientAddress() => IPAddress.Parse($"127.0.0.{Interlocked.Increment(ref lastClient)}");

    /// <summary>Settings for a <see cref="BrowserSession"/> that reaches the apps through the proxy from <paramref name="address"/>.</summary>
    public Action<SocketsHttpHandler> Through(IPAddress address) => handler => Proxy.ConfigureClient(handler, address);

    public HttpClient CreateClient(IPAddress address, CookieContainer cookies)
    {
        var handler = new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        Proxy.ConfigureClient(handler, address);
        return new HttpClient(handler) { BaseAddress = BaseUri };
    }

    /// <summary>Live circuits in one app, from its loopback-only diagnostics endpoint (asked directly, not through the proxy).</summary>
    public async Task<int> LiveCircuitsAsync(ExternalApp app)
    {
        using var http = new HttpClient();
        using var json = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{app.Port}/diagnostics/runtime"));
        return json.RootElement.GetProperty("liveCircuits").GetInt32();
    }

    /// <summary>This browser's finished requests, once the log holds what <paramref name="complete"/> asks for.</summary>
    public async Task<List<NginxServer.AccessLogEntry>> RequestsFromAsync(IPAddress address, Func<List<NginxServer.AccessLogEntry>, bool> complete)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var requests = Proxy.ReadAccessLog().Where(e => e.ClientAddress == address.ToString()).ToList();
            if (complete(requests))
            {
                return requests;
            }
            Assert.True(DateTime.UtcNow < deadline, $"nginx did not log the expected requests from {address}; it has: {string.Join(" | ", requests)}");
            await Task.Delay(50);
        }
    }

    public ApplicationDbContext CreateDbContext() =>
        new(new DbContextOptionsBuilder<ApplicationDbContext>().UseSqlite($"Data Source={DatabasePath}").Options);

    public static string NewEmail(string what) => $"{what}.{Guid.NewGuid():N}@example.com";
}

using ChatApp.LoadDriver;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// Headless tabs (the load driver's Blazor circuit client) that a test opens against a Kestrel-hosted app; disposing
/// closes every tab, then every session.
/// </summary>
internal sealed class DriverTabs(ChatAppFactory app) : IAsyncDisposable
{
    private readonly List<BrowserSession> sessions = [];

    /// <summary>Every tab opened, in order.</summary>
    public List<CircuitClient> Tabs { get; } = [];

    public async Task<BrowserSession> RegisterAsync(string name, string email)
    {
        // Over TLS (StartKestrelOverTls), like a browser: it trusts the app's certificate and opens its WebSockets over
        // HTTP/2 on the page's connection.
        var tls = app.Certificate is not null;
        var session = await BrowserSession.RegisterAsync(new Uri(app.BaseUrl), name, email, TestUsers.Password, tls ? app.TrustCertificate : null);
        session.Http2WebSockets = tls;
        sessions.Add(session);
        return session;
    }

    public async Task<CircuitClient> OpenAsync(BrowserSession session, string path = "/chat/general", bool connectRowFeed = true)
    {
        var tab = await session.OpenTabAsync(path, connectRowFeed);
        Tabs.Add(tab);
        return tab;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var tab in Tabs)
        {
            await tab.DisposeAsync();
        }
        foreach (var session in sessions)
        {
            session.Dispose();
        }
    }
}

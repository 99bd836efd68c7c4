using System.Net;
using System.Text.RegularExpressions;

namespace ChatApp.LoadDriver;

/// <summary>A browser profile: one signed-in user's cookies and connections, shared by its tabs.</summary>
public sealed partial class BrowserSession : IDisposable
{
    private BrowserSession(Uri baseUri, Action<SocketsHttpHandler>? configureHandler)
    {
        BaseUri = baseUri;
        Handler = new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false };
        configureHandler?.Invoke(Handler);
        Http = new HttpClient(Handler)
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(120),
        };
    }

    public Uri BaseUri { get; }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    /// <summary>
    /// Whether its tabs' WebSockets offer permessage-deflate, as Chromium's always do (the server chooses whether to
    /// compress). Off only to repeat runs made before the driver offered it.
    /// </summary>
    public bool OfferCompression { get; set; } = true;

    /// <summary>
    /// The profile's tabs open their WebSockets as HTTP/2 streams (RFC 8441 extended CONNECT) on the profile's one
    /// HTTP/2 connection, as Chromium does when the server offers it, instead of one HTTP/1.1 connection per tab.
    /// </summary>
    public bool Http2WebSockets { get; set; }

    /// <summary>Sets a tab's WebSocket to this profile's HTTP version (<see cref="Http2WebSockets"/>).</summary>
    internal void ChooseHttpVersion(System.Net.WebSockets.ClientWebSocket socket)
    {
        if (Http2WebSockets)
        {
            socket.Options.HttpVersion = System.Net.HttpVersion.Version20;
            socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
    }

    /// <summary>The connections of this profile: its pages, and its tabs' WebSockets, go through it.</summary>
    internal SocketsHttpHandler Handler { get; }

    /// <summary>Registers a new account through the register form and keeps its auth cookie.</summary>
    /// <param name="configureHandler">Connection settings, e.g. a certificate to trust or the local address to connect from.</param>
    public static async Task<BrowserSession> RegisterAsync(Uri baseUri, string displayName, string email, string password, Action<SocketsHttpHandler>? configureHandler = null, CancellationToken cancellationToken = default)
    {
        var session = new BrowserSession(baseUri, configureHandler);
        await session.PostFormAsync("/Account/Register", "register", new()
        {
            ["Input.DisplayName"] = displayName,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        }, cancellationToken);
        return session;
    }

    /// <summary>Signs in through the login form.</summary>
    /// <param name="configureHandler">Connection settings, e.g. a certificate to trust or the local address to connect from.</param>
    public static async Task<BrowserSession> SignInAsync(Uri baseUri, string email, string password, Action<SocketsHttpHandler>? configureHandler = null, CancellationToken cancellationToken = default)
    {
        var session = new BrowserSession(baseUri, configureHandler);
        await session.PostFormAsync("/Account/Login", "login", new() { ["Input.Email"] = email, ["Input.Password"] = password }, cancellationToken);
        return session;
    }

    /// <summary>Opens a new tab on the page and waits until its composer can be used; it opens a row feed when the page asks, unless told not to.</summary>
    public async Task<CircuitClient> OpenTabAsync(string path, bool connectRowFeed = true, CancellationToken cancellationToken = default)
    {
        var tab = new CircuitClient(this) { ConnectRowFeed = connectRowFeed };
        try
        {
            await tab.OpenAsync(path, cancellationToken);
            return tab;
        }
        catch
        {
            await tab.DisposeAsync();
            throw;
        }
    }

    private async Task PostFormAsync(string path, string formName, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var page = await Http.GetStringAsync(path, cancellationToken);
        var token = AntiforgeryPattern().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {path}");
        }
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        fields["_handler"] = formName;
        var response = await Http.PostAsync(path, new FormUrlEncodedContent(fields), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("/Account/", StringComparison.Ordinal) != false)
        {
            throw new InvalidOperationException($"{path} did not sign in ({(int)response.StatusCode} {response.Headers.Location}).");
        }
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();
}

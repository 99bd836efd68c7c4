using ChatApp.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// The real app on a database of its own (a temp SQLite file by default, or a fresh PostgreSQL database);
/// settings can be overridden per fixture.
/// </summary>
public class ChatAppFactory : WebApplicationFactory<Program>
{
    private readonly string directory = Directory.CreateTempSubdirectory("chatapp-tests-").FullName;
    private TestDatabase? database;

    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>The SQLite file, when <see cref="Provider"/> is SQLite.</summary>
    public string DatabasePath => Path.Combine(directory, "chat.db");

    /// <summary>Configuration overrides, applied on top of appsettings.json.</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        // Many tests sign up from one loopback address; the limit itself is tested with its default.
        ["Chat:RateLimit:AccountAttemptsPerMinute"] = "10000",
        ["Chat:RateLimit:ConnectsPerMinute"] = "10000",
    };

    public string Environment { get; set; } = "Testing";

    public TestLogSink Logs { get; } = new();

    /// <summary>The base URL once <see cref="StartKestrel"/> ran.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Serves the app on Kestrel on a free loopback port, for browsers and raw sockets.</summary>
    public ChatAppFactory StartKestrel()
    {
        UseKestrel(0);
        return Serve();
    }

    private ChatAppFactory Serve()
    {
        StartServer();
        var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!;
        BaseUrl = addresses.Addresses.First().Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        return this;
    }

    /// <summary>The self-signed certificate the app serves once <see cref="StartKestrelOverTls"/> ran.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; private set; }

    /// <summary>
    /// Serves the app on Kestrel over TLS on a free loopback port, as it is deployed with TLS in the app: HTTP/1.1 and
    /// HTTP/2, so browsers open their WebSockets as HTTP/2 streams (extended CONNECT) on the page's connection.
    /// </summary>
    public ChatAppFactory StartKestrelOverTls()
    {
        Certificate = SelfSignedCertificate("localhost");
        var certificate = Certificate;
        UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        }));
        return Serve();
    }

    /// <summary>Makes <paramref name="handler"/> trust exactly the app's certificate (<see cref="StartKestrelOverTls"/>).</summary>
    public void TrustCertificate(SocketsHttpHandler handler)
    {
        var trusted = Certificate?.Thumbprint ?? throw new InvalidOperationException("The app is not served over TLS.");
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == trusted;
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSignedCertificate(string host)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN={host}", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Exported and loaded again: on Linux an ephemeral key cannot serve TLS.
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(created.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        // Outside Development, assets living in obj/ and NuGet folders are only found through the build manifest.
        builder.UseStaticWebAssets();
        database ??= TestDatabase.Create(Provider, directory);
        foreach (var (key, value) in database.Settings.Concat(Settings))
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    public ApplicationDbContext CreateDbContext() =>
        Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContext();

    public T GetRequiredService<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// A client with a cookie jar that does not follow redirects. HTTPS, because outside Development the auth
    /// cookie is Secure and a cookie jar never returns it over plain HTTP.
    /// </summary>
    public HttpClient CreateBrowserLikeClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(BaseUrl.Length > 0 ? BaseUrl : "https://localhost") });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        database?.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background task is left for the OS temp cleaner.
        }
    }
}

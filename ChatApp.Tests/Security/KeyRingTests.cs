using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatApp.Security;

/// <summary>The Data Protection key ring in the database (DataProtection.EntityFrameworkCore), on both providers.</summary>
[Trait("Cost", "service")]
public sealed class KeyRingTests : IDisposable
{
    // The purposes ASP.NET Core's cookie authentication protects the Identity cookie with.
    private static readonly string[] CookiePurposes =
        ["Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", "Identity.Application", "v2"];

    private readonly string directory = Directory.CreateTempSubdirectory("chatapp-keyring-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_cookie_protected_with_keys_written_before_the_upgrade_is_still_read_after_it(DatabaseProvider provider)
    {
        using var database = TestDatabase.Create(provider, directory);
        string cookie;
        await using (var before = BuildServices(database))
        {
            // The schema as the previous release left it: every migration up to the library's key ring.
            await using var db = await before.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
            var previous = db.Database.GetMigrations().TakeWhile(m => !m.EndsWith("_LibraryKeyRing", StringComparison.Ordinal)).Last();
            await db.GetService<IMigrator>().MigrateAsync(previous);
            cookie = PreviousReleaseProvider(before).CreateProtector(CookiePurposes).Protect("the ticket of a signed-in user");
            Assert.Equal(1, await db.Database.SqlQueryRaw<int>("""SELECT COUNT(*) AS "Value" FROM "DataProtectionKeys" """).SingleAsync());
        }

        await using var after = BuildServices(database);
        await after.InitializeDatabaseAsync();

        Assert.Equal("the ticket of a signed-in user", after.GetRequiredService<IDataProtectionProvider>().CreateProtector(CookiePurposes).Unprotect(cookie));
    }

    [Fact]
    public async Task With_a_certificate_keys_are_encrypted_at_rest_and_still_read_back()
    {
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite, directory);
        var certificatePath = Path.Combine(directory, "keyring.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=ChatApp key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(certificatePath, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        }
        var settings = new Dictionary<string, string?>
        {
            ["Chat:DataProtection:CertificatePath"] = certificatePath,
            ["Chat:DataProtection:CertificatePassword"] = "pfx-password",
        };
        string payload;
        await using (var first = BuildServices(database, settings))
        {
            await first.InitializeDatabaseAsync();
            payload = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("secret");
        }

        await using var second = BuildServices(database, settings);
        await using var db = await second.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        var stored = Assert.Single(await db.DataProtectionKeys.ToListAsync());
        Assert.Contains("EncryptedData", stored.Xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", stored.Xml, StringComparison.Ordinal);
        Assert.Equal("secret", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(payload));
    }

    [Fact]
    public async Task Without_a_certificate_the_start_warns_and_names_the_setting()
    {
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite, directory);
        var logs = new TestLogSink();
        await using var services = BuildServices(database, logs: logs);
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Chat:DataProtection:CertificatePath", StringComparison.Ordinal));
    }

    private static ServiceProvider BuildServices(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, TestLogSink? logs = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(database.Settings)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        var environment = new TestHostEnvironment { ContentRootPath = Path.GetTempPath() };
        services.AddChatData(configuration, environment);
        services.AddChatKeyRing(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Data Protection as the previous release set it up: application "ChatApp", keys stored as DatabaseKeyRing stored them.</summary>
    private static IDataProtectionProvider PreviousReleaseProvider(IServiceProvider app)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDataProtection().SetApplicationName("ChatApp");
        var repository = new PreviousReleaseKeyRing(app.GetRequiredService<IDbContextFactory<ApplicationDbContext>>());
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = repository);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    /// <summary>The previous release's repository (Security/DatabaseKeyRing.cs): one row per key, the XML unformatted, in the same table.</summary>
    private sealed class PreviousReleaseKeyRing(IDbContextFactory<ApplicationDbContext> dbFactory) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var db = dbFactory.CreateDbContext();
            return [.. db.Database.SqlQueryRaw<string>("""SELECT "Xml" AS "Value" FROM "DataProtectionKeys" ORDER BY "Id" """).AsEnumerable().Select(XElement.Parse)];
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var db = dbFactory.CreateDbContext();
            var xml = element.ToString(SaveOptions.DisableFormatting);
            db.Database.ExecuteSql($"""INSERT INTO "DataProtectionKeys" ("FriendlyName", "Xml") VALUES ({friendlyName}, {xml})""");
        }
    }
}

using System.Security.Cryptography.X509Certificates;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Microsoft.Extensions.DependencyInjection;

public static class KeyRingServiceCollectionExtensions
{
    /// <summary>
    /// One Data Protection key ring for every server, in the database's <c>DataProtectionKeys</c> table (cookies,
    /// antiforgery, prerendered component state, cluster messages), under a fixed application name rather than the
    /// content root path, which differs between machines. Keys are encrypted at rest with the certificate in
    /// <c>Chat:DataProtection:CertificatePath</c> when one is set.
    /// </summary>
    public static IServiceCollection AddChatKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        // Called by the app and by the cluster; the key ring is set up once.
        if (services.Any(d => d.ServiceType == typeof(KeyRingOptions)))
        {
            return services;
        }
        var options = configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        services.AddSingleton(options);
        var dataProtection = services.AddDataProtection()
            .SetApplicationName("ChatApp")
            .PersistKeysToDbContext<ApplicationDbContext>();
        if (options.CertificatePath is { Length: > 0 } path)
        {
            // Encrypts new keys and decrypts those it encrypted; keys stored before a certificate was set stay readable.
            dataProtection.ProtectKeysWithCertificate(LoadCertificate(path, options.CertificatePassword));
        }
        else
        {
            services.AddHostedService<UnencryptedKeyRingWarning>();
        }
        return services;
    }

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return certificate.HasPrivateKey
                ? certificate
                : throw new InvalidOperationException($"{KeyRingOptions.SectionName}:CertificatePath ({path}) has no private key, so the keys it encrypts could not be read back.");
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            throw new InvalidOperationException(
                $"{KeyRingOptions.SectionName}:CertificatePath ({path}) could not be loaded as a PKCS#12 (.pfx) file with {KeyRingOptions.SectionName}:CertificatePassword: {exception.Message}", exception);
        }
    }
}

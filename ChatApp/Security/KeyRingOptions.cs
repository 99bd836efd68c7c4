namespace ChatApp.Security;

/// <summary>The <c>Chat:DataProtection</c> section: how the key ring in the database is protected at rest.</summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "Chat:DataProtection";

    /// <summary>A PKCS#12 (.pfx) file whose certificate encrypts the keys in the database; unset, they are stored in plain XML.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}

/// <summary>Says at every start that the key ring is stored unencrypted, and which setting changes that.</summary>
internal sealed partial class UnencryptedKeyRingWarning(ILogger<UnencryptedKeyRingWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogUnencrypted(KeyRingOptions.SectionName);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No XML encryptor configured: the Data Protection keys (which sign cookies and seal cluster messages) are stored unencrypted in the database's DataProtectionKeys table. Set {Section}:CertificatePath (a .pfx file) and {Section}:CertificatePassword to encrypt them at rest")]
    private partial void LogUnencrypted(string section);
}

using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.Data.Sqlite;

namespace ChatApp.Operations;

/// <summary>Where this instance keeps what a backup holds, resolved from configuration as the app resolves it.</summary>
public sealed record BackupPaths(DatabaseProvider Provider, string DatabaseFile, string AttachmentsDirectory, string? CertificatePath)
{
    public static BackupPaths From(IConfiguration configuration, IHostEnvironment environment)
    {
        var provider = DataServiceCollectionExtensions.ParseProvider(configuration[DataServiceCollectionExtensions.ProviderKey]);
        var database = "";
        if (provider == DatabaseProvider.Sqlite)
        {
            var connectionString = DataServiceCollectionExtensions.ResolveSqliteConnectionString(
                configuration.GetConnectionString("DefaultConnection") ?? DataServiceCollectionExtensions.DefaultConnectionString, environment.ContentRootPath);
            database = new SqliteConnectionStringBuilder(connectionString).DataSource;
        }
        var attachments = configuration.GetSection($"{ChatOptions.SectionName}:Attachments").Get<ChatAttachmentOptions>() ?? new ChatAttachmentOptions();
        var certificate = configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>()?.CertificatePath;
        return new BackupPaths(
            provider,
            database,
            Path.GetFullPath(attachments.Directory, environment.ContentRootPath),
            string.IsNullOrWhiteSpace(certificate) ? null : Path.GetFullPath(certificate));
    }
}

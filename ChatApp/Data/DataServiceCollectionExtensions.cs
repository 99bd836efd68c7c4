using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Microsoft.Extensions.DependencyInjection;

public static class DataServiceCollectionExtensions
{
    public const string DefaultConnectionString = "Data Source=App_Data/chat.db";

    /// <summary>Registers the pooled EF Core context factory on SQLite (a short-lived context per operation).</summary>
    public static IServiceCollection AddChatData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = ResolveSqliteConnectionString(
            configuration.GetConnectionString("DefaultConnection") ?? DefaultConnectionString,
            environment.ContentRootPath);

        // Pooled: a chat does many short operations, and building a context per operation showed in profiles.
        services.AddPooledDbContextFactory<ApplicationDbContext>(options => options.UseSqlite(connectionString));
        // The Identity schema (passkeys included) is part of the model, so it is fixed with the data layer.
        services.Configure<IdentityOptions>(options => options.Stores.SchemaVersion = IdentitySchemaVersions.Version3);
        services.AddDatabaseDeveloperPageExceptionFilter();
        return services;
    }

    /// <summary>Makes a relative file path absolute under the content root and creates its folder.</summary>
    internal static string ResolveSqliteConnectionString(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var isFile = builder.Mode != SqliteOpenMode.Memory
            && !string.IsNullOrEmpty(builder.DataSource)
            && builder.DataSource != ":memory:";
        if (isFile)
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }
        return builder.ToString();
    }
}

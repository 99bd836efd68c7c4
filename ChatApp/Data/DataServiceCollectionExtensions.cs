using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

public static class DataServiceCollectionExtensions
{
    public const string DefaultConnectionString = "Data Source=App_Data/chat.db";

    public const string ProviderKey = "Chat:Database:Provider";

    /// <summary>
    /// Registers the pooled EF Core context factory (a short-lived context per operation) on the provider chosen by
    /// <c>Chat:Database:Provider</c>. Whatever the provider, the app asks for
    /// <see cref="IDbContextFactory{ApplicationDbContext}"/> and a scoped <see cref="ApplicationDbContext"/> (Identity's stores).
    /// </summary>
    public static IServiceCollection AddChatData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString("DefaultConnection");

        // Pooled: a chat does many short operations, and building a context per operation showed in profiles.
        if (ParseProvider(configuration[ProviderKey]) == DatabaseProvider.Postgres)
        {
            var postgres = ResolvePostgresConnectionString(connectionString);
            services.AddPooledDbContextFactory<PostgresApplicationDbContext>(options => options.UseNpgsql(postgres));
            services.AddSingleton<IDbContextFactory<ApplicationDbContext>, DerivedDbContextFactory<PostgresApplicationDbContext>>();
            services.AddScoped<ApplicationDbContext>(serviceProvider => serviceProvider.GetRequiredService<PostgresApplicationDbContext>());
        }
        else
        {
            var sqlite = ResolveSqliteConnectionString(connectionString ?? DefaultConnectionString, environment.ContentRootPath);
            services.AddPooledDbContextFactory<ApplicationDbContext>(options => options.UseSqlite(sqlite));
        }
        // The Identity schema (passkeys included) is part of the model, so it is fixed with the data layer.
        services.Configure<IdentityOptions>(options => options.Stores.SchemaVersion = IdentitySchemaVersions.Version3);
        services.AddDatabaseDeveloperPageExceptionFilter();
        return services;
    }

    /// <summary>Case-insensitive; Sqlite when unset. Anything else stops startup rather than quietly using SQLite.</summary>
    internal static DatabaseProvider ParseProvider(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRES" => DatabaseProvider.Postgres,
        _ => throw new InvalidOperationException($"{ProviderKey} is '{value}', which is not a supported database provider. Use Sqlite (the default) or Postgres."),
    };

    /// <summary>
    /// Refuses what is not an Npgsql connection string, and pins the session time zone to UTC: timestamps are stored
    /// as the UTC wall clock, and a timestamptz value (a raw SQL parameter of kind UTC) is converted to that column
    /// type in the session's zone.
    /// </summary>
    internal static string ResolvePostgresConnectionString(string? connectionString)
    {
        const string Expected = $"{ProviderKey} is Postgres, so ConnectionStrings:DefaultConnection must be an Npgsql connection string such as 'Host=db;Database=chat;Username=chat;Password=…'";
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"{Expected}; it is empty.");
        }
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString) { Timezone = "UTC" }.ConnectionString;
        }
        catch (ArgumentException exception)
        {
            // Most likely the SQLite default from appsettings.json ("Data Source=…") was left in place.
            throw new InvalidOperationException($"{Expected}: {exception.Message}", exception);
        }
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

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ChatApp.Data;

/// <summary>
/// Lets 'dotnet ef migrations add --context PostgresApplicationDbContext' run without a server. The context comes
/// from <c>AddChatData</c> as at run time, so the model sees the same options (Identity's schema version among them).
/// </summary>
internal sealed class PostgresApplicationDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PostgresApplicationDbContext>
{
    public PostgresApplicationDbContext CreateDbContext(string[] args)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DataServiceCollectionExtensions.ProviderKey] = nameof(DatabaseProvider.Postgres),
            ["ConnectionStrings:DefaultConnection"] = "Host=localhost;Database=chat",
        });
        builder.Services.AddChatData(builder.Configuration, builder.Environment);
        return builder.Build().Services.GetRequiredService<IDbContextFactory<PostgresApplicationDbContext>>().CreateDbContext();
    }
}

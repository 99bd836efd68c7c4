using Microsoft.EntityFrameworkCore;

namespace ChatApp.Data;

/// <summary>
/// Serves <see cref="IDbContextFactory{ApplicationDbContext}"/> from the pooled factory of a provider's derived
/// context, so services keep asking for the one context type whichever database is configured.
/// </summary>
internal sealed class DerivedDbContextFactory<TContext>(IDbContextFactory<TContext> factory) : IDbContextFactory<ApplicationDbContext>
    where TContext : ApplicationDbContext
{
    public ApplicationDbContext CreateDbContext() => factory.CreateDbContext();

    public async Task<ApplicationDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await factory.CreateDbContextAsync(cancellationToken);
}

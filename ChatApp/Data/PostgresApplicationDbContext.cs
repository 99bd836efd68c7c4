using Microsoft.EntityFrameworkCore;

namespace ChatApp.Data;

/// <summary>
/// <see cref="ApplicationDbContext"/> on PostgreSQL. The model is the same; the type exists so that PostgreSQL has
/// migrations of its own (Data/Migrations/Postgres) beside SQLite's, which existing databases keep upgrading with.
/// </summary>
public sealed class PostgresApplicationDbContext(DbContextOptions<PostgresApplicationDbContext> options)
    : ApplicationDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // UTC wall clock without a zone, as on SQLite: no session time zone is involved in reading or writing, and
        // values of kind UTC or without a kind both store (Npgsql writes timestamptz only from kind UTC).
        configurationBuilder.Properties<DateTime>().HaveColumnType("timestamp without time zone");
    }
}

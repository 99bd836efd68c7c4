using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.Bench;

/// <summary>
/// Fills a migrated, stopped server's database with bench users and rooms. Registering thousands of users
/// through the form would spend most of a run hashing passwords, so every seeded account shares one hash of
/// <see cref="Scenarios.Password"/>; the scenarios still sign each user in through the real login form.
/// </summary>
public static class Seeder
{
    public static string Email(int user) => $"user{user}@bench.example";

    public static string RoomName(int room) => $"team-{room}";

    /// <summary>Users 0..count-1; user i is a member of room team-(i / roomSize).</summary>
    public static async Task SeedAsync(string databasePath, int users, int roomSize, TextWriter log)
    {
        // The Identity model reads its schema version from the application's options, as in the app.
        await using var services = new ServiceCollection()
            .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3)
            .BuildServiceProvider();
        var options = new DbContextOptionsBuilder<ApplicationDbContext>()
            .UseSqlite($"Data Source={databasePath}")
            .UseApplicationServiceProvider(services)
            .Options;
        await using var db = new ApplicationDbContext(options);
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var hash = new PasswordHasher<ApplicationUser>().HashPassword(new ApplicationUser(), Scenarios.Password);
        var now = DateTime.UtcNow;
        var accounts = Enumerable.Range(0, users).Select(i => new ApplicationUser
        {
            UserName = Email(i),
            NormalizedUserName = Email(i).ToUpperInvariant(),
            Email = Email(i),
            NormalizedEmail = Email(i).ToUpperInvariant(),
            EmailConfirmed = true,
            PasswordHash = hash,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            LockoutEnabled = true,
            DisplayName = $"User {i}",
            NormalizedDisplayName = $"USER {i}",
            CreatedAt = now,
        }).ToList();
        db.Users.AddRange(accounts);
        var rooms = Enumerable.Range(0, (users + roomSize - 1) / roomSize).Select(r => new Room
        {
            Name = RoomName(r),
            NormalizedName = Room.NormalizeName(RoomName(r)),
            Kind = RoomKind.Public,
            Topic = $"Bench room of {roomSize}",
            CreatedById = accounts[r * roomSize].Id,
            CreatedAt = now,
            Members = [.. accounts.Skip(r * roomSize).Take(roomSize).Select(a => new RoomMember { UserId = a.Id, JoinedAt = now })],
        }).ToList();
        db.Rooms.AddRange(rooms);
        await db.SaveChangesAsync();
        log.WriteLine($"seeded {users} users in {rooms.Count} rooms of {roomSize} into {databasePath}");
    }
}

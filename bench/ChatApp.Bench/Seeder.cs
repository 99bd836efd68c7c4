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

    /// <summary>
    /// Users 0..count-1; user i is a member of room team-(i / roomSize). With <paramref name="messagesPerRoom"/>, each
    /// room starts with that many messages from its members (S1b: what an idle tab holds when its room has history).
    /// </summary>
    public static async Task SeedAsync(string databasePath, int users, int roomSize, TextWriter log, int messagesPerRoom = 0)
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
            Members = [.. accounts.Skip(r * roomSize).Take(roomSize).Select(a => new RoomMember { UserId = a.Id, JoinedAt = now, LastReadSequence = messagesPerRoom })],
            LastSequence = messagesPerRoom,
        }).ToList();
        db.Rooms.AddRange(rooms);
        await db.SaveChangesAsync();
        // Ordinary chat lines of a few words to a sentence, from the room's members in turn, a minute apart.
        foreach (var room in rooms)
        {
            db.Messages.AddRange(Enumerable.Range(1, messagesPerRoom).Select(m => new Message
            {
                RoomId = room.Id,
                Sequence = m,
                AuthorId = room.Members[m % room.Members.Count].UserId,
                ClientId = Guid.NewGuid(),
                Text = SampleText(m),
                CreatedAt = now.AddMinutes(m - messagesPerRoom - 1),
            }));
        }
        await db.SaveChangesAsync();
        log.WriteLine($"seeded {users} users in {rooms.Count} rooms of {roomSize} ({messagesPerRoom} messages each) into {databasePath}");
    }

    private static readonly string[] Lines =
    [
        "Morning! Is the deploy still scheduled for this afternoon?",
        "Yes, after the standup.",
        "I pushed the fix for the login redirect, could someone review it?",
        "Looking now.",
        "The numbers from yesterday's run are in the shared folder, the p99 went down by about a third compared to last week.",
        "Nice work 🎉",
        "Can we move the retro to Thursday? Half the team is out tomorrow.",
        "Works for me.",
    ];

    private static string SampleText(int m) => Lines[m % Lines.Length];
}

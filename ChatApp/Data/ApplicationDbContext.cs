using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ChatApp.Data;

/// <summary>
/// The one model for Identity and chat. On SQLite it is used as is; other providers derive from it only to get
/// migrations of their own (see <see cref="PostgresApplicationDbContext"/>), and the app still asks for this type.
/// </summary>
public class ApplicationDbContext : IdentityDbContext<ApplicationUser>, IDataProtectionKeyContext
{
    public ApplicationDbContext(DbContextOptions<ApplicationDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's derived context, whose options are typed for itself.</summary>
    protected ApplicationDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<SystemFlag> SystemFlags => Set<SystemFlag>();

    public DbSet<Room> Rooms => Set<Room>();

    public DbSet<RoomMember> RoomMembers => Set<RoomMember>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<ThreadFollower> ThreadFollowers => Set<ThreadFollower>();

    public DbSet<UserSession> UserSessions => Set<UserSession>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<MessageMention> MessageMentions => Set<MessageMention>();

    public DbSet<MessageReaction> MessageReactions => Set<MessageReaction>();

    public DbSet<Attachment> Attachments => Set<Attachment>();

    public DbSet<Webhook> Webhooks => Set<Webhook>();

    public DbSet<PinnedMessage> PinnedMessages => Set<PinnedMessage>();

    public DbSet<SavedMessage> SavedMessages => Set<SavedMessage>();

    /// <summary>Data Protection's key ring (<c>PersistKeysToDbContext</c>), shared by every server on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<ApplicationUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(ApplicationUser.DisplayNameMaxLength).IsRequired();
            user.Property(u => u.NormalizedDisplayName).HasMaxLength(ApplicationUser.DisplayNameMaxLength).IsRequired();
            user.HasIndex(u => u.NormalizedDisplayName).IsUnique();
            user.Property(u => u.DisplayNameSkeleton).HasMaxLength(ApplicationUser.DisplayNameSkeletonMaxLength);
            user.HasIndex(u => u.DisplayNameSkeleton).IsUnique();
            user.Property(u => u.StatusEmoji).HasMaxLength(ApplicationUser.StatusEmojiMaxLength);
            user.Property(u => u.StatusText).HasMaxLength(ApplicationUser.StatusTextMaxLength);
        });

        builder.Entity<IdentityRole>().HasData(new IdentityRole
        {
            Id = ChatApp.Data.Roles.AdminRoleId,
            Name = ChatApp.Data.Roles.Admin,
            NormalizedName = ChatApp.Data.Roles.Admin.ToUpperInvariant(),
            ConcurrencyStamp = ChatApp.Data.Roles.AdminRoleId,
        });

        builder.Entity<Room>(room =>
        {
            room.Property(r => r.Name).HasMaxLength(Room.NameMaxLength);
            room.Property(r => r.NormalizedName).HasMaxLength(Room.NameMaxLength);
            room.Property(r => r.Topic).HasMaxLength(Room.TopicMaxLength);
            room.Property(r => r.DirectKey).HasMaxLength(400);
            room.HasIndex(r => r.NormalizedName).IsUnique();
            room.HasIndex(r => r.DirectKey).IsUnique();
            room.HasData(new Room
            {
                Id = Room.GeneralRoomId,
                Name = Room.GeneralRoomName,
                NormalizedName = Room.NormalizeName(Room.GeneralRoomName),
                Kind = RoomKind.Public,
                Topic = "Everyone, everything",
                CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            });
        });

        builder.Entity<RoomMember>(member =>
        {
            member.HasKey(m => new { m.RoomId, m.UserId });
            member.HasIndex(m => m.UserId);
            member.HasOne(m => m.Room).WithMany(r => r.Members).HasForeignKey(m => m.RoomId).OnDelete(DeleteBehavior.Cascade);
            member.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Message>(message =>
        {
            message.HasIndex(m => new { m.RoomId, m.Sequence }).IsUnique();
            message.HasIndex(m => new { m.AuthorId, m.ClientId }).IsUnique();
            message.HasOne(m => m.Room).WithMany().HasForeignKey(m => m.RoomId).OnDelete(DeleteBehavior.Cascade);
            message.HasOne(m => m.Author).WithMany().HasForeignKey(m => m.AuthorId).OnDelete(DeleteBehavior.SetNull);
            message.HasOne(m => m.ReplyTo).WithMany().HasForeignKey(m => m.ReplyToId).OnDelete(DeleteBehavior.SetNull);
            // A thread's replies in order (the thread panel, catch-up, the summary under the root).
            message.HasIndex(m => new { m.ThreadRootId, m.Sequence });
            message.HasOne<Message>().WithMany().HasForeignKey(m => m.ThreadRootId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ThreadFollower>(follower =>
        {
            follower.HasKey(f => new { f.RootMessageId, f.UserId });
            follower.HasIndex(f => f.UserId);
            follower.HasOne<Message>().WithMany().HasForeignKey(f => f.RootMessageId).OnDelete(DeleteBehavior.Cascade);
            follower.HasOne<ApplicationUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<MessageMention>(mention =>
        {
            mention.HasKey(m => new { m.MessageId, m.UserId });
            mention.HasIndex(m => m.UserId);
            mention.HasOne<Message>().WithMany(m => m.Mentions).HasForeignKey(m => m.MessageId).OnDelete(DeleteBehavior.Cascade);
            mention.HasOne<ApplicationUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<MessageReaction>(reaction =>
        {
            reaction.HasKey(r => new { r.MessageId, r.UserId, r.Emoji });
            reaction.Property(r => r.Emoji).HasMaxLength(MessageReaction.EmojiMaxLength);
            reaction.HasOne<Message>().WithMany(m => m.Reactions).HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
            reaction.HasOne(r => r.User).WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Attachment>(attachment =>
        {
            attachment.Property(a => a.FileName).HasMaxLength(Attachment.FileNameMaxLength);
            attachment.Property(a => a.ContentType).HasMaxLength(100);
            attachment.Property(a => a.StoredName).HasMaxLength(64);
            attachment.HasIndex(a => a.MessageId);
            attachment.HasOne<Message>().WithMany(m => m.Attachments).HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Webhook>(webhook =>
        {
            webhook.Property(w => w.TokenHash).HasMaxLength(Webhook.TokenHashLength);
            webhook.HasIndex(w => w.RoomId);
            webhook.HasOne(w => w.Room).WithMany().HasForeignKey(w => w.RoomId).OnDelete(DeleteBehavior.Cascade);
            webhook.HasOne(w => w.BotUser).WithMany().HasForeignKey(w => w.BotUserId).OnDelete(DeleteBehavior.Cascade);
            webhook.HasOne<ApplicationUser>().WithMany().HasForeignKey(w => w.CreatedById).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<PinnedMessage>(pin =>
        {
            pin.HasKey(p => p.MessageId);
            pin.HasIndex(p => new { p.RoomId, p.PinnedAt });
            pin.HasOne(p => p.Message).WithOne().HasForeignKey<PinnedMessage>(p => p.MessageId).OnDelete(DeleteBehavior.Cascade);
            pin.HasOne<Room>().WithMany().HasForeignKey(p => p.RoomId).OnDelete(DeleteBehavior.Cascade);
            pin.HasOne(p => p.PinnedBy).WithMany().HasForeignKey(p => p.PinnedById).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<SavedMessage>(saved =>
        {
            saved.HasKey(s => new { s.UserId, s.MessageId });
            saved.HasIndex(s => new { s.UserId, s.SavedAt });
            saved.HasIndex(s => s.MessageId);
            saved.HasOne(s => s.Message).WithMany().HasForeignKey(s => s.MessageId).OnDelete(DeleteBehavior.Cascade);
            saved.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<UserSession>(session =>
        {
            session.Property(s => s.Id).HasMaxLength(64);
            session.Property(s => s.IpAddress).HasMaxLength(UserSession.IpAddressMaxLength);
            session.Property(s => s.UserAgent).HasMaxLength(UserSession.UserAgentMaxLength);
            session.HasIndex(s => s.UserId);
            session.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AuditEntry>(entry =>
        {
            entry.Property(e => e.Action).HasMaxLength(64);
            entry.Property(e => e.ActorName).HasMaxLength(AuditEntry.NameMaxLength);
            entry.Property(e => e.TargetName).HasMaxLength(AuditEntry.NameMaxLength);
            entry.Property(e => e.TargetId).HasMaxLength(AuditEntry.NameMaxLength);
            entry.Property(e => e.Details).HasMaxLength(1024);
            entry.Property(e => e.IpAddress).HasMaxLength(UserSession.IpAddressMaxLength);
            entry.HasIndex(e => e.At);
            entry.HasIndex(e => e.ActorId);
            entry.HasIndex(e => e.TargetId);
            entry.HasIndex(e => e.Action);
        });

        builder.Entity<Message>().HasIndex(m => m.CreatedAt);

        builder.Entity<SystemFlag>(flag =>
        {
            flag.HasKey(f => f.Name);
            flag.Property(f => f.Name).HasMaxLength(64);
        });
    }

    /// <summary>The audit log is append-only: no code path may change or remove an entry.</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAuditLog();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAuditLog();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void GuardAuditLog()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Audit entries cannot be changed or deleted.");
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // All timestamps are UTC, stored as the UTC wall clock without a zone (SQLite text; PostgreSQL
        // "timestamp without time zone", which Npgsql writes only from a value without kind UTC). A value without
        // a kind is UTC already (as SQLite and raw SQL return them); only a local one is converted.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => DateTime.SpecifyKind(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value, DateTimeKind.Unspecified),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

using System.Security.Claims;
using ChatApp.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Security;

/// <summary>
/// Server-side sessions for the auth cookie: the cookie holds a random key, the ticket lives in the database.
/// Removing a session (logout, "end session", revocation) makes every copy of that cookie worthless.
/// </summary>
public sealed class DatabaseTicketStore(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    IDataProtectionProvider dataProtection,
    IHttpContextAccessor httpContextAccessor,
    LiveCircuits circuits,
    AuditLog audit,
    TimeProvider time) : ITicketStore
{
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);
    private readonly IDataProtector protector = dataProtection.CreateProtector("ChatApp.Security.Sessions.v1");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = SessionKeys.NewKey();
        var userId = ticket.Principal.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? throw new InvalidOperationException("A session needs a signed-in user.");
        var now = time.GetUtcNow().UtcDateTime;
        var request = httpContextAccessor.HttpContext;
        await using var db = await dbFactory.CreateDbContextAsync();
        db.UserSessions.Add(new UserSession
        {
            Id = SessionKeys.Hash(key),
            UserId = userId,
            Ticket = Protect(ticket),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = ticket.Properties.ExpiresUtc?.UtcDateTime,
            IpAddress = Truncate(request?.Connection.RemoteIpAddress?.ToString(), UserSession.IpAddressMaxLength),
            UserAgent = Truncate(request?.Request.Headers.UserAgent.ToString(), UserSession.UserAgentMaxLength),
        });
        await db.SaveChangesAsync();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSeenAt, now));
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var ticketBytes = Protect(ticket);
        var expires = ticket.Properties.ExpiresUtc?.UtcDateTime;
        var now = time.GetUtcNow().UtcDateTime;
        await db.UserSessions.Where(s => s.Id == SessionKeys.Hash(key)).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Ticket, ticketBytes)
            .SetProperty(x => x.ExpiresAt, expires)
            .SetProperty(x => x.LastSeenAt, now));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var id = SessionKeys.Hash(key);
        await using var db = await dbFactory.CreateDbContextAsync();
        var session = await db.UserSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id);
        var now = time.GetUtcNow().UtcDateTime;
        if (session is null || session.ExpiresAt < now)
        {
            return null;
        }
        if (now - session.LastSeenAt > LastSeenResolution)
        {
            await db.UserSessions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now));
            await db.Users.Where(u => u.Id == session.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSeenAt, now));
        }
        try
        {
            var ticket = TicketSerializer.Default.Deserialize(protector.Unprotect(session.Ticket));
            if (ticket?.Principal.Identity is ClaimsIdentity identity)
            {
                // Lets pages and circuits know which session they run under (to list it, end it, or end the others).
                foreach (var stale in identity.FindAll(SessionKeys.ClaimType).ToList())
                {
                    identity.RemoveClaim(stale);
                }
                identity.AddClaim(new Claim(SessionKeys.ClaimType, id));
            }
            return ticket;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Keys rotated away or data tampered with: treat as signed out.
            return null;
        }
    }

    public async Task RemoveAsync(string key)
    {
        var id = SessionKeys.Hash(key);
        await using var db = await dbFactory.CreateDbContextAsync();
        var owner = await db.UserSessions.Where(s => s.Id == id)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { u.Id, u.DisplayName })
            .FirstOrDefaultAsync();
        await db.UserSessions.Where(s => s.Id == id).ExecuteDeleteAsync();
        circuits.RevokeSession(id);
        if (owner is not null)
        {
            var ip = httpContextAccessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
            await audit.WriteAsync(AuditActions.SignOut, new AuditActor(owner.Id, owner.DisplayName, ip), owner.Id, owner.DisplayName);
        }
    }

    private byte[] Protect(AuthenticationTicket ticket) => protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}

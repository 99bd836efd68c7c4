using System.Net;
using System.Text.Json;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

public sealed record SearchHit(long MessageId, int RoomId, string RoomName, RoomKind Kind, long Sequence, string AuthorName, DateTime CreatedAt, string SnippetHtml);

/// <summary>
/// Full-text search (SQLite FTS5) over the messages of rooms the user can read right now — so rooms they left
/// or were removed from drop out of their results at once. Newest first, paged, with highlighted snippets.
/// </summary>
public sealed class SearchService(IDbContextFactory<ApplicationDbContext> dbFactory, RoomMembership membership)
{
    private const char MarkStart = '\u0002';
    private const char MarkEnd = '\u0003';

    public async Task<Page<SearchHit>> SearchAsync(string userId, string? query, int? roomId = null, int skip = 0, int take = 20, CancellationToken cancellationToken = default)
    {
        var match = ToMatchExpression(query);
        var rooms = roomId is { } only
            ? (await membership.CanReadAsync(userId, only) ? [only] : [])
            : (await membership.RoomsOfAsync(userId)).ToList();
        if (match is null || rooms.Count == 0)
        {
            return new Page<SearchHit>([], 0);
        }
        var roomsJson = JsonSerializer.Serialize(rooms);
        take = Math.Clamp(take, 1, 100);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.Database.SqlQuery<int>($"""
            SELECT COUNT(*) AS "Value" FROM "MessagesFts" JOIN "Messages" m ON m."Id" = "MessagesFts".rowid
            WHERE "MessagesFts" MATCH {match} AND m."DeletedAt" IS NULL AND m."RoomId" IN (SELECT value FROM json_each({roomsJson}))
            """).SingleAsync(cancellationToken);
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT m."Id" AS "MessageId", m."RoomId", m."Sequence", m."AuthorId", m."CreatedAt",
                   snippet("MessagesFts", 0, char(2), char(3), '…', 14) AS "Snippet"
            FROM "MessagesFts" JOIN "Messages" m ON m."Id" = "MessagesFts".rowid
            WHERE "MessagesFts" MATCH {match} AND m."DeletedAt" IS NULL AND m."RoomId" IN (SELECT value FROM json_each({roomsJson}))
            ORDER BY m."Id" DESC LIMIT {take} OFFSET {skip}
            """).ToListAsync(cancellationToken);

        var authorIds = rows.Where(r => r.AuthorId is not null).Select(r => r.AuthorId!).Distinct().ToList();
        var authors = await db.Users.Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var roomIds = rows.Select(r => r.RoomId).Distinct().ToList();
        var roomNames = await db.Rooms.Where(r => roomIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => new { r.Name, r.Kind }, cancellationToken);
        var hits = rows.Select(r => new SearchHit(r.MessageId, r.RoomId, roomNames[r.RoomId].Name, roomNames[r.RoomId].Kind, r.Sequence,
            r.AuthorId is null ? ChatMessage.DeletedUserName : authors.GetValueOrDefault(r.AuthorId, ChatMessage.DeletedUserName),
            DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc), Highlight(r.Snippet))).ToList();
        return new Page<SearchHit>(hits, total);
    }

    /// <summary>Each word becomes a quoted FTS5 term (the last one a prefix), so user input is never FTS syntax.</summary>
    public static string? ToMatchExpression(string? query)
    {
        var terms = (query ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(term => new string([.. term.Where(c => char.IsLetterOrDigit(c) || c is '\'' or '-' or '_' or '.')]))
            .Where(term => term.Length > 0)
            .Take(10)
            .ToList();
        if (terms.Count == 0)
        {
            return null;
        }
        return string.Join(' ', terms.Select((term, i) => $"\"{term.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" + (i == terms.Count - 1 ? "*" : "")));
    }

    /// <summary>Encodes the snippet as text, then turns FTS5's match markers into &lt;mark&gt;.</summary>
    private static string Highlight(string snippet) =>
        WebUtility.HtmlEncode(snippet).Replace(MarkStart.ToString(), "<mark>", StringComparison.Ordinal).Replace(MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);

    private sealed class Row
    {
        public long MessageId { get; set; }

        public int RoomId { get; set; }

        public long Sequence { get; set; }

        public string? AuthorId { get; set; }

        public DateTime CreatedAt { get; set; }

        public string Snippet { get; set; } = "";
    }
}

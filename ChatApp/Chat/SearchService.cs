using System.Net;
using System.Text.Json;
using ChatApp.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

public sealed record SearchHit(long MessageId, int RoomId, string RoomName, RoomKind Kind, long Sequence, string AuthorName, DateTime CreatedAt, string SnippetHtml)
{
    /// <summary>The thread the hit replies in: the hit opens that thread.</summary>
    public long? ThreadRootId { get; init; }
}

/// <summary>
/// Full-text search over the messages of rooms the user can read right now — so rooms they left or were removed
/// from drop out of their results at once. Newest first, paged, with highlighted snippets. SQLite searches its FTS5
/// table; PostgreSQL a GIN index on <c>to_tsvector('simple', "Text")</c> (both made by the migrations).
/// </summary>
public sealed class SearchService(IDbContextFactory<ApplicationDbContext> dbFactory, RoomMembership membership)
{
    private const char MarkStart = '\u0002';
    private const char MarkEnd = '\u0003';

    /// <summary>
    /// ts_headline marks matches like FTS5's snippet (about 14 words). ts_headline drops anything that looks like an
    /// HTML tag, so '&lt;' is swapped for \u0001 (MessageRules keeps control characters out of messages) and back.
    /// </summary>
    private const string HeadlineOptions = "StartSel=\u0002, StopSel=\u0003, MaxWords=15, MinWords=14";

    public async Task<Page<SearchHit>> SearchAsync(string userId, string? query, int? roomId = null, int skip = 0, int take = 20, CancellationToken cancellationToken = default)
    {
        var rooms = roomId is { } only
            ? (await membership.CanReadAsync(userId, only) ? [only] : [])
            : (await membership.RoomsOfAsync(userId)).ToList();
        if (rooms.Count == 0)
        {
            return new Page<SearchHit>([], 0);
        }
        take = Math.Clamp(take, 1, 100);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sqlite = db.Database.IsSqlite();
        if ((sqlite ? ToMatchExpression(query) : ToTsQuery(query)) is not { } match)
        {
            return new Page<SearchHit>([], 0);
        }
        var (total, rows) = sqlite
            ? await SearchSqliteAsync(db, match, rooms, skip, take, cancellationToken)
            : await SearchPostgresAsync(db, match, [.. rooms], skip, take, cancellationToken);

        var authorIds = rows.Where(r => r.AuthorId is not null).Select(r => r.AuthorId!).Distinct().ToList();
        var authors = await db.Users.Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var roomIds = rows.Select(r => r.RoomId).Distinct().ToList();
        var roomNames = await db.Rooms.Where(r => roomIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => new { r.Name, r.Kind }, cancellationToken);
        var hits = rows.Select(r => new SearchHit(r.MessageId, r.RoomId, roomNames[r.RoomId].Name, roomNames[r.RoomId].Kind, r.Sequence,
            r.AuthorId is null ? ChatMessage.DeletedUserName : authors.GetValueOrDefault(r.AuthorId, ChatMessage.DeletedUserName),
            DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc), Highlight(r.Snippet)) { ThreadRootId = r.ThreadRootId }).ToList();
        return new Page<SearchHit>(hits, total);
    }

    private static async Task<(int Total, List<Row> Rows)> SearchSqliteAsync(ApplicationDbContext db, string match, List<int> rooms, int skip, int take, CancellationToken cancellationToken)
    {
        var roomsJson = JsonSerializer.Serialize(rooms);
        var total = await db.Database.SqlQuery<int>($"""
            SELECT COUNT(*) AS "Value" FROM "MessagesFts" JOIN "Messages" m ON m."Id" = "MessagesFts".rowid
            WHERE "MessagesFts" MATCH {match} AND m."DeletedAt" IS NULL AND m."RoomId" IN (SELECT value FROM json_each({roomsJson}))
            """).SingleAsync(cancellationToken);
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT m."Id" AS "MessageId", m."RoomId", m."Sequence", m."AuthorId", m."CreatedAt", m."ThreadRootId",
                   snippet("MessagesFts", 0, char(2), char(3), '…', 14) AS "Snippet"
            FROM "MessagesFts" JOIN "Messages" m ON m."Id" = "MessagesFts".rowid
            WHERE "MessagesFts" MATCH {match} AND m."DeletedAt" IS NULL AND m."RoomId" IN (SELECT value FROM json_each({roomsJson}))
            ORDER BY m."Id" DESC LIMIT {take} OFFSET {skip}
            """).ToListAsync(cancellationToken);
        return (total, rows);
    }

    /// <summary>The page is taken first, so ts_headline runs on its rows only.</summary>
    private static async Task<(int Total, List<Row> Rows)> SearchPostgresAsync(ApplicationDbContext db, string tsQuery, int[] rooms, int skip, int take, CancellationToken cancellationToken)
    {
        var total = await db.Database.SqlQuery<int>($"""
            SELECT COUNT(*)::int AS "Value" FROM "Messages" m
            WHERE to_tsvector('simple', m."Text") @@ to_tsquery('simple', {tsQuery}) AND m."DeletedAt" IS NULL AND m."RoomId" = ANY({rooms})
            """).SingleAsync(cancellationToken);
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT p."Id" AS "MessageId", p."RoomId", p."Sequence", p."AuthorId", p."CreatedAt", p."ThreadRootId",
                   replace(ts_headline('simple', replace(p."Text", '<', chr(1)), to_tsquery('simple', {tsQuery}), {HeadlineOptions}), chr(1), '<') AS "Snippet"
            FROM (
                SELECT m."Id", m."RoomId", m."Sequence", m."AuthorId", m."CreatedAt", m."ThreadRootId", m."Text" FROM "Messages" m
                WHERE to_tsvector('simple', m."Text") @@ to_tsquery('simple', {tsQuery}) AND m."DeletedAt" IS NULL AND m."RoomId" = ANY({rooms})
                ORDER BY m."Id" DESC LIMIT {take} OFFSET {skip}
            ) p
            ORDER BY p."Id" DESC
            """).ToListAsync(cancellationToken);
        return (total, rows);
    }

    /// <summary>The words of the query, with anything but letters, digits and ' - _ . taken out; at most ten.</summary>
    private static List<string> Terms(string? query) =>
        (query ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(term => new string([.. term.Where(c => char.IsLetterOrDigit(c) || c is '\'' or '-' or '_' or '.')]))
            .Where(term => term.Length > 0)
            .Take(10)
            .ToList();

    /// <summary>Each word becomes a quoted FTS5 term (the last one a prefix), so user input is never FTS syntax.</summary>
    public static string? ToMatchExpression(string? query) => Terms(query) is { Count: > 0 } terms
        ? string.Join(' ', terms.Select((term, i) => $"\"{term.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" + (i == terms.Count - 1 ? "*" : "")))
        : null;

    /// <summary>
    /// Each word becomes a quoted tsquery lexeme, all required, the last one a prefix, so user input is never tsquery
    /// syntax. PostgreSQL's parser splits a quoted word as it split the text (don't → 'don' &lt;-&gt; 't').
    /// </summary>
    public static string? ToTsQuery(string? query) => Terms(query) is { Count: > 0 } terms
        ? string.Join(" & ", terms.Select((term, i) => $"'{term.Replace("'", "''", StringComparison.Ordinal)}'" + (i == terms.Count - 1 ? ":*" : "")))
        : null;

    /// <summary>Encodes the snippet as text, then turns the match markers (FTS5's or ts_headline's) into &lt;mark&gt;.</summary>
    private static string Highlight(string snippet) =>
        WebUtility.HtmlEncode(snippet).Replace(MarkStart.ToString(), "<mark>", StringComparison.Ordinal).Replace(MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);

    private sealed class Row
    {
        public long MessageId { get; set; }

        public int RoomId { get; set; }

        public long Sequence { get; set; }

        public string? AuthorId { get; set; }

        public DateTime CreatedAt { get; set; }

        public long? ThreadRootId { get; set; }

        public string Snippet { get; set; } = "";
    }
}

using System.Collections.Concurrent;

namespace ChatApp.Chat;

/// <summary>
/// The formatted HTML of message texts, shared by every open tab of this server.
/// </summary>
/// <remarks>
/// Every tab showing a message renders it itself, so a message in a room of N open tabs was formatted N times
/// (Markdown parsing was ~6 % of the server's time in the S2 N = 1,000 profile) and N copies of its HTML stayed in
/// memory. A text without '@' formats the same for everybody, so it is formatted once and the string shared. A text
/// with '@' may mention members, and which names are members depends on the room and the moment: it is formatted
/// for each use, as before. The cache holds at most <see cref="MaxCharacters"/> characters of texts and HTML and is
/// emptied when full — recent messages, the ones being fanned out, are formatted again at most once.
/// </remarks>
public sealed class MessageHtmlCache
{
    internal const int MaxCharacters = 4 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, string> entries = new(StringComparer.Ordinal);
    private long characters;

    /// <summary>Formatted, safe HTML for <paramref name="text"/> (<see cref="MessageFormatter.ToHtml"/>).</summary>
    public string ToHtml(string text, IReadOnlyDictionary<string, string> mentions)
    {
        if (text.Contains('@'))
        {
            return MessageFormatter.ToHtml(text, mentions);
        }
        if (entries.TryGetValue(text, out var html))
        {
            return html;
        }
        html = MessageFormatter.ToHtml(text);
        if (Interlocked.Add(ref characters, text.Length + html.Length) > MaxCharacters)
        {
            entries.Clear();
            Interlocked.Exchange(ref characters, text.Length + html.Length);
        }
        entries.TryAdd(text, html);
        return html;
    }

    internal int Count => entries.Count;
}

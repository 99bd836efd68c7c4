using System.Net;
using System.Text;
using Markdig;
using Markdig.Extensions.AutoLinks;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ChatApp.Chat;

/// <summary>
/// The one renderer that turns message text into HTML. It parses a Markdown subset with Markdig (raw HTML
/// disabled) and writes the HTML itself from an allow-list: p, br, strong, em, del, code, pre, blockquote,
/// ul, ol, li, a (http, https and mailto only, with rel="noopener noreferrer nofollow") and mention spans.
/// Everything else — raw HTML, images, headings' markup, unknown nodes — comes out as escaped text.
/// </summary>
public static class MessageFormatter
{
    public const string LinkRel = "noopener noreferrer nofollow";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks(new AutoLinkOptions { OpenInNewWindow = false })
        .UseEmphasisExtras(Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Strikethrough)
        .Build();

    private static readonly string[] AllowedSchemes = ["http", "https", "mailto"];

    /// <summary>Renders message text; <paramref name="mentions"/> maps member display names to user ids.</summary>
    public static string ToHtml(string text, IReadOnlyDictionary<string, string>? mentions = null)
    {
        var document = Markdown.Parse(text, Pipeline);
        var html = new StringBuilder(text.Length + 32);
        var writer = new Writer(html, mentions ?? new Dictionary<string, string>());
        foreach (var block in document)
        {
            writer.WriteBlock(block);
        }
        return html.ToString();
    }

    /// <summary>
    /// The members a text mentions (by display name, longest match first, not inside a word) and whether it
    /// mentions @room. Code spans are not excluded: a name in code still notifies, as in most chats.
    /// </summary>
    public static (IReadOnlySet<string> UserIds, bool Room) ExtractMentions(string text, IReadOnlyDictionary<string, string> members)
    {
        var found = new HashSet<string>();
        var room = false;
        for (var at = text.IndexOf('@'); at >= 0; at = text.IndexOf('@', at + 1))
        {
            if (at > 0 && char.IsLetterOrDigit(text[at - 1]))
            {
                continue;
            }
            if (MatchName(text, at + 1, members) is { } match)
            {
                found.Add(match.UserId);
                at += match.Name.Length;
            }
            else if (string.Compare(text, at + 1, RoomMention, 0, RoomMention.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (at + 1 + RoomMention.Length == text.Length || !char.IsLetterOrDigit(text[at + 1 + RoomMention.Length])))
            {
                room = true;
            }
        }
        return (found, room);
    }

    /// <summary>"@room" notifies everyone in the room; also the user id its mention span carries.</summary>
    public const string RoomMention = "room";

    private static (string Name, string UserId)? MatchName(string text, int from, IReadOnlyDictionary<string, string> members)
    {
        (string, string)? best = null;
        foreach (var (name, userId) in members)
        {
            if (from + name.Length <= text.Length
                && string.Compare(text, from, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (from + name.Length == text.Length || !char.IsLetterOrDigit(text[from + name.Length]))
                && (best is null || name.Length > best.Value.Item1.Length))
            {
                best = (name, userId);
            }
        }
        return best;
    }

    /// <summary>True for the link targets a message may carry.</summary>
    public static bool IsAllowedUrl(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && AllowedSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase);

    private sealed class Writer(StringBuilder html, IReadOnlyDictionary<string, string> mentions)
    {
        public void WriteBlock(Block block)
        {
            switch (block)
            {
                case ParagraphBlock paragraph:
                    html.Append("<p>");
                    WriteInlines(paragraph.Inline);
                    html.Append("</p>");
                    break;
                case HeadingBlock heading:
                    // Chat has no headings: a "# title" line stays a plain, bold paragraph.
                    html.Append("<p><strong>");
                    WriteInlines(heading.Inline);
                    html.Append("</strong></p>");
                    break;
                case QuoteBlock quote:
                    html.Append("<blockquote>");
                    foreach (var child in quote)
                    {
                        WriteBlock(child);
                    }
                    html.Append("</blockquote>");
                    break;
                case ListBlock list:
                    html.Append(list.IsOrdered ? "<ol>" : "<ul>");
                    foreach (var item in list)
                    {
                        html.Append("<li>");
                        foreach (var child in (ListItemBlock)item)
                        {
                            WriteBlock(child);
                        }
                        html.Append("</li>");
                    }
                    html.Append(list.IsOrdered ? "</ol>" : "</ul>");
                    break;
                case CodeBlock code:
                    html.Append("<pre><code>");
                    Escape(string.Join('\n', code.Lines.Lines.Take(code.Lines.Count).Select(l => l.ToString())));
                    html.Append("</code></pre>");
                    break;
                case ThematicBreakBlock:
                    html.Append("<hr>");
                    break;
                case LeafBlock leaf:
                    // Anything else (raw HTML blocks included) is shown as the text it is.
                    html.Append("<p>");
                    Escape(string.Join('\n', leaf.Lines.Lines.Take(leaf.Lines.Count).Select(l => l.ToString())));
                    html.Append("</p>");
                    break;
                case ContainerBlock container:
                    foreach (var child in container)
                    {
                        WriteBlock(child);
                    }
                    break;
            }
        }

        private void WriteInlines(ContainerInline? container)
        {
            for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
            {
                WriteInline(inline);
            }
        }

        private void WriteInline(Inline inline)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    WriteText(literal.Content.ToString());
                    break;
                case CodeInline code:
                    html.Append("<code>");
                    Escape(code.Content);
                    html.Append("</code>");
                    break;
                case EmphasisInline emphasis:
                    var tag = emphasis.DelimiterChar == '~' ? "del" : emphasis.DelimiterCount >= 2 ? "strong" : "em";
                    html.Append('<').Append(tag).Append('>');
                    WriteInlines(emphasis);
                    html.Append("</").Append(tag).Append('>');
                    break;
                case LinkInline link when !link.IsImage && IsAllowedUrl(link.Url):
                    OpenLink(link.Url!);
                    if (link.FirstChild is null)
                    {
                        Escape(link.Url!);
                    }
                    WriteInlines(link);
                    html.Append("</a>");
                    break;
                case LinkInline link:
                    // Images and links to other schemes (javascript:, data:, …) are shown as their text only.
                    if (link.FirstChild is null)
                    {
                        Escape(link.Url ?? "");
                    }
                    WriteInlines(link);
                    break;
                case AutolinkInline autolink:
                    var url = autolink.IsEmail ? $"mailto:{autolink.Url}" : autolink.Url;
                    if (IsAllowedUrl(url))
                    {
                        OpenLink(url);
                        Escape(autolink.Url);
                        html.Append("</a>");
                    }
                    else
                    {
                        Escape(autolink.Url);
                    }
                    break;
                case LineBreakInline:
                    html.Append("<br>");
                    break;
                case HtmlEntityInline entity:
                    Escape(entity.Transcoded.ToString());
                    break;
                case HtmlInline raw:
                    Escape(raw.Tag);
                    break;
                case ContainerInline container:
                    WriteInlines(container);
                    break;
                default:
                    Escape(inline.ToString() ?? "");
                    break;
            }
        }

        private void OpenLink(string url) =>
            html.Append("<a href=\"").Append(WebUtility.HtmlEncode(url.Trim())).Append("\" rel=\"").Append(LinkRel).Append("\" target=\"_blank\">");

        /// <summary>Escaped text, with @mentions of room members (longest name first) wrapped in a span.</summary>
        private void WriteText(string text)
        {
            var start = 0;
            for (var at = text.IndexOf('@'); at >= 0; at = text.IndexOf('@', at + 1))
            {
                if (at > 0 && char.IsLetterOrDigit(text[at - 1]))
                {
                    continue;
                }
                var match = MatchName(text, at + 1, mentions);
                if (match is null)
                {
                    continue;
                }
                Escape(text[start..at]);
                var (name, userId) = match.Value;
                html.Append("<span class=\"mention\" data-user-id=\"").Append(WebUtility.HtmlEncode(userId)).Append("\">@");
                Escape(text.Substring(at + 1, name.Length));
                html.Append("</span>");
                start = at + 1 + name.Length;
                at = start - 1;
            }
            Escape(text[start..]);
        }

        private void Escape(string text) => html.Append(WebUtility.HtmlEncode(text));
    }
}

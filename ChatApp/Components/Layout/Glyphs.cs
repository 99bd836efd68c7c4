using System.Collections.Frozen;
using System.Text.Encodings.Web;
using ChatApp.Chat;
using ChatApp.Data;
using Microsoft.AspNetCore.Components;

namespace ChatApp.Components.Layout;

/// <summary>
/// Small decorative pieces of markup used many times per page: avatars, presence dots, room glyphs and icons.
/// </summary>
/// <remarks>
/// They are neither components nor Razor markup but one prebuilt HTML string each. Every open tab keeps the render
/// tree of its page (twice: the current and the previous one, for diffing), and the S1 heap profile showed those
/// trees as the largest part of an idle tab's memory. A component costs a tab its own state and two trees; markup
/// written in Razor costs a frame per element and attribute (an icon was about fifteen); a
/// <see cref="MarkupString"/> is one frame. The only text from users here, an avatar's initials, is HTML-encoded;
/// everything else is constant. Styles are global (wwwroot/app.css), since scoped CSS does not reach markup strings.
/// </remarks>
public static class Glyphs
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <summary>Initials on a colour derived from the name; purely decorative next to the visible name.</summary>
    public static MarkupString Avatar(string name) => new(
        $"<span class=\"avatar\" style=\"--avatar-hue: {AvatarText.Hue(name)}\" aria-hidden=\"true\">{Encoder.Encode(AvatarText.Initials(name))}</span>");

    /// <summary>A coloured dot for online / away / offline, with the status as its accessible name.</summary>
    public static MarkupString Presence(PresenceStatus status) => status switch
    {
        PresenceStatus.Online => OnlineDot,
        PresenceStatus.Away => AwayDot,
        _ => OfflineDot,
    };

    /// <summary>The room's kind as a small glyph; decorative, the kind is also stated in words where it matters.</summary>
    public static MarkupString Room(RoomKind kind) => kind == RoomKind.Private ? PrivateRoom : PublicRoom;

    /// <summary>Small line icons drawn here (no icon font, no emoji font needed); always decorative.</summary>
    public static MarkupString Icon(string name, int size = 16) => Icons.GetOrAdd((name, size), static key => BuildIcon(key.Name, key.Size));

    // Icons are constant per name and size; built once, not on every render of every message.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Name, int Size), MarkupString> Icons = new();

    private static MarkupString BuildIcon(string name, int size) =>
        new($"<svg class=\"icon\" viewBox=\"0 0 24 24\" width=\"{size}\" height=\"{size}\" aria-hidden=\"true\" focusable=\"false\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\">{IconPaths.GetValueOrDefault(name, "")}</svg>");

    /// <summary>
    /// A MudBlazor icon (<c>Icons.Material.*</c>) as MudIcon would draw it at medium size, for the shell's buttons
    /// that are plain markup rather than components; always decorative (the button carries the name).
    /// </summary>
    public static MarkupString MudIcon(string icon) => MudIcons.GetOrAdd(icon, static svg => new(
        $"<svg class=\"mud-icon-root mud-svg-icon mud-inherit-text mud-icon-size-medium\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">{svg}</svg>"));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, MarkupString> MudIcons = new();

    /// <summary>The ChatApp logo in the header.</summary>
    public static readonly MarkupString BrandMark = new(
        "<svg class=\"brand-mark\" viewBox=\"0 0 32 32\" width=\"28\" height=\"28\" aria-hidden=\"true\" focusable=\"false\">" +
        "<rect x=\"2\" y=\"4\" width=\"22\" height=\"17\" rx=\"5\" fill=\"#818cf8\" /><path d=\"M8 21 L8 27 L14 21 Z\" fill=\"#818cf8\" />" +
        "<rect x=\"10\" y=\"10\" width=\"20\" height=\"15\" rx=\"5\" fill=\"#c7d2fe\" /><path d=\"M24 25 L26 29 L20 25 Z\" fill=\"#c7d2fe\" /></svg>");

    private static readonly MarkupString OnlineDot = Dot("online");
    private static readonly MarkupString AwayDot = Dot("away");
    private static readonly MarkupString OfflineDot = Dot("offline");

    private static MarkupString Dot(string status) =>
        new($"<span class=\"presence-dot presence-{status}\" title=\"{status}\" role=\"img\" aria-label=\"{status}\"></span>");

    private static readonly MarkupString PrivateRoom = new(
        "<svg class=\"room-icon\" viewBox=\"0 0 16 16\" width=\"13\" height=\"13\" aria-hidden=\"true\" focusable=\"false\">" +
        "<rect x=\"3\" y=\"7\" width=\"10\" height=\"8\" rx=\"1.5\" fill=\"currentColor\" />" +
        "<path d=\"M5 7V5a3 3 0 0 1 6 0v2\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.8\" /></svg>");

    private static readonly MarkupString PublicRoom = new("<span class=\"room-icon\" aria-hidden=\"true\">#</span>");

    private static readonly FrozenDictionary<string, string> IconPaths = new Dictionary<string, string>
    {
        ["paperclip"] = "<path d=\"M21 11.5l-8.6 8.6a5.5 5.5 0 01-7.8-7.8l8.6-8.6a3.7 3.7 0 015.2 5.2l-8.6 8.6a1.8 1.8 0 01-2.6-2.6l8-8\" />",
        ["bell"] = "<path d=\"M6 8a6 6 0 0112 0c0 7 3 8 3 8H3s3-1 3-8\" /><path d=\"M10.3 21a1.9 1.9 0 003.4 0\" />",
        ["file"] = "<path d=\"M14 3H6a2 2 0 00-2 2v14a2 2 0 002 2h12a2 2 0 002-2V9z\" /><path d=\"M14 3v6h6\" />",
        ["smile"] = "<circle cx=\"12\" cy=\"12\" r=\"9\" /><path d=\"M8.5 14a4 4 0 007 0\" /><path d=\"M9 9.5h.01M15 9.5h.01\" />",
        ["pin"] = "<path d=\"M9 3h6l-1 7 4 4H6l4-4z\" /><path d=\"M12 14v7\" />",
        ["bookmark"] = "<path d=\"M19 21l-7-5-7 5V5a2 2 0 012-2h10a2 2 0 012 2z\" />",
        ["more"] = "<circle cx=\"5\" cy=\"12\" r=\"1\" /><circle cx=\"12\" cy=\"12\" r=\"1\" /><circle cx=\"19\" cy=\"12\" r=\"1\" />",
        ["at"] = "<circle cx=\"12\" cy=\"12\" r=\"4\" /><path d=\"M16 8v5a3 3 0 006 0v-1a10 10 0 10-4 8\" />",
        ["thread"] = "<path d=\"M20 11.5a7.5 7.5 0 01-10.9 6.7L4 20l1.6-4.6A7.5 7.5 0 1120 11.5z\" /><path d=\"M8.5 10h7M8.5 13.5h4.5\" />",
    }.ToFrozenDictionary();
}

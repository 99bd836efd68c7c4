using AngleSharp.Html.Parser;
using ChatApp.Chat;
using ChatApp.Components.Layout;
using ChatApp.Data;

namespace ChatApp.Components;

[Trait("Cost", "component")]
public sealed class GlyphsTests
{
    private static AngleSharp.Dom.IElement Parse(Microsoft.AspNetCore.Components.MarkupString markup) =>
        Assert.Single(new HtmlParser().ParseDocument($"<body>{markup.Value}</body>").Body!.Children);

    [Fact]
    public void An_avatar_shows_the_initials_of_a_hostile_name_as_text()
    {
        // The avatar is a prebuilt HTML string; the initials are the only user text in it.
        var avatar = Parse(Glyphs.Avatar("<img src=x onerror=alert(1)> &amp;\"quoted"));

        Assert.Equal("span", avatar.LocalName);
        Assert.Empty(avatar.Children);
        Assert.Equal("<&", avatar.TextContent);
        Assert.Equal("true", avatar.GetAttribute("aria-hidden"));
    }

    [Fact]
    public void An_avatar_has_two_initials_and_a_stable_hue()
    {
        var avatar = Parse(Glyphs.Avatar("alice smith"));

        Assert.Equal("AS", avatar.TextContent);
        Assert.Equal($"--avatar-hue: {AvatarText.Hue("alice smith")}", avatar.GetAttribute("style"));
    }

    [Theory]
    [InlineData(PresenceStatus.Online, "online")]
    [InlineData(PresenceStatus.Away, "away")]
    [InlineData(PresenceStatus.Offline, "offline")]
    public void A_presence_dot_names_its_status(PresenceStatus status, string label)
    {
        var dot = Parse(Glyphs.Presence(status));

        Assert.Equal(label, dot.GetAttribute("aria-label"));
        Assert.Contains($"presence-{label}", dot.ClassList);
    }

    [Fact]
    public void Icons_and_room_glyphs_are_decorative()
    {
        Assert.Equal("true", Parse(Glyphs.Icon("paperclip", 18)).GetAttribute("aria-hidden"));
        Assert.Equal("18", Parse(Glyphs.Icon("paperclip", 18)).GetAttribute("width"));
        Assert.Equal("svg", Parse(Glyphs.Room(RoomKind.Private)).LocalName);
        Assert.Equal("#", Parse(Glyphs.Room(RoomKind.Public)).TextContent);
    }
}

namespace ChatApp.Security;

/// <summary>A status passes the display name's rules; its emoji field holds one emoji.</summary>
public sealed class StatusRulesTests
{
    [Theory]
    [InlineData("👍")]
    [InlineData("📅")]
    [InlineData("👩‍💻")]
    [InlineData("👋🏽")]
    [InlineData("🇫🇷")]
    [InlineData("❤️")]
    [InlineData(" 🌴 ")]
    [InlineData("")]
    [InlineData(null)]
    public void One_emoji_or_none_is_accepted(string? emoji) => Assert.Null(StatusRules.CheckEmoji(emoji));

    [Theory]
    [InlineData("👍👍")]
    [InlineData("a")]
    [InlineData("ok")]
    [InlineData("1")]
    [InlineData("👍 hi")]
    [InlineData("\u202E")]
    [InlineData("\u200B")]
    [InlineData("<b>")]
    public void Anything_but_one_emoji_is_refused(string emoji) => Assert.Equal("Pick a single emoji.", StatusRules.CheckEmoji(emoji));

    [Theory]
    [InlineData("In a meeting")]
    [InlineData("Back at 3, ping me!")]
    [InlineData("Out (sick) - back Monday.")]
    [InlineData("")]
    public void Plain_text_is_accepted(string text) => Assert.Null(StatusRules.CheckText(text));

    [Theory]
    [InlineData("In a\u202E meeting", "invisible")]
    [InlineData("In a\u200B meeting", "invisible")]
    [InlineData("In a\tmeeting", "invisible")]
    [InlineData("In a meeting 👍", "letters, digits")]
    [InlineData("<script>", "letters, digits")]
    [InlineData("12345678901234567890123456789012345678901", "at most 40")]
    public void Invisible_characters_symbols_and_long_text_are_refused(string text, string reason) =>
        Assert.Contains(reason, StatusRules.CheckText(text));

    [Fact]
    public void Text_is_stored_like_a_display_name_folded_and_with_single_spaces()
    {
        Assert.Equal("In a meeting", StatusRules.NormalizeText("  \uFF29n  a   meeting "));
        Assert.Null(StatusRules.NormalizeText("   "));
        // Forty visible characters after folding pass even when the raw text is longer.
        Assert.Null(StatusRules.CheckText(new string('a', 20) + "     " + new string('b', 19)));
    }

    [Fact]
    public void An_expiry_in_the_past_is_refused()
    {
        var now = new DateTime(2026, 12, 5, 14, 0, 0, DateTimeKind.Utc);
        Assert.NotNull(StatusRules.CheckExpiry(now, now));
        Assert.NotNull(StatusRules.CheckExpiry(now.AddMinutes(-5), now));
        Assert.Null(StatusRules.CheckExpiry(now.AddMinutes(5), now));
        Assert.Null(StatusRules.CheckExpiry(null, now));
    }
}

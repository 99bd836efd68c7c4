using ChatApp.Data;

namespace ChatApp.Chat;

/// <summary>What each notification level and do-not-disturb let through to a browser notification.</summary>
public sealed class NotificationRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 5, 14, 0, 0, DateTimeKind.Utc);

    private static ChatMessage Message(bool mentionsMe = false) =>
        new(1, 1, 1, "bob", "Bob", "hello", Now, null, false) { MentionedUserIds = mentionsMe ? ["me"] : [] };

    private static bool Notifies(NotificationLevel level, bool isDirect, bool mentionsMe, DateTime? doNotDisturbUntil = null, bool pageVisible = false) =>
        NotificationRules.ShouldNotify(Message(mentionsMe), "me", level, isDirect, doNotDisturbUntil, Now, pageVisible);

    [Theory]
    [InlineData(NotificationLevel.Default, false, false, false)]
    [InlineData(NotificationLevel.Default, false, true, true)]
    [InlineData(NotificationLevel.Default, true, false, true)]
    [InlineData(NotificationLevel.All, false, false, true)]
    [InlineData(NotificationLevel.Mentions, true, false, false)]
    [InlineData(NotificationLevel.Mentions, false, true, true)]
    [InlineData(NotificationLevel.Nothing, false, true, false)]
    [InlineData(NotificationLevel.Nothing, true, false, false)]
    public void Each_level_notifies_for_what_it_names(NotificationLevel level, bool isDirect, bool mentionsMe, bool expected) =>
        Assert.Equal(expected, Notifies(level, isDirect, mentionsMe));

    [Fact]
    public void Do_not_disturb_silences_everything_until_it_ends()
    {
        Assert.False(Notifies(NotificationLevel.All, isDirect: true, mentionsMe: true, doNotDisturbUntil: Now.AddMinutes(1)));
        Assert.True(Notifies(NotificationLevel.All, isDirect: true, mentionsMe: true, doNotDisturbUntil: Now));
        Assert.True(Notifies(NotificationLevel.All, isDirect: true, mentionsMe: true, doNotDisturbUntil: Now.AddMinutes(-1)));
    }

    [Fact]
    public void Nothing_notifies_while_the_tab_is_in_front_or_for_ones_own_message()
    {
        Assert.False(Notifies(NotificationLevel.All, isDirect: true, mentionsMe: true, pageVisible: true));
        Assert.False(NotificationRules.ShouldNotify(Message() with { AuthorId = "me" }, "me", NotificationLevel.All, true, null, Now, false));
    }

    [Theory]
    [InlineData(NotificationLevel.Default, true)]
    [InlineData(NotificationLevel.All, true)]
    [InlineData(NotificationLevel.Mentions, false)]
    [InlineData(NotificationLevel.Nothing, false)]
    public void Only_default_and_all_badge_every_unread_message(NotificationLevel level, bool expected) =>
        Assert.Equal(expected, NotificationRules.BadgesEveryMessage(level));

    [Theory]
    [InlineData("Mentions", NotificationLevel.Mentions)]
    [InlineData("Nothing", NotificationLevel.Nothing)]
    [InlineData("2", null)]
    [InlineData("42", null)]
    [InlineData("mentions", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Only_named_levels_parse(string? value, NotificationLevel? expected) =>
        Assert.Equal(expected, NotificationRules.ParseLevel(value));

    [Fact]
    public void Do_not_disturb_until_tomorrow_ends_at_nine_in_the_persons_time_zone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.Equal(new DateTime(2026, 12, 6, 8, 0, 0, DateTimeKind.Utc), NotificationSettings.Until("tomorrow", berlin, Now));
        Assert.Equal(Now.AddMinutes(30), NotificationSettings.Until("30m", berlin, Now));
        Assert.Null(NotificationSettings.Until("forever", berlin, Now));
        Assert.Equal("Do not disturb until 15:30", NotificationRules.DoNotDisturbLabel(Now.AddMinutes(30), berlin, Now));
        Assert.Equal("Do not disturb until Sun 09:00", NotificationRules.DoNotDisturbLabel(Now.AddHours(18), berlin, Now));
        Assert.Null(NotificationRules.DoNotDisturbLabel(Now.AddMinutes(-1), berlin, Now));
    }
}

using ChatApp.Components.Layout;

namespace ChatApp.Components.Layout;

[Trait("Cost", "component")]
public sealed class FuzzyMatchTests
{
    [Theory]
    [InlineData("design-review", "dr")]
    [InlineData("design-review", "desrev")]
    [InlineData("Bob Builder", "bb")]
    [InlineData("general", "GEN")]
    [InlineData("anything", "")]
    public void Letters_in_order_match(string candidate, string query) =>
        Assert.NotNull(FuzzyMatch.Score(candidate, query));

    [Theory]
    [InlineData("general", "gz")]
    [InlineData("design", "ngised")]
    [InlineData("ops", "opsx")]
    public void Missing_or_out_of_order_letters_do_not_match(string candidate, string query) =>
        Assert.Null(FuzzyMatch.Score(candidate, query));

    [Fact]
    public void A_prefix_beats_word_starts_which_beat_scattered_letters()
    {
        var prefix = FuzzyMatch.Score("devops", "dev");
        var wordStarts = FuzzyMatch.Score("design-everything-vault", "dev");
        var scattered = FuzzyMatch.Score("addressed-view", "dev");

        Assert.True(prefix > wordStarts, $"{prefix} vs {wordStarts}");
        Assert.True(wordStarts > scattered, $"{wordStarts} vs {scattered}");
    }
}

namespace ChatApp.Chat;

/// <summary>One formatting per text for every open tab, without sharing what depends on the room's members.</summary>
[Trait("Cost", "service")]
public sealed class MessageHtmlCacheTests
{
    private static readonly Dictionary<string, string> NoMembers = new(StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void A_text_without_mentions_is_formatted_once_and_shared()
    {
        var cache = new MessageHtmlCache();

        var first = cache.ToHtml("**hello** <b>", NoMembers);
        var second = cache.ToHtml(new string("**hello** <b>".AsSpan()), NoMembers);

        Assert.Equal("<p><strong>hello</strong> &lt;b&gt;</p>", first);
        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void A_text_with_an_at_sign_is_formatted_with_the_members_given_each_time()
    {
        var cache = new MessageHtmlCache();
        var withAlice = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Alice"] = "alice-id" };

        var mentioned = cache.ToHtml("hi @Alice", withAlice);
        var notAMember = cache.ToHtml("hi @Alice", NoMembers);

        Assert.Contains("data-user-id=\"alice-id\"", mentioned);
        Assert.DoesNotContain("data-user-id", notAMember);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_cache_is_bounded_by_characters()
    {
        var cache = new MessageHtmlCache();
        var text = new string('x', 100_000);

        for (var i = 0; i < 100; i++)
        {
            cache.ToHtml(text + i, NoMembers);
        }

        Assert.InRange(cache.Count, 1, MessageHtmlCache.MaxCharacters / 200_000 + 1);
    }
}

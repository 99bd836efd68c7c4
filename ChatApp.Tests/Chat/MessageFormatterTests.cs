namespace ChatApp.Chat;

/// <summary>The one renderer of user text: exact output for the supported subset and for hostile input.</summary>
[Trait("Cost", "service")]
public sealed class MessageFormatterTests
{
    private static readonly Dictionary<string, string> Members = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Alice"] = "alice-id",
        ["Alice Smith"] = "alice-smith-id",
        ["room"] = "room",
    };

    [Theory]
    [InlineData("hello", "<p>hello</p>")]
    [InlineData("**bold** and *italic* and ~~gone~~", "<p><strong>bold</strong> and <em>italic</em> and <del>gone</del></p>")]
    [InlineData("use `x < y`", "<p>use <code>x &lt; y</code></p>")]
    [InlineData("```\n<b>not bold</b>\n```", "<pre><code>&lt;b&gt;not bold&lt;/b&gt;</code></pre>")]
    [InlineData("> quoted", "<blockquote><p>quoted</p></blockquote>")]
    [InlineData("- one\n- two", "<ul><li><p>one</p></li><li><p>two</p></li></ul>")]
    [InlineData("1. first\n2. second", "<ol><li><p>first</p></li><li><p>second</p></li></ol>")]
    [InlineData("line one\nline two", "<p>line one<br>line two</p>")]
    [InlineData("# Big title", "<p><strong>Big title</strong></p>")]
    public void Renders_the_supported_markdown_subset(string text, string html)
    {
        Assert.Equal(html, MessageFormatter.ToHtml(text));
    }

    [Theory]
    [InlineData("[docs](https://example.com/a?b=1&c=2)", "<p><a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">docs</a></p>")]
    [InlineData("see https://example.com now", "<p>see <a href=\"https://example.com\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">https://example.com</a> now</p>")]
    [InlineData("[mail](mailto:a@example.com)", "<p><a href=\"mailto:a@example.com\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">mail</a></p>")]
    public void Links_are_http_https_or_mailto_and_never_carry_the_opener(string text, string html)
    {
        Assert.Equal(html, MessageFormatter.ToHtml(text));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")]
    [InlineData("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>")]
    [InlineData("hi <b onmouseover=alert(1)>there</b>", "<p>hi &lt;b onmouseover=alert(1)&gt;there&lt;/b&gt;</p>")]
    [InlineData("[click](javascript:alert(1))", "<p>click</p>")]
    [InlineData("[click](JaVaScRiPt:alert(1))", "<p>click</p>")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "<p>x</p>")]
    [InlineData("![pic](https://example.com/a.png)", "<p>pic</p>")]
    [InlineData("[a](https://x.example \"t\\\"onmouseover=alert(1)\")", "<p><a href=\"https://x.example\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">a</a></p>")]
    [InlineData("**<i>*nested*</i>**", "<p><strong>&lt;i&gt;<em>nested</em>&lt;/i&gt;</strong></p>")]
    [InlineData("[**x**](javascript:alert(1))", "<p><strong>x</strong></p>")]
    [InlineData("&lt;script&gt;", "<p>&lt;script&gt;</p>")]
    [InlineData("<div>\n<script>alert(1)</script>\n</div>", "<p>&lt;div&gt;<br>&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;/div&gt;</p>")]
    public void Hostile_input_comes_out_inert(string text, string html)
    {
        var rendered = MessageFormatter.ToHtml(text);

        Assert.Equal(html, rendered);
        Assert.DoesNotContain("<script", rendered, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", rendered, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", rendered, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Mentions_of_members_are_marked_longest_name_first_and_others_stay_text()
    {
        // An @ inside a word (an email address) is not a mention.
        var html = MessageFormatter.ToHtml("@Alice Smith and @alice, ping @room; @Mallory and mail@alice.example", Members);

        Assert.Equal(
            "<p><span class=\"mention\" data-user-id=\"alice-smith-id\">@Alice Smith</span> and " +
            "<span class=\"mention\" data-user-id=\"alice-id\">@alice</span>, ping " +
            "<span class=\"mention\" data-user-id=\"room\">@room</span>; @Mallory and mail@alice.example</p>",
            html);
    }
}

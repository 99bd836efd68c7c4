namespace ChatApp.Components.Layout;

public static class AvatarText
{
    /// <summary>Up to two initials: first letters of the first and last words.</summary>
    public static string Initials(string name)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length switch
        {
            0 => "?",
            1 => FirstLetter(words[0]),
            _ => FirstLetter(words[0]) + FirstLetter(words[^1]),
        };
    }

    /// <summary>A stable hue per name (not string.GetHashCode, which changes per process).</summary>
    public static int Hue(string name)
    {
        var hash = 17;
        foreach (var c in name)
        {
            hash = unchecked(hash * 31 + c);
        }
        return (int)((uint)hash % 360);
    }

    private static string FirstLetter(string word) =>
        char.IsSurrogate(word[0]) && word.Length > 1 ? word[..2] : word[..1].ToUpperInvariant();
}

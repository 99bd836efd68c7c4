namespace ChatApp.Components.Layout;

/// <summary>Scores how well a typed query matches a name, for the quick switcher: letters in order, gaps allowed.</summary>
public static class FuzzyMatch
{
    /// <summary>
    /// Null when the query's letters do not all appear in order in <paramref name="candidate"/>; otherwise a score,
    /// higher for better matches: a prefix beats a word start, which beats letters scattered through the name.
    /// </summary>
    public static int? Score(string candidate, string query)
    {
        if (query.Length == 0)
        {
            return 0;
        }
        if (candidate.StartsWith(query, StringComparison.OrdinalIgnoreCase))
        {
            return 1000 - candidate.Length;
        }
        var score = 0;
        var at = 0;
        var previousMatched = false;
        foreach (var wanted in query)
        {
            var found = -1;
            for (var i = at; i < candidate.Length; i++)
            {
                if (char.ToUpperInvariant(candidate[i]) == char.ToUpperInvariant(wanted))
                {
                    found = i;
                    break;
                }
            }
            if (found < 0)
            {
                return null;
            }
            var wordStart = found == 0 || !char.IsLetterOrDigit(candidate[found - 1]);
            score += wordStart ? 30 : previousMatched && found == at ? 15 : 1;
            previousMatched = true;
            at = found + 1;
        }
        return score - candidate.Length / 4;
    }
}

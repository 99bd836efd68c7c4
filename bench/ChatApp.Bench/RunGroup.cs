using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace ChatApp.Bench;

/// <summary>
/// The runs of one configuration: result files <c>&lt;name&gt;-1.json</c>, <c>&lt;name&gt;-2.json</c>, … (a run
/// number of one digit), or one older file <c>&lt;name&gt;.json</c> without a run number, read as one run.
/// When both exist, the numbered runs keep the name (tables that look a configuration up by name read them) and
/// the older file is a group of its own named <c>&lt;name&gt;.json</c>.
/// </summary>
public sealed partial class RunGroup(string name, IReadOnlyList<JsonObject> runs)
{
    public string Name => name;

    public IReadOnlyList<JsonObject> Runs => runs;

    public IEnumerable<JsonNode?> Results => runs.Select(run => run["result"]);

    public static Dictionary<string, RunGroup> From(IReadOnlyDictionary<string, JsonObject> results)
    {
        var numbered = results
            .Select(r => (Match: RunNumber().Match(r.Key), r.Value))
            .Where(r => r.Match.Success)
            .GroupBy(r => r.Match.Groups["name"].Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new RunGroup(g.Key, g.OrderBy(r => r.Match.Groups["run"].Value, StringComparer.Ordinal).Select(r => r.Value).ToList()), StringComparer.Ordinal);
        foreach (var (key, document) in results.Where(r => !RunNumber().IsMatch(r.Key)))
        {
            var single = numbered.ContainsKey(key) ? $"{key}.json" : key;
            numbered.Add(single, new RunGroup(single, [document]));
        }
        return numbered;
    }

    [GeneratedRegex("^(?<name>.+)-(?<run>[1-9])$")]
    private static partial Regex RunNumber();
}

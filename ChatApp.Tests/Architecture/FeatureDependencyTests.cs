using System.Text.RegularExpressions;

namespace ChatApp.Architecture;

/// <summary>Dependencies point one way: Components → features (Chat, Admin, Security, Cluster, Webhooks) → Data, no cycles between features.</summary>
[Trait("Cost", "service")]
public sealed partial class FeatureDependencyTests
{
    private static readonly string[] Features = ["Chat", "Security", "Admin", "Cluster", "Webhooks"];

    // ChatApp.Security… anywhere, or Security.Roles as code inside namespace ChatApp.X resolves it (System.Security is not).
    [GeneratedRegex(@"(?<![\w.])(?:ChatApp\.(Chat|Security|Admin|Cluster|Webhooks|Data)\b|(Chat|Security|Admin|Cluster|Webhooks)\.[A-Z])")]
    private static partial Regex FolderReference();

    private static string SourceRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ChatApp.sln")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("ChatApp.sln not found above the test binaries."), "ChatApp");
    }

    /// <summary>Which other folders each folder's sources name (in usings, qualified names or crefs).</summary>
    private static Dictionary<string, Dictionary<string, List<string>>> ReferencesByFolder()
    {
        var root = SourceRoot();
        var graph = new Dictionary<string, Dictionary<string, List<string>>>();
        foreach (var folder in Features.Append("Data"))
        {
            var edges = graph[folder] = [];
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal)))
            {
                foreach (Match match in FolderReference().Matches(File.ReadAllText(file)))
                {
                    var target = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
                    if (target != folder && target != "Data")
                    {
                        (edges.TryGetValue(target, out var files) ? files : edges[target] = []).Add(Path.GetFileName(file));
                    }
                }
            }
        }
        return graph;
    }

    [Fact]
    public void Feature_folders_have_no_dependency_cycle()
    {
        var graph = ReferencesByFolder();
        // The scan sees real dependencies (the admin console is built on chat services), so an empty result means something.
        Assert.Contains("Chat", graph["Admin"].Keys);
        var cycles = new List<string>();
        void Walk(string folder, List<string> path)
        {
            foreach (var next in graph[folder].Keys)
            {
                if (next == path[0])
                {
                    cycles.Add(string.Join(" → ", path.Append(next)) + $" ({string.Join(", ", path.Zip(path.Skip(1).Append(next), (from, to) => $"{from}→{to}: {string.Join(" ", graph[from][to].Distinct())}"))})");
                }
                else if (!path.Contains(next) && string.CompareOrdinal(next, path[0]) > 0)
                {
                    Walk(next, [.. path, next]);
                }
            }
        }
        foreach (var feature in Features)
        {
            Walk(feature, [feature]);
        }

        Assert.True(cycles.Count == 0, "Feature folders depend on each other in a cycle:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void Data_depends_on_no_feature_folder()
    {
        var data = ReferencesByFolder()["Data"];

        Assert.True(data.Count == 0, "Data names feature code: " + string.Join("; ", data.Select(e => $"{e.Key} in {string.Join(", ", e.Value.Distinct())}")));
    }

    [Fact]
    public void No_global_using_hides_a_folder_dependency()
    {
        var hidden = Directory.EnumerateFiles(SourceRoot(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadLines(f).Any(line => line.TrimStart().StartsWith("global using ChatApp.", StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(hidden);
    }
}

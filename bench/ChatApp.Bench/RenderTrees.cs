using Microsoft.Diagnostics.Runtime;

namespace ChatApp.Bench;

/// <summary>The render trees one kind of component holds, summed over a heap dump.</summary>
/// <param name="Component">The component's type.</param>
/// <param name="Instances">How many of them the dump holds.</param>
/// <param name="FramesInUse">Frames of the last render, per instance.</param>
/// <param name="CurrentSlots">Capacity of the tree of the last render, per instance.</param>
/// <param name="PreviousSlots">Capacity of the tree kept from the render before (Blazor diffs against it and reuses it).</param>
/// <param name="Bytes">Both trees' arrays, all instances.</param>
public sealed record RenderTreeTotal(string Component, int Instances, double FramesInUse, double CurrentSlots, double PreviousSlots, long Bytes);

/// <summary>
/// What each kind of component holds in render trees, read from a heap dump of the server (<c>dotnet-dump collect
/// --type Heap</c>; a .NET global tool: <c>dotnet tool install -g dotnet-dump</c>) with ClrMD. Every component keeps
/// the frames of its last render and, once it rendered twice, the array of the render before; the arrays start at 32
/// frames and double, so a component's cost is set by its frame count's power of two. S1 uses it to say which
/// components an idle tab's render trees are (bench/FINDINGS.md, seventeenth round).
/// </summary>
public static class RenderTrees
{
    /// <summary>A frame slot: <c>RenderTreeFrame</c> is 40 bytes on 64-bit.</summary>
    private const int FrameBytes = 40;

    /// <summary>Takes a heap dump of the process (kept at <paramref name="path"/>) and reads it.</summary>
    public static async Task<(List<RenderTreeTotal> Totals, int Renderers)> CollectAsync(int processId, string path, TextWriter log)
    {
        await DotnetTool.RunAsync("dotnet-dump", ["collect", "-p", processId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--type", "Heap", "-o", path]);
        var read = Read(path);
        log.WriteLine($"heap dump {path}: {read.Totals.Sum(t => t.Bytes) / 1048576.0:0.0} MB of render trees in {read.Totals.Sum(t => t.Instances)} components, {read.Renderers} circuits' renderers");
        return read;
    }

    /// <summary>Render trees by component type, largest first, and the number of circuits (remote renderers) in the dump.</summary>
    public static (List<RenderTreeTotal> Totals, int Renderers) Read(string dumpPath)
    {
        using var target = DataTarget.LoadDump(dumpPath);
        var clr = target.ClrVersions[0];
        // A heap dump carries no version resource for the runtime, so ClrMD cannot match its DAC; the DAC beside the
        // dumped runtime (this machine's, as the dump was taken here) is the right one.
        var dac = Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName) ?? "", "libmscordaccore.so");
        using var runtime = File.Exists(dac) ? clr.CreateRuntime(dac, ignoreMismatch: true) : clr.CreateRuntime();
        var sums = new Dictionary<string, (int Instances, long Frames, long Current, long Previous)>(StringComparer.Ordinal);
        var renderers = 0;
        foreach (var value in runtime.Heap.EnumerateObjects())
        {
            switch (value.Type?.Name)
            {
                case "Microsoft.AspNetCore.Components.Server.Circuits.RemoteRenderer":
                    renderers++;
                    break;
                case "Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState" or "Microsoft.AspNetCore.Components.Rendering.ComponentState":
                    var component = value.ReadObjectField("<Component>k__BackingField").Type?.Name ?? "?";
                    var (frames, current) = Tree(value.ReadObjectField("<CurrentRenderTree>k__BackingField"));
                    var (_, previous) = Tree(value.ReadObjectField("_nextRenderTree"));
                    var sum = sums.GetValueOrDefault(component);
                    sums[component] = (sum.Instances + 1, sum.Frames + frames, sum.Current + current, sum.Previous + previous);
                    break;
            }
        }
        var totals = sums
            .Select(s => new RenderTreeTotal(s.Key, s.Value.Instances, s.Value.Frames / (double)s.Value.Instances,
                s.Value.Current / (double)s.Value.Instances, s.Value.Previous / (double)s.Value.Instances, (s.Value.Current + s.Value.Previous) * FrameBytes))
            .OrderByDescending(t => t.Bytes)
            .ToList();
        return (totals, renderers);
    }

    /// <summary>Frames in use and slots allocated in one <c>RenderTreeBuilder</c>.</summary>
    private static (int InUse, int Slots) Tree(ClrObject builder)
    {
        if (builder.IsNull)
        {
            return (0, 0);
        }
        var entries = builder.ReadObjectField("_entries");
        var items = entries.ReadObjectField("_items");
        return (entries.ReadField<int>("_itemsInUse"), items.IsNull ? 0 : items.AsArray().Length);
    }

    /// <summary>The <c>render-trees --dump FILE</c> command: the table for a dump taken earlier.</summary>
    public static object? Print(string dumpPath, TextWriter output)
    {
        var (totals, renderers) = Read(dumpPath);
        output.WriteLine($"{renderers} circuits; render trees {totals.Sum(t => t.Bytes) / 1024.0 / Math.Max(1, renderers):0.0} KB per circuit");
        output.WriteLine("instances  frames  slots (last / previous)  KB per circuit  component");
        foreach (var t in totals)
        {
            output.WriteLine($"{t.Instances,9} {t.FramesInUse,7:0.0} {t.CurrentSlots,9:0} / {t.PreviousSlots,-9:0} {t.Bytes / 1024.0 / Math.Max(1, renderers),14:0.0}  {t.Component}");
        }
        return null;
    }
}

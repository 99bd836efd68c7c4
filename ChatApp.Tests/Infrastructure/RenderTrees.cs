using System.Collections;
using System.Reflection;
using ChatApp.Security;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;

// BL0006: reading the render trees is what this class is for; nothing here renders or changes frames.
#pragma warning disable BL0006

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// The render-tree memory a live tab keeps on the server: every component's frame arrays (the current tree, and the
/// previous one once it rendered again), in slots of one frame each. The arrays double when they fill (32, 64, 128 …
/// slots), so a component one frame over a power of two costs twice the slots. The framework keeps these in internal
/// types (the circuit registry, each circuit's renderer and component states), read here by reflection: a change of
/// their names in a later ASP.NET Core fails these lookups loudly, not silently.
/// </summary>
public static class RenderTrees
{
    private const BindingFlags Any = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>Frame slots per component type name, summed over the components of the signed-in person's connected tab.</summary>
    public static IReadOnlyDictionary<string, int> SlotsOfTab(IServiceProvider appServices, string userId)
    {
        var registryType = typeof(CircuitHandler).Assembly.GetType("Microsoft.AspNetCore.Components.Server.Circuits.CircuitRegistry", throwOnError: true)!;
        var registry = appServices.GetRequiredService(registryType);
        var connected = (IDictionary)Read(registry, "ConnectedCircuits");
        foreach (var host in connected.Values)
        {
            var session = ((IServiceProvider)Read(host!, "Services")).GetRequiredService<CircuitSession>();
            if (session.UserId != userId)
            {
                continue;
            }
            var states = (IDictionary)typeof(Renderer).GetField("_componentStateById", Any)!.GetValue(Read(host!, "Renderer"))!;
            var slots = new Dictionary<string, int>();
            foreach (ComponentState state in states.Values)
            {
                var name = state.Component.GetType().Name;
                slots[name] = slots.GetValueOrDefault(name) + Capacity(state, "CurrentRenderTree") + Capacity(state, "_nextRenderTree");
            }
            return slots;
        }
        throw new InvalidOperationException($"No connected tab of user {userId}.");
    }

    private static int Capacity(ComponentState state, string member)
    {
        var builder = (RenderTreeBuilder?)Read(state, member);
        return builder?.GetFrames().Array.Length ?? 0;
    }

    private static object Read(object target, string member)
    {
        // Private members are declared on one type of the hierarchy (RemoteComponentState derives from ComponentState).
        for (var type = target.GetType(); type is not null; type = type.BaseType)
        {
            if ((type.GetProperty(member, Any | BindingFlags.DeclaredOnly)?.GetValue(target) ?? type.GetField(member, Any | BindingFlags.DeclaredOnly)?.GetValue(target)) is { } value)
            {
                return value;
            }
        }
        throw new InvalidOperationException($"{target.GetType().Name}.{member} is not there (or null): the framework's internals changed.");
    }
}

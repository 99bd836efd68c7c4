using System.Text.Json;

namespace ChatApp.Architecture;

/// <summary>
/// The runtime settings the benchmarks measured (ChatApp.csproj says why each one is there) reach the runtimeconfig
/// that <c>dotnet ChatApp.dll</c> starts with: a project-file edit that drops one loses its figure silently.
/// </summary>
[Trait("Cost", "unit")]
public sealed class RuntimeSettingsTests
{
    [Theory]
    [InlineData("System.Runtime.TieredPGO", "false")]
    [InlineData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "0")]
    [InlineData("System.Threading.ThreadPool.MinThreads", "32")]
    [InlineData("System.GC.DynamicAdaptationMode", "0")]
    public void The_app_starts_with_the_measured_runtime_setting(string name, string value)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ChatApp.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty(name, out var actual), $"ChatApp.runtimeconfig.json does not set {name}");
        Assert.Equal(value, actual.ToString().ToLowerInvariant());
    }
}

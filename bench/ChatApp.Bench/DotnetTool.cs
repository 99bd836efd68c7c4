using System.Diagnostics;

namespace ChatApp.Bench;

/// <summary>Runs a .NET global tool (dotnet-gcdump, dotnet-dump) from ~/.dotnet/tools or the PATH.</summary>
public static class DotnetTool
{
    public static async Task<string> RunAsync(string tool, IEnumerable<string> arguments)
    {
        var installed = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", tool);
        var start = new ProcessStartInfo(File.Exists(installed) ? installed : tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await error}");
        }
        return await output;
    }
}

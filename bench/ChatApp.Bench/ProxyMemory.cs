namespace ChatApp.Bench;

/// <summary>
/// The resident memory of a proxy in front of the server (BENCH_PROXY=nginx): its master process and every child
/// (the workers), read from /proc on this machine, so S1 can say what a tab costs the deployment, not the app alone.
/// </summary>
public static class ProxyMemory
{
    /// <summary>The summed VmRSS, in bytes, of <paramref name="pid"/> and its children.</summary>
    public static long RssBytes(int pid)
    {
        long total = 0;
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out var id))
            {
                continue;
            }
            try
            {
                var status = File.ReadAllLines(Path.Combine(process, "status"));
                var parent = Field(status, "PPid:");
                if (id == pid || parent == pid)
                {
                    total += Field(status, "VmRSS:") * 1024;
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }
        return total;
    }

    private static long Field(string[] status, string name)
    {
        foreach (var line in status)
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}

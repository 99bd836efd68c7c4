using Microsoft.Playwright;

namespace ChatApp.Tests.Infrastructure;

/// <summary>The app on Kestrel (free loopback port) and one Debian Chromium shared by the browser tests.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public ChatAppFactory App { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Low enough for a test to reach with a few tabs; other tests use at most two per user.</summary>
    public const int MaxCircuitsPerUser = 3;

    private IPlaywright? playwright;

    public async Task InitializeAsync()
    {
        App.Settings["Chat:MaxCircuitsPerUser"] = MaxCircuitsPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Every test's users join #general: past 100 members it would become a big room (no typing), past 50 it would
        // get row feeds, part-way through the run, and which tests saw that would depend on their order. Big rooms and
        // row feeds have apps of their own.
        App.Settings["Chat:BigRoomMembers"] = "100000";
        App.Settings["Chat:LiveRowsMembers"] = "100000";
        App.StartKestrel();
        BaseUrl = App.BaseUrl;

        // Expectations with a product deadline (1 s delivery, 2 s revocation) pass their own, stricter timeout.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(playwright);
    }

    /// <summary>Debian's Chromium, headless, kept off the network this machine does not have.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserLocator.ChromiumPath,
            Headless = true,
            // The sandbox needs user namespaces that CI containers (running as root) do not have;
            // the rest keeps Chromium off the network this machine does not have.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

    /// <summary>The profiles the running test opened; closed when it ends (<see cref="ClosesBrowserProfilesAttribute"/>).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentQueue<IBrowserContext> OpenProfiles = new();

    /// <summary>
    /// Closes every profile opened since the last call: their pages, and with them their circuits on the server.
    /// Without it every user of every earlier test stayed open to the end of the run, and a late test ran beside
    /// a hundred idle tabs (the full suite's Chromium processes grew past a hundred on a 2-core machine).
    /// </summary>
    /// <summary>How long closing one profile may take before the run goes on without it (a hung close once stalled a run).</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(20);

    public static async Task CloseOpenProfilesAsync()
    {
        while (OpenProfiles.TryDequeue(out var context))
        {
            try
            {
                await context.CloseAsync().WaitAsync(CloseTimeout);
            }
            catch (TimeoutException)
            {
                Console.Error.WriteLine($"A browser profile did not close within {CloseTimeout.TotalSeconds} s; going on.");
            }
        }
    }

    /// <summary>A fresh browser profile: its own cookies, like a separate person (on the fixture's app, or on <paramref name="baseUrl"/>).</summary>
    public async Task<IPage> NewUserPageAsync(Func<IBrowserContext, Task>? prepare = null, string? baseUrl = null)
    {
        // IgnoreHTTPSErrors: an app served over TLS in a test (ChatAppFactory.StartKestrelOverTls) has a self-signed certificate.
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl ?? BaseUrl, ViewportSize = new() { Width = 1280, Height = 800 }, IgnoreHTTPSErrors = true });
        OpenProfiles.Enqueue(context);
        // Generous for a loaded 2-core CI machine; every wait is on a condition, so passing runs are not slower.
        context.SetDefaultTimeout(15_000);
        if (prepare is not null)
        {
            await prepare(context);
        }
        return await context.NewPageAsync();
    }

    /// <summary>A unique suffix so tests sharing one server never see each other's names.</summary>
    public static string Unique() => Guid.NewGuid().ToString("N")[..8];

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>On a browser test class: the browser profiles a test opened are closed when it ends.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ClosesBrowserProfilesAttribute : Xunit.Sdk.BeforeAfterTestAttribute
{
    public override void After(System.Reflection.MethodInfo methodUnderTest) =>
        // xunit's hook is synchronous; off its synchronization context so the wait cannot deadlock.
        Task.Run(BrowserFixture.CloseOpenProfilesAsync).GetAwaiter().GetResult();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

public static class BrowserLocator
{
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool IsAvailable => File.Exists(ChromiumPath);

    /// <summary>On CI a missing browser must fail the run, not skip it.</summary>
    public static bool MustRun => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A browser test: skipped with an install hint where Chromium is missing, except on CI.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!BrowserLocator.IsAvailable && !BrowserLocator.MustRun)
        {
            Skip = $"Chromium not found at {BrowserLocator.ChromiumPath}: run 'apt-get install -y chromium' or set CHROMIUM_PATH.";
        }
    }
}

/// <summary>A browser theory (e.g. once per colour theme); skipped like <see cref="BrowserFactAttribute"/>.</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (!BrowserLocator.IsAvailable && !BrowserLocator.MustRun)
        {
            Skip = $"Chromium not found at {BrowserLocator.ChromiumPath}: run 'apt-get install -y chromium' or set CHROMIUM_PATH.";
        }
    }
}

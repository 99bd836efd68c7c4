using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatApp.Tests.Infrastructure;

/// <summary>The chat services on a real database (a SQLite file or a PostgreSQL database of its own), without the web host.</summary>
public sealed class ChatServices : IAsyncDisposable
{
    private readonly string directory;
    private readonly TestDatabase? ownDatabase;
    private readonly ServiceProvider provider;

    private ChatServices(ServiceProvider provider, string directory, TestDatabase? ownDatabase)
    {
        this.provider = provider;
        this.directory = directory;
        this.ownDatabase = ownDatabase;
    }

    /// <param name="sharedDatabase">A database other instances use too (servers of one cluster); the caller disposes it.</param>
    /// <param name="settings">Configuration on top, e.g. Chat:Redis:Configuration (then the backplane starts, as the host would start it).</param>
    /// <param name="addServices">Services on top (test doubles for what the web host adds, such as ILiveRows).</param>
    public static async Task<ChatServices> StartAsync(DatabaseProvider databaseProvider, Action<ChatOptions>? configure = null, TimeProvider? time = null,
        TestDatabase? sharedDatabase = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? addServices = null)
    {
        var directory = Directory.CreateTempSubdirectory("chatapp-services-").FullName;
        var ownDatabase = sharedDatabase is null ? TestDatabase.Create(databaseProvider, directory) : null;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection((sharedDatabase ?? ownDatabase)!.Settings)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        var environment = new TestHostEnvironment { ContentRootPath = directory };
        services.AddSingleton<IHostEnvironment>(environment);
        services.AddChatData(configuration, environment);
        services.AddOptions<ChatOptions>().Configure(options => configure?.Invoke(options));
        services.AddChat();
        services.AddSingleton<LiveCircuits>();
        services.AddChatCluster(configuration);
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        addServices?.Invoke(services);
        var provider = services.BuildServiceProvider(validateScopes: true);
        await provider.InitializeDatabaseAsync();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
        return new ChatServices(provider, directory, ownDatabase);
    }

    public RoomService Rooms => provider.GetRequiredService<RoomService>();

    public MessageService Messages => provider.GetRequiredService<MessageService>();

    public ReactionService Reactions => provider.GetRequiredService<ReactionService>();

    /// <summary>
    /// A tab signed in as <paramref name="reader"/> with a room open and live; its dispatcher runs one piece of work at a
    /// time, as the page's InvokeAsync does.
    /// </summary>
    public async Task<ChatTab> OpenLiveTabAsync(ChatUser reader, int roomId, Action<OpenRoom.Change>? render = null)
    {
        var tab = CreateTab(new RecordingRecipient(reader.Id));
        Assert.True(await tab.SignInAsync(reader.Id));
        await tab.OpenAsync((await Membership.GetVisibleRoomAsync(reader.Id, roomId))!);
        var gate = new SemaphoreSlim(1, 1);
        await tab.GoLiveAsync(async work =>
        {
            await gate.WaitAsync();
            try
            {
                await work();
            }
            finally
            {
                gate.Release();
            }
        }, render ?? (_ => { }), _ => Task.CompletedTask);
        return tab;
    }

    /// <summary>Waits (up to 5 s) for a condition that live events make true, then asserts it.</summary>
    public static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition());
    }

    /// <summary>A chat tab's state for one reader, built as the chat page builds it (its services from the container).</summary>
    public ChatTab CreateTab(IChatRecipient recipient) =>
        ActivatorUtilities.CreateInstance<ChatTab>(provider, recipient, (IRoomHistory)provider.GetRequiredService<MarkedHistory>());

    public RoomMembership Membership => provider.GetRequiredService<RoomMembership>();

    public IChatNotifier Notifier => provider.GetRequiredService<IChatNotifier>();

    public PresenceTracker Presence => provider.GetRequiredService<PresenceTracker>();

    public SearchService Search => provider.GetRequiredService<SearchService>();

    public AttachmentService Attachments => provider.GetRequiredService<AttachmentService>();

    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    public ChatOptions Options => provider.GetRequiredService<IOptions<ChatOptions>>().Value;

    public ApplicationDbContext CreateDbContext() => provider.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContext();

    /// <summary>Creates an account the way registration leaves it: in the database and in #general.</summary>
    public async Task<ChatUser> CreateUserAsync(string displayName)
    {
        var user = new ApplicationUser
        {
            DisplayName = displayName,
            NormalizedDisplayName = ApplicationUser.NormalizeDisplayName(displayName),
            UserName = $"{Guid.NewGuid():N}@example.com",
        };
        user.NormalizedUserName = user.UserName.ToUpperInvariant();
        user.Email = user.UserName;
        user.NormalizedEmail = user.NormalizedUserName;
        await using (var db = CreateDbContext())
        {
            db.Users.Add(user);
            await db.SaveChangesAsync();
        }
        await Rooms.JoinDefaultRoomAsync(user.Id, displayName);
        return new ChatUser(user.Id, displayName);
    }

    /// <summary>Mutes a member the way the moderation action stores it: the row, then the membership cache.</summary>
    public async Task MuteAsync(int roomId, string userId, DateTime? until)
    {
        await using (var db = CreateDbContext())
        {
            await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(m => m.MutedUntil, until));
        }
        Membership.MuteChanged(roomId, userId, until);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StopAsync(CancellationToken.None);
        }
        await provider.DisposeAsync();
        ownDatabase?.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}

public sealed class TestHostEnvironment : IHostEnvironment
{
    public string EnvironmentName { get; set; } = "Testing";

    public string ApplicationName { get; set; } = "ChatApp.Tests";

    public string ContentRootPath { get; set; } = "";

    public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
}

/// <summary>A clock the test moves by hand (timers still run on real time).</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}

/// <summary>A subscriber standing in for a circuit; records what it was sent.</summary>
public sealed class RecordingRecipient(string userId) : IChatRecipient
{
    private readonly List<object> received = [];

    public string UserId => userId;

    public bool IsActive { get; set; } = true;

    public IReadOnlyList<object> Received
    {
        get
        {
            lock (received)
            {
                return [.. received];
            }
        }
    }

    public Task OnEventAsync(object chatEvent)
    {
        lock (received)
        {
            received.Add(chatEvent);
        }
        return Task.CompletedTask;
    }

    public IEnumerable<T> OfType<T>() => Received.OfType<T>();
}

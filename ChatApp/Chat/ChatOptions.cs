using System.ComponentModel.DataAnnotations;

namespace ChatApp.Chat;

public enum RegistrationMode
{
    /// <summary>Anyone can create an account.</summary>
    Open,

    /// <summary>Only admins create accounts.</summary>
    Closed,
}

/// <summary>Settings of the <c>Chat</c> configuration section.</summary>
public sealed class ChatOptions
{
    public const string SectionName = "Chat";

    public RegistrationMode Registration { get; set; } = RegistrationMode.Open;

    /// <summary>
    /// The address people open ChatApp at (e.g. https://chat.example.com): the base of every link in account
    /// emails, and the only host name served when AllowedHosts is not set. Required when Smtp:Host is set.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Accounts registered with one of these emails are granted the Admin role.</summary>
    public string[] AdminEmails { get; set; } = [];

    [Range(1, 100_000)]
    public int MaxMessageLength { get; set; } = 4000;

    /// <summary>Messages shown when a room opens, and per page when scrolling up.</summary>
    [Range(10, 500)]
    public int HistoryPageSize { get; set; } = 50;

    /// <summary>
    /// Most messages one open tab holds; scrolling past it drops messages at the far end, which load again when
    /// scrolled back to. Bounds a tab's memory however far back someone reads.
    /// </summary>
    [Range(100, 10_000)]
    public int MaxMessagesPerTab { get; set; } = 300;

    /// <summary>People in a group direct message, including its creator.</summary>
    [Range(2, 50)]
    public int MaxDirectMessageMembers { get; set; } = 8;

    /// <summary>Messages one room may have pinned at once.</summary>
    [Range(1, 1000)]
    public int MaxPinnedPerRoom { get; set; } = 50;

    /// <summary>Messages one person may have saved at once.</summary>
    [Range(1, 100_000)]
    public int MaxSavedMessages { get; set; } = 1000;

    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan AwayAfter { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan TypingTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Rooms with more members than this are big rooms (issue 16): nobody is shown typing there (like Zulip's default of
    /// 100: every keystroke burst would reach every reader), and who is online (the header's count, the member list) is
    /// refreshed every <see cref="BigRoomPresenceEvery"/> instead of on every arrival and departure.
    /// </summary>
    [Range(0, 100_000)]
    public int BigRoomMembers { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan BigRoomPresenceEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// In rooms of more than <see cref="LiveRowsMembers"/> members a new message's row goes to each reader's browser
    /// over the tab's row feed, rendered once per server, instead of through a render of every reader's circuit
    /// (docs/architecture.md, "Row feeds"). Off: every row is rendered by each circuit, as in small rooms.
    /// </summary>
    public bool LiveRows { get; set; } = true;

    /// <summary>
    /// Rooms with more members than this use row feeds (<see cref="LiveRows"/>). Lower than <see cref="BigRoomMembers"/>:
    /// a feed changes nothing a reader sees (typing and presence stay as they are), it only spares every circuit the
    /// render; below it a second socket per tab costs more than the renders it saves.
    /// </summary>
    [Range(0, 100_000)]
    public int LiveRowsMembers { get; set; } = 50;

    /// <summary>Rows a tab's feed may have waiting; a browser that falls this far behind loses its feed (its circuit renders instead).</summary>
    [Range(8, 10_000)]
    public int LiveRowsQueue { get; set; } = 256;

    /// <summary>
    /// How long a tab's circuit may wait before it takes in rows its feed already put in the browser: the rows of that
    /// time reach the circuit together, in one turn of its dispatcher (any other event, or the reader acting on a row,
    /// takes them in at once). Each wait ends at a random point of its second half, so that the readers of a row do not
    /// all take it in at the same moment. Zero: each row on its own, at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan LiveRowsCircuitWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// While messages keep arriving in a room being read, each tab saves its read marker at most this often (the first
    /// read after a quiet spell is saved within 250 ms). A reader's other tabs and devices clear their badges this late.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.250", "00:01:00")]
    public TimeSpan ReadMarkerInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Origins besides the app's own that may open the Blazor connection (e.g. https://chat.example.com).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public ChatForwardedHeadersOptions ForwardedHeaders { get; set; } = new();

    /// <summary>Live circuits (open tabs) one user may have at once.</summary>
    [Range(1, 1000)]
    public int MaxCircuitsPerUser { get; set; } = 20;

    /// <summary>Blazor connections one client address may hold without signing in (no page needs one; scripts do).</summary>
    [Range(0, 1000)]
    public int MaxAnonymousConnectionsPerClient { get; set; } = 4;

    public ChatRateLimitOptions RateLimit { get; set; } = new();

    public ChatAttachmentOptions Attachments { get; set; } = new();
}

/// <summary>The <c>Chat:ForwardedHeaders</c> section: which reverse proxies may tell the app who the client is.</summary>
public sealed class ChatForwardedHeadersOptions
{
    /// <summary>
    /// IP addresses of the proxies in front of the app (e.g. 127.0.0.1 for nginx on the same machine). Only
    /// requests from these carry trusted X-Forwarded-For and X-Forwarded-Proto; empty means no proxy, and the
    /// headers are ignored, so a client cannot choose the address its sessions, audit entries and rate limits see.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];
}

/// <summary>The <c>Chat:Attachments</c> section.</summary>
public sealed class ChatAttachmentOptions
{
    [Range(1, 1L << 31)]
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Where files are stored, outside wwwroot; relative paths are under the content root.</summary>
    public string Directory { get; set; } = "App_Data/attachments";

    /// <summary>Bytes of files one user may store, sent or not (1 GB).</summary>
    [Range(1, long.MaxValue)]
    public long QuotaBytes { get; set; } = 1L << 30;

    /// <summary>Uploads never sent with a message are removed after this long.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan OrphanAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often orphaned uploads are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>The <c>Chat:RateLimit</c> section.</summary>
public sealed class ChatRateLimitOptions
{
    /// <summary>Messages a user can send at once before the steady rate applies.</summary>
    [Range(1, 10_000)]
    public int Burst { get; set; } = 10;

    [Range(0.001, 10_000)]
    public double MessagesPerSecond { get; set; } = 1;

    /// <summary>Login and registration posts per client IP and minute (an office behind one NAT shares it).</summary>
    [Range(1, 100_000)]
    public int AccountAttemptsPerMinute { get; set; } = 20;

    /// <summary>Blazor connections (/_blazor/negotiate) per client IP and minute.</summary>
    [Range(1, 1_000_000)]
    public int ConnectsPerMinute { get; set; } = 120;
}

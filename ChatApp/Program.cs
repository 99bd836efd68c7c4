using ChatApp.Components;
using ChatApp.Components.Layout;
using ChatApp.Data;
using ChatApp.Operations;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
if (OperationsCommands.IsCommand(args))
{
    return await OperationsCommands.RunAsync(args, builder.Configuration, builder.Environment);
}
// Chat:GcLatencyMode: the .NET GCLatencyMode, for operators. Not set by default: SustainedLowLatency was tried on S3's
// ~1 s pause, a gen 2 the runtime began as background and ran blocking, and did not shorten it (bench/FINDINGS.md, lever 10).
if (builder.Configuration.GetValue<System.Runtime.GCLatencyMode?>("Chat:GcLatencyMode") is { } latencyMode)
{
    System.Runtime.GCSettings.LatencyMode = latencyMode;
}

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddScoped<ChatApp.Components.Layout.AppShell>();
builder.Services.AddScoped<ChatApp.Components.Layout.MudHosts>();
builder.Services.AddSingleton<ChatApp.Components.Pages.Chat.MessageRows>();
builder.Services.AddSingleton<ChatApp.Components.Pages.Chat.LiveRows>();
builder.Services.AddSingleton<ChatApp.Chat.ILiveRows>(sp => sp.GetRequiredService<ChatApp.Components.Pages.Chat.LiveRows>());
builder.Services.AddSingleton<ChatApp.Components.Pages.Chat.MemberRows>();

builder.Services.AddChatData(builder.Configuration, builder.Environment);
builder.Services.AddChatIdentity(builder.Configuration);
builder.Services.AddChatSecurity(builder.Environment);
builder.Services.AddChatKeyRing(builder.Configuration);
builder.Services.AddChat();
builder.Services.AddChatCluster(builder.Configuration);
builder.Services.AddChatAdmin();
builder.Services.AddWebhooks(builder.Configuration);
builder.Services.AddOperations(builder.Configuration);

var app = builder.Build();
if (ChatApp.Operations.RuntimeAdvice.GarbageCollector(System.Runtime.GCSettings.IsServerGC, Environment.ProcessorCount) is { } gcAdvice)
{
    app.Logger.LogWarning("{Advice}", gcAdvice);
}

await app.Services.InitializeDatabaseAsync();

app.UseChatSecurityHeaders();
app.UseColorSchemeHint();
if (app.Environment.IsDevelopment())
{
    app.UseMigrationsEndPoint();
}
else
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseHttpsRedirection();

app.UseAuthentication();
app.UseRestartNotice();
app.UseBlazorConnectionGuards();
app.UsePasswordChangeGate();
app.UseAuthorization();
app.UseChatAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode(options =>
    {
        // No permessage-deflate on the circuit's socket, although browsers offer it. One compression context per
        // socket would mix text anyone can post with everything else the tab is sent, and frame sizes would then
        // leak it (CRIME/BREACH); and each compressed socket holds its own deflate state on the server and deflates
        // every render batch (bench/FINDINGS.md, "Issue 16, second round", lever 7). Without it Blazor sets no CSP
        // on the socket's response; SecurityHeaders sends frame-ancestors 'none' on every response anyway.
        options.DisableWebSocketCompression = true;
    })
    .UseWebSocketsOnly()
    .LimitBlazorConnections();

app.MapAdditionalIdentityEndpoints();
app.MapAttachments();
app.MapLiveRows();
app.MapWebhooks();
app.MapThemePreference();
app.MapDoNotDisturb();
app.MapRuntimeDiagnostics(app.Configuration);
app.MapOperations();

await app.RunAsync();
return 0;

// Exposed for WebApplicationFactory<Program> in the tests.
public partial class Program;

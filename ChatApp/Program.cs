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

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddScoped<ChatApp.Components.Layout.AppShell>();
builder.Services.AddScoped<ChatApp.Components.Layout.MudHosts>();
builder.Services.AddSingleton<ChatApp.Components.Pages.Chat.MessageRows>();

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
    .AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = "'none'")
    .UseWebSocketsOnly()
    .LimitBlazorConnections();

app.MapAdditionalIdentityEndpoints();
app.MapAttachments();
app.MapWebhooks();
app.MapThemePreference();
app.MapDoNotDisturb();
app.MapRuntimeDiagnostics(app.Configuration);
app.MapOperations();

await app.RunAsync();
return 0;

// Exposed for WebApplicationFactory<Program> in the tests.
public partial class Program;

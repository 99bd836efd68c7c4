using System.Net;
using ChatApp.Chat;
using ChatApp.Components.Account;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>ASP.NET Core Identity with cookies, roles, lockout, optional email confirmation and single sign-on.</summary>
    public static IServiceCollection AddChatIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        var smtp = configuration.GetSection(SmtpOptions.SectionName).Get<SmtpOptions>() ?? new SmtpOptions();
        services.AddOptions<ChatOptions>()
            .Bind(configuration.GetSection(ChatOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.RateLimit.Burst >= 1 && o.RateLimit.MessagesPerSecond > 0
                && o.RateLimit.AccountAttemptsPerMinute >= 1 && o.RateLimit.ConnectsPerMinute >= 1,
                "Chat:RateLimit values must be positive.")
            .Validate(o => o.AllowedOrigins.All(origin => Uri.TryCreate(origin, UriKind.Absolute, out _)),
                "Chat:AllowedOrigins must be absolute origins such as https://chat.example.com.")
            .Validate(o => o.ForwardedHeaders.KnownProxies.All(proxy => IPAddress.TryParse(proxy, out _)),
                "Chat:ForwardedHeaders:KnownProxies must be IP addresses such as 127.0.0.1.")
            // The old switch trusted any proxy on loopback; ignoring it silently would pool all clients under the proxy's address.
            .Validate(_ => configuration["Chat:TrustForwardedHeaders"] is null,
                "Chat:TrustForwardedHeaders was replaced by Chat:ForwardedHeaders:KnownProxies, the proxies' IP addresses (docs/scale-out.md).")
            .Validate(o => o.PublicUrl is null || AccountEmailLinks.IsHttpUrl(o.PublicUrl),
                "Chat:PublicUrl must be an absolute http or https address such as https://chat.example.com.")
            .Validate(o => !smtp.IsConfigured || o.PublicUrl is not null,
                "Chat:PublicUrl is required when Smtp:Host is set: links in account emails point to it, never to the Host a request names.")
            .ValidateOnStart();
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        // Unless AllowedHosts is set, only the public host name is served: a request naming another Host gets 400.
        services.AddOptions<HostFilteringOptions>().PostConfigure<IOptions<ChatOptions>>((hosts, chat) =>
        {
            if (string.IsNullOrEmpty(configuration["AllowedHosts"]) && AccountEmailLinks.PublicBaseUri(chat.Value) is { } publicUrl)
            {
                hosts.AllowedHosts = [publicUrl.IdnHost];
            }
        });

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                // Without a mail server nobody could confirm, so accounts are active at once.
                options.SignIn.RequireConfirmedAccount = smtp.IsConfigured;
                options.User.RequireUniqueEmail = true;
                options.Lockout.AllowedForNewUsers = true;
                options.Password.RequiredLength = 8;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ApplicationDbContext>()
            .AddUserManager<ChatUserManager>()
            .AddSignInManager<ChatSignInManager>()
            .AddDefaultTokenProviders()
            .AddUserValidator<DisplayNameValidator>()
            .AddClaimsPrincipalFactory<ChatUserClaimsPrincipalFactory>();
        // Replaces the validator AddSignInManager registered: the check gets a scope of its own, so a WebSocket
        // request (a Blazor circuit) does not hold a database context for its whole life.
        services.Replace(ServiceDescriptor.Scoped<ISecurityStampValidator, OwnScopeSecurityStampValidator>());

        if (smtp.IsConfigured)
        {
            services.AddSingleton<IEmailSender<ApplicationUser>, SmtpEmailSender>();
        }
        else
        {
            services.AddSingleton<IEmailSender<ApplicationUser>, IdentityNoOpEmailSender>();
        }
        // The sign-in manager asks the single sign-on policy before accepting a password.
        services.AddChatSingleSignOn(configuration);
        services.AddScoped<AccountProvisioner>();
        services.AddHostedService<DisplayNameSkeletonBackfill>();
        services.AddScoped<AccountEmailLinks>();
        return services;
    }
}

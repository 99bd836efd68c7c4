using ChatApp.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Microsoft.Extensions.DependencyInjection;

public static class SingleSignOnServiceCollectionExtensions
{
    /// <summary>
    /// One OpenID Connect scheme per configured provider (authorization code with PKCE), signing in through Identity's
    /// external cookie; the require-SSO policy; and the background revalidation of signed-in people with each provider.
    /// </summary>
    public static IServiceCollection AddChatSingleSignOn(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SingleSignOnOptions.SectionName);
        services.AddOptions<SingleSignOnOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .Validate(o => o.Providers.Keys.All(SingleSignOnOptions.IsValidName),
                "Authentication:OpenIdConnect:Providers names must be letters, digits and dashes (e.g. Keycloak, entra-id).")
            .Validate(o => o.Providers.Values.All(p => Uri.TryCreate(p.Authority, UriKind.Absolute, out _) && p.ClientId.Length > 0),
                "Every Authentication:OpenIdConnect:Providers entry needs an absolute Authority and a ClientId.")
            .ValidateOnStart();
        services.AddSingleton<SingleSignOnPolicy>();
        services.AddScoped<ExternalSignIn>();

        var providers = section.GetSection("Providers").Get<Dictionary<string, OpenIdProviderOptions>>() ?? [];
        if (providers.Count == 0)
        {
            return services;
        }
        var authentication = services.AddAuthentication();
        foreach (var (name, provider) in providers)
        {
            var path = name.ToLowerInvariant();
            authentication.AddOpenIdConnect(name, provider.DisplayName ?? name, oidc =>
            {
                oidc.SignInScheme = IdentityConstants.ExternalScheme;
                oidc.Authority = provider.Authority;
                oidc.ClientId = provider.ClientId;
                oidc.ClientSecret = provider.ClientSecret;
                oidc.RequireHttpsMetadata = provider.RequireHttpsMetadata;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                oidc.UsePkce = true;
                // The refresh token is what ProviderRevalidator asks the provider with.
                oidc.SaveTokens = true;
                oidc.GetClaimsFromUserInfoEndpoint = true;
                oidc.CallbackPath = $"/signin-oidc-{path}";
                oidc.SignedOutCallbackPath = $"/signout-callback-oidc-{path}";
                oidc.RemoteSignOutPath = $"/signout-oidc-{path}";
                oidc.Scope.Clear();
                foreach (var scope in provider.EffectiveScopes)
                {
                    oidc.Scope.Add(scope);
                }
                oidc.ClaimActions.MapUniqueJsonKey(ExternalSignIn.EmailVerifiedClaim, ExternalSignIn.EmailVerifiedClaim);
                foreach (var claim in provider.RequiredClaims.Keys)
                {
                    oidc.ClaimActions.MapUniqueJsonKey(claim, claim);
                }
                oidc.Events.OnRedirectToIdentityProvider = context =>
                {
                    foreach (var (key, value) in provider.AuthorizationParameters)
                    {
                        context.ProtocolMessage.SetParameter(key, value);
                    }
                    return Task.CompletedTask;
                };
            });
        }
        services.AddHostedService<ProviderRevalidator>();
        return services;
    }
}

using System.Security.Claims;
using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

public static class ChatClaimTypes
{
    public const string DisplayName = "chatapp:display_name";

    /// <summary>Present ("true") while the account still has an admin-issued temporary password.</summary>
    public const string MustChangePassword = "chatapp:must_change_password";
}

/// <summary>Adds the display name to the signed-in principal so the shell can greet without a query.</summary>
internal sealed class ChatUserClaimsPrincipalFactory(
    UserManager<ApplicationUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ChatClaimTypes.DisplayName, user.DisplayName));
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(ChatClaimTypes.MustChangePassword, "true"));
        }
        return identity;
    }
}

using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatApp.Components.Account;

/// <summary>The token in an emailed link, Base64Url-encoded; a hand-edited link is an invalid code, not a server error.</summary>
internal static class AccountLinkCode
{
    public static string? Decode(string code)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

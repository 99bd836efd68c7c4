using System.Xml.Linq;
using ChatApp.Data;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>
/// Data Protection's key ring in the app's database (the EF Core package for this is not served by this
/// machine's feed, and the repository is two methods). Data Protection calls it synchronously, rarely: at
/// start, when a key is created (every 90 days), and when it refreshes its cache.
/// </summary>
internal sealed class DatabaseKeyRing(IDbContextFactory<ApplicationDbContext> dbFactory) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = dbFactory.CreateDbContext();
        return [.. db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = dbFactory.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}

/// <summary>Points Data Protection at <see cref="DatabaseKeyRing"/>.</summary>
internal sealed class ConfigureDatabaseKeyRing(IDbContextFactory<ApplicationDbContext> dbFactory) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options) => options.XmlRepository = new DatabaseKeyRing(dbFactory);
}

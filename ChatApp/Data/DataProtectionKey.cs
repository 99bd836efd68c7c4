namespace ChatApp.Data;

/// <summary>
/// One key of ASP.NET Core Data Protection's key ring (the XML it writes), kept in the database so that every
/// server sharing the database protects and reads cookies with the same keys, and so that keys survive a
/// rebuilt machine and come back with a database backup.
/// </summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public string Xml { get; set; } = "";
}

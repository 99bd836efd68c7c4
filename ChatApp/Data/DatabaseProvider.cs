namespace ChatApp.Data;

/// <summary>The database behind <see cref="ApplicationDbContext"/>, from <c>Chat:Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    /// <summary>One file beside one server; the default.</summary>
    Sqlite,

    /// <summary>One database shared by several ChatApp servers.</summary>
    Postgres,
}

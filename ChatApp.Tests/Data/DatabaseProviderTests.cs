using ChatApp.Tests.Infrastructure;

namespace ChatApp.Data;

/// <summary>Chat:Database:Provider chooses the database; a wrong value must not start the app on SQLite by default.</summary>
[Trait("Cost", "http")]
public sealed class DatabaseProviderTests
{
    [Theory]
    [InlineData(null, DatabaseProvider.Sqlite)]
    [InlineData("", DatabaseProvider.Sqlite)]
    [InlineData("sqlite", DatabaseProvider.Sqlite)]
    [InlineData("SQLite", DatabaseProvider.Sqlite)]
    [InlineData("Postgres", DatabaseProvider.Postgres)]
    [InlineData("postgres", DatabaseProvider.Postgres)]
    [InlineData("POSTGRES", DatabaseProvider.Postgres)]
    public void The_provider_setting_is_read_ignoring_case_and_defaults_to_SQLite(string? value, DatabaseProvider expected)
    {
        Assert.Equal(expected, DataServiceCollectionExtensions.ParseProvider(value));
    }

    [Fact]
    public void An_unknown_provider_stops_startup_with_a_message_naming_the_setting_and_the_choices()
    {
        using var app = new ChatAppFactory { Settings = { [DataServiceCollectionExtensions.ProviderKey] = "Nonsense" } };

        var error = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Equal("Chat:Database:Provider is 'Nonsense', which is not a supported database provider. Use Sqlite (the default) or Postgres.", error.Message);
    }

    [Fact]
    public void Postgres_with_a_SQLite_connection_string_stops_startup_with_a_message_naming_the_setting()
    {
        using var app = new ChatAppFactory { Settings = { [DataServiceCollectionExtensions.ProviderKey] = "Postgres" } };

        var error = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.StartsWith("Chat:Database:Provider is Postgres, so ConnectionStrings:DefaultConnection must be an Npgsql connection string", error.Message);
    }
}

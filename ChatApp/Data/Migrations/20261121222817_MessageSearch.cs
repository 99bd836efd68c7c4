using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatApp.Data.Migrations
{
    /// <inheritdoc />
    public partial class MessageSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text search over message text (SQLite FTS5, external content kept in sync by triggers).
            // Its own migration, after any table rebuild of Messages, which would drop the triggers.
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql("CREATE VIRTUAL TABLE \"MessagesFts\" USING fts5(\"Text\", content='Messages', content_rowid='Id', tokenize='unicode61 remove_diacritics 2');");
                migrationBuilder.Sql("CREATE TRIGGER \"Messages_fts_insert\" AFTER INSERT ON \"Messages\" BEGIN INSERT INTO \"MessagesFts\"(rowid, \"Text\") VALUES (new.\"Id\", new.\"Text\"); END;");
                migrationBuilder.Sql("CREATE TRIGGER \"Messages_fts_delete\" AFTER DELETE ON \"Messages\" BEGIN INSERT INTO \"MessagesFts\"(\"MessagesFts\", rowid, \"Text\") VALUES ('delete', old.\"Id\", old.\"Text\"); END;");
                migrationBuilder.Sql("CREATE TRIGGER \"Messages_fts_update\" AFTER UPDATE OF \"Text\" ON \"Messages\" BEGIN INSERT INTO \"MessagesFts\"(\"MessagesFts\", rowid, \"Text\") VALUES ('delete', old.\"Id\", old.\"Text\"); INSERT INTO \"MessagesFts\"(rowid, \"Text\") VALUES (new.\"Id\", new.\"Text\"); END;");
                migrationBuilder.Sql("INSERT INTO \"MessagesFts\"(\"MessagesFts\") VALUES ('rebuild');");
            }

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"Messages_fts_insert\";");
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"Messages_fts_delete\";");
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"Messages_fts_update\";");
                migrationBuilder.Sql("DROP TABLE IF EXISTS \"MessagesFts\";");
            }

        }
    }
}

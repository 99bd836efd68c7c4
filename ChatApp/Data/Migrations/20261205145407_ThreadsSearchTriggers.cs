using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatApp.Data.Migrations
{
    /// <inheritdoc />
    public partial class ThreadsSearchTriggers : Migration
    {
        /// <summary>
        /// The Threads migration's foreign key rebuilt "Messages" on SQLite, at the end of that migration, and dropping
        /// the old table dropped the full-text triggers (MessageSearch) with it: they are created again here, in a
        /// migration of their own because a rebuild always runs last. Without them new messages are never found.
        /// </summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"Messages_fts_insert\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"Messages_fts_delete\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"Messages_fts_update\";");
            migrationBuilder.Sql("CREATE TRIGGER \"Messages_fts_insert\" AFTER INSERT ON \"Messages\" BEGIN INSERT INTO \"MessagesFts\"(rowid, \"Text\") VALUES (new.\"Id\", new.\"Text\"); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"Messages_fts_delete\" AFTER DELETE ON \"Messages\" BEGIN INSERT INTO \"MessagesFts\"(\"MessagesFts\", rowid, \"Text\") VALUES ('delete', old.\"Id\", old.\"Text\"); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"Messages_fts_update\" AFTER UPDATE OF \"Text\" ON \"Messages\" BEGIN INSERT INTO \"MessagesFts\"(\"MessagesFts\", rowid, \"Text\") VALUES ('delete', old.\"Id\", old.\"Text\"); INSERT INTO \"MessagesFts\"(rowid, \"Text\") VALUES (new.\"Id\", new.\"Text\"); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The triggers belong to MessageSearch; they stay.
        }
    }
}

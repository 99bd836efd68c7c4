using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatApp.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DisplayNameSkeleton : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DisplayNameSkeleton",
                table: "AspNetUsers",
                type: "character varying(160)",
                maxLength: 160,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_DisplayNameSkeleton",
                table: "AspNetUsers",
                column: "DisplayNameSkeleton",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_DisplayNameSkeleton",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "DisplayNameSkeleton",
                table: "AspNetUsers");
        }
    }
}

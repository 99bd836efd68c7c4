using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatApp.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Threads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AlsoInRoom",
                table: "Messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "ThreadRootId",
                table: "Messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ThreadFollowers",
                columns: table => new
                {
                    RootMessageId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    IsFollowing = table.Column<bool>(type: "boolean", nullable: false),
                    LastReadSequence = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ThreadFollowers", x => new { x.RootMessageId, x.UserId });
                    table.ForeignKey(
                        name: "FK_ThreadFollowers_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ThreadFollowers_Messages_RootMessageId",
                        column: x => x.RootMessageId,
                        principalTable: "Messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_ThreadRootId_Sequence",
                table: "Messages",
                columns: new[] { "ThreadRootId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_ThreadFollowers_UserId",
                table: "ThreadFollowers",
                column: "UserId");

            migrationBuilder.AddForeignKey(
                name: "FK_Messages_Messages_ThreadRootId",
                table: "Messages",
                column: "ThreadRootId",
                principalTable: "Messages",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Messages_Messages_ThreadRootId",
                table: "Messages");

            migrationBuilder.DropTable(
                name: "ThreadFollowers");

            migrationBuilder.DropIndex(
                name: "IX_Messages_ThreadRootId_Sequence",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "AlsoInRoom",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ThreadRootId",
                table: "Messages");
        }
    }
}

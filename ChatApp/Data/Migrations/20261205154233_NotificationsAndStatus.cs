using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatApp.Data.Migrations
{
    /// <inheritdoc />
    public partial class NotificationsAndStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "NotificationLevel",
                table: "RoomMembers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "DoNotDisturbUntil",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StatusEmoji",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "StatusExpiresAt",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StatusText",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 40,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NotificationLevel",
                table: "RoomMembers");

            migrationBuilder.DropColumn(
                name: "DoNotDisturbUntil",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "StatusEmoji",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "StatusExpiresAt",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "StatusText",
                table: "AspNetUsers");
        }
    }
}

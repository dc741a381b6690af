using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orbitr.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Owners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OwnerId",
                table: "Patterns",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "GenerationClaims",
                columns: table => new
                {
                    GenerationId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GenerationClaims", x => new { x.GenerationId, x.OwnerId });
                });

            migrationBuilder.CreateTable(
                name: "LibraryEntries",
                columns: table => new
                {
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SampleId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LibraryEntries", x => new { x.OwnerId, x.SampleId });
                });

            migrationBuilder.CreateTable(
                name: "Owners",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Owners", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PatternSampleRefs",
                columns: table => new
                {
                    PatternId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SampleId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PatternSampleRefs", x => new { x.PatternId, x.SampleId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Patterns_OwnerId",
                table: "Patterns",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_GenerationClaims_OwnerId",
                table: "GenerationClaims",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_LibraryEntries_OwnerId_AddedAt",
                table: "LibraryEntries",
                columns: new[] { "OwnerId", "AddedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LibraryEntries_SampleId",
                table: "LibraryEntries",
                column: "SampleId");

            migrationBuilder.CreateIndex(
                name: "IX_Owners_TokenHash",
                table: "Owners",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PatternSampleRefs_SampleId",
                table: "PatternSampleRefs",
                column: "SampleId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GenerationClaims");

            migrationBuilder.DropTable(
                name: "LibraryEntries");

            migrationBuilder.DropTable(
                name: "Owners");

            migrationBuilder.DropTable(
                name: "PatternSampleRefs");

            migrationBuilder.DropIndex(
                name: "IX_Patterns_OwnerId",
                table: "Patterns");

            migrationBuilder.DropColumn(
                name: "OwnerId",
                table: "Patterns");
        }
    }
}

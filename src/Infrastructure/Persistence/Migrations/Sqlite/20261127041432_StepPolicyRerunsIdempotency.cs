using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrchRunService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StepPolicyRerunsIdempotency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Policy_Retries",
                table: "OrchestratorSteps",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Policy_RetryDelayMs",
                table: "OrchestratorSteps",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Policy_TimeoutSeconds",
                table: "OrchestratorSteps",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RerunOfId",
                table: "OrchRuns",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Policy_Retries",
                table: "OrchRunSteps",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Policy_RetryDelayMs",
                table: "OrchRunSteps",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Policy_TimeoutSeconds",
                table: "OrchRunSteps",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IdempotencyKeys",
                columns: table => new
                {
                    Namespace = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyKeys", x => new { x.Namespace, x.Key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyKeys_CreatedAt",
                table: "IdempotencyKeys",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IdempotencyKeys");

            migrationBuilder.DropColumn(
                name: "Policy_Retries",
                table: "OrchestratorSteps");

            migrationBuilder.DropColumn(
                name: "Policy_RetryDelayMs",
                table: "OrchestratorSteps");

            migrationBuilder.DropColumn(
                name: "Policy_TimeoutSeconds",
                table: "OrchestratorSteps");

            migrationBuilder.DropColumn(
                name: "RerunOfId",
                table: "OrchRuns");

            migrationBuilder.DropColumn(
                name: "Policy_Retries",
                table: "OrchRunSteps");

            migrationBuilder.DropColumn(
                name: "Policy_RetryDelayMs",
                table: "OrchRunSteps");

            migrationBuilder.DropColumn(
                name: "Policy_TimeoutSeconds",
                table: "OrchRunSteps");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrchRunService.Infrastructure.Persistence.Migrations.SqlServer
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
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Policy_RetryDelayMs",
                table: "OrchestratorSteps",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Policy_TimeoutSeconds",
                table: "OrchestratorSteps",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RerunOfId",
                table: "OrchRuns",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Policy_Retries",
                table: "OrchRunSteps",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Policy_RetryDelayMs",
                table: "OrchRunSteps",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Policy_TimeoutSeconds",
                table: "OrchRunSteps",
                type: "int",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IdempotencyKeys",
                columns: table => new
                {
                    Namespace = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    RunId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
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

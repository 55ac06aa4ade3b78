using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrchRunService.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IdempotencyKeys",
                columns: table => new
                {
                    Namespace = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    UserId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false, collation: "C"),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false, collation: "C"),
                    RequestHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyKeys", x => new { x.Namespace, x.UserId, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "OrchRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrchestratorId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Namespace = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    UserType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Result = table.Column<string>(type: "text", nullable: false),
                    NodeId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    LeaseExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RerunOfId = table.Column<Guid>(type: "uuid", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrchRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Orchestrators",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Namespace = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    UserType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Orchestrators", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OrchRunLogLines",
                columns: table => new
                {
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    Timestamp = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    Message = table.Column<string>(type: "text", nullable: false),
                    IsEnd = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrchRunLogLines", x => new { x.RunId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_OrchRunLogLines_OrchRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "OrchRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrchRunSteps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrchestratorStepId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ComponentId = table.Column<Guid>(type: "uuid", nullable: false),
                    SequenceNo = table.Column<int>(type: "integer", nullable: false),
                    ActualParams = table.Column<string>(type: "text", nullable: false),
                    RunParams = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    StatusMessage = table.Column<string>(type: "text", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Policy_Retries = table.Column<int>(type: "integer", nullable: false),
                    Policy_RetryDelayMs = table.Column<int>(type: "integer", nullable: false),
                    Policy_TimeoutSeconds = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrchRunSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrchRunSteps_OrchRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "OrchRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrchestratorSteps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrchestratorId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ComponentId = table.Column<Guid>(type: "uuid", nullable: false),
                    SequenceNo = table.Column<int>(type: "integer", nullable: false),
                    Params = table.Column<string>(type: "text", nullable: false),
                    Policy_Retries = table.Column<int>(type: "integer", nullable: false),
                    Policy_RetryDelayMs = table.Column<int>(type: "integer", nullable: false),
                    Policy_TimeoutSeconds = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrchestratorSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrchestratorSteps_Orchestrators_OrchestratorId",
                        column: x => x.OrchestratorId,
                        principalTable: "Orchestrators",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyKeys_CreatedAt",
                table: "IdempotencyKeys",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_OrchRunSteps_RunId_SequenceNo",
                table: "OrchRunSteps",
                columns: new[] { "RunId", "SequenceNo" });

            migrationBuilder.CreateIndex(
                name: "IX_OrchRuns_Namespace_CreatedAt_Id",
                table: "OrchRuns",
                columns: new[] { "Namespace", "CreatedAt", "Id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "IX_OrchRuns_Namespace_Status_CreatedAt",
                table: "OrchRuns",
                columns: new[] { "Namespace", "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OrchRuns_Status_CreatedAt",
                table: "OrchRuns",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OrchRuns_Status_LeaseExpiresAt",
                table: "OrchRuns",
                columns: new[] { "Status", "LeaseExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OrchestratorSteps_OrchestratorId",
                table: "OrchestratorSteps",
                column: "OrchestratorId");

            migrationBuilder.CreateIndex(
                name: "IX_Orchestrators_Namespace_CreatedAt_Id",
                table: "Orchestrators",
                columns: new[] { "Namespace", "CreatedAt", "Id" },
                descending: new[] { false, true, true });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IdempotencyKeys");

            migrationBuilder.DropTable(
                name: "OrchRunLogLines");

            migrationBuilder.DropTable(
                name: "OrchRunSteps");

            migrationBuilder.DropTable(
                name: "OrchestratorSteps");

            migrationBuilder.DropTable(
                name: "OrchRuns");

            migrationBuilder.DropTable(
                name: "Orchestrators");
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrchRunService.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// Runs per namespace and status, kept by triggers in the same statement as every insert,
    /// status or namespace change and delete of a run, so the list's <c>_total</c> (without date
    /// filters) is a lookup instead of a count over every matching run. No model change: the
    /// table is read with raw SQL by <see cref="SqliteOrchRunDbContext.CountRunsAsync"/>.
    /// BEFORE triggers: EF Core saves with RETURNING, which SQLite does not combine with AFTER triggers.
    /// </summary>
    [DbContext(typeof(SqliteOrchRunDbContext))]
    [Migration("20261127050000_RunStatusCounts")]
    public partial class RunStatusCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "OrchRunStatusCounts" (
                    "Namespace" TEXT NOT NULL,
                    "Status" INTEGER NOT NULL,
                    "Count" INTEGER NOT NULL,
                    CONSTRAINT "PK_OrchRunStatusCounts" PRIMARY KEY ("Namespace", "Status")
                ) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "OrchRunStatusCounts" ("Namespace", "Status", "Count")
                SELECT "Namespace", "Status", COUNT(*) FROM "OrchRuns" GROUP BY "Namespace", "Status";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_OrchRuns_CountInsert" BEFORE INSERT ON "OrchRuns"
                BEGIN
                    INSERT INTO "OrchRunStatusCounts" ("Namespace", "Status", "Count") VALUES (NEW."Namespace", NEW."Status", 1)
                    ON CONFLICT ("Namespace", "Status") DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_OrchRuns_CountUpdate" BEFORE UPDATE OF "Status", "Namespace" ON "OrchRuns"
                WHEN OLD."Status" <> NEW."Status" OR OLD."Namespace" <> NEW."Namespace"
                BEGIN
                    UPDATE "OrchRunStatusCounts" SET "Count" = "Count" - 1 WHERE "Namespace" = OLD."Namespace" AND "Status" = OLD."Status";
                    INSERT INTO "OrchRunStatusCounts" ("Namespace", "Status", "Count") VALUES (NEW."Namespace", NEW."Status", 1)
                    ON CONFLICT ("Namespace", "Status") DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_OrchRuns_CountDelete" BEFORE DELETE ON "OrchRuns"
                BEGIN
                    UPDATE "OrchRunStatusCounts" SET "Count" = "Count" - 1 WHERE "Namespace" = OLD."Namespace" AND "Status" = OLD."Status";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_OrchRuns_CountDelete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_OrchRuns_CountUpdate";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_OrchRuns_CountInsert";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "OrchRunStatusCounts";""");
        }
    }
}

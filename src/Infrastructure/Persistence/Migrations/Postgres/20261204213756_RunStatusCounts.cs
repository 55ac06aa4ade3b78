using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrchRunService.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// Runs per namespace and status, kept by a trigger in the same transaction as every insert,
    /// status or namespace change and delete of a run, so the list's <c>_total</c> (without date
    /// filters) and the queued-run limit read a row instead of counting every matching run. No
    /// model change: the table is read with raw SQL by <see cref="PostgresOrchRunDbContext.CountRunsAsync"/>.
    /// A status change takes its two count rows in (namespace, status) order, the order in which
    /// a claim locks them beforehand (<see cref="PostgresOrchRunDbContext.LockCountsSql"/>), so
    /// writers never wait for each other in a circle.
    /// </summary>
    [DbContext(typeof(PostgresOrchRunDbContext))]
    [Migration("20261204213756_RunStatusCounts")]
    public partial class RunStatusCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "OrchRunStatusCounts" (
                    "Namespace" character varying(64) COLLATE "C" NOT NULL,
                    "Status" integer NOT NULL,
                    "Count" bigint NOT NULL,
                    CONSTRAINT "PK_OrchRunStatusCounts" PRIMARY KEY ("Namespace", "Status")
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO "OrchRunStatusCounts" ("Namespace", "Status", "Count")
                SELECT "Namespace", "Status", COUNT(*) FROM "OrchRuns" GROUP BY "Namespace", "Status";
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "OrchRunStatusCounts_Keep"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO "OrchRunStatusCounts" AS c ("Namespace", "Status", "Count") VALUES (NEW."Namespace", NEW."Status", 1)
                        ON CONFLICT ("Namespace", "Status") DO UPDATE SET "Count" = c."Count" + 1;
                    ELSIF TG_OP = 'DELETE' THEN
                        UPDATE "OrchRunStatusCounts" SET "Count" = "Count" - 1 WHERE "Namespace" = OLD."Namespace" AND "Status" = OLD."Status";
                    ELSIF (OLD."Namespace", OLD."Status") < (NEW."Namespace", NEW."Status") THEN
                        UPDATE "OrchRunStatusCounts" SET "Count" = "Count" - 1 WHERE "Namespace" = OLD."Namespace" AND "Status" = OLD."Status";
                        INSERT INTO "OrchRunStatusCounts" AS c ("Namespace", "Status", "Count") VALUES (NEW."Namespace", NEW."Status", 1)
                        ON CONFLICT ("Namespace", "Status") DO UPDATE SET "Count" = c."Count" + 1;
                    ELSE
                        INSERT INTO "OrchRunStatusCounts" AS c ("Namespace", "Status", "Count") VALUES (NEW."Namespace", NEW."Status", 1)
                        ON CONFLICT ("Namespace", "Status") DO UPDATE SET "Count" = c."Count" + 1;
                        UPDATE "OrchRunStatusCounts" SET "Count" = "Count" - 1 WHERE "Namespace" = OLD."Namespace" AND "Status" = OLD."Status";
                    END IF;
                    RETURN NULL;
                END;
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_OrchRuns_CountInsertDelete" AFTER INSERT OR DELETE ON "OrchRuns"
                FOR EACH ROW EXECUTE FUNCTION "OrchRunStatusCounts_Keep"();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_OrchRuns_CountUpdate" AFTER UPDATE OF "Status", "Namespace" ON "OrchRuns"
                FOR EACH ROW WHEN (OLD."Status" <> NEW."Status" OR OLD."Namespace" <> NEW."Namespace")
                EXECUTE FUNCTION "OrchRunStatusCounts_Keep"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_OrchRuns_CountUpdate" ON "OrchRuns";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_OrchRuns_CountInsertDelete" ON "OrchRuns";""");
            migrationBuilder.Sql("""DROP FUNCTION IF EXISTS "OrchRunStatusCounts_Keep"();""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "OrchRunStatusCounts";""");
        }
    }
}

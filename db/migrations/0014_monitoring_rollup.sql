CREATE TABLE "monitoring_rollup" (
	"lvl" smallint NOT NULL,
	"gestore_id" uuid NOT NULL,
	"measure_id" uuid NOT NULL,
	"region_code" varchar(2) NOT NULL,
	"province_code" varchar(3) NOT NULL,
	"bucket" date NOT NULL,
	"fact" varchar(12) NOT NULL,
	"a" varchar(20) NOT NULL,
	"b" varchar(20) NOT NULL,
	"days" integer NOT NULL,
	"n" bigint NOT NULL,
	"requested" numeric(18, 2),
	"approved" numeric(18, 2),
	"approved_n" bigint DEFAULT 0 NOT NULL,
	"disbursed" numeric(18, 2),
	"disbursed_n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "monitoring_rollup_lvl_gestore_id_measure_id_region_code_province_code_fact_bucket_a_b_days_pk" PRIMARY KEY("lvl","gestore_id","measure_id","region_code","province_code","fact","bucket","a","b","days")
);
--> statement-breakpoint
CREATE INDEX "practices_comune_idx" ON "practices" USING btree ("comune_code");
CREATE TYPE "public"."obligation_cadence" AS ENUM('monthly', 'every_n_days');--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"gestore_id" uuid NOT NULL,
	"measure_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"due_on" date NOT NULL,
	"days_late" integer NOT NULL,
	"reminders_sent" integer NOT NULL,
	"escalated_on" date NOT NULL,
	"recipients" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "extra_holidays" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"month" integer NOT NULL,
	"day" integer NOT NULL,
	"year" integer,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "extra_holidays_valid" CHECK ("extra_holidays"."month" between 1 and 12 and "extra_holidays"."day" between 1 and 31)
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"gestore_id" uuid NOT NULL,
	"measure_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"due_on" date NOT NULL,
	"step" integer NOT NULL,
	"days_late" integer NOT NULL,
	"sent_on" date NOT NULL,
	"recipients" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "measures" ADD COLUMN "org_unit_id" uuid;--> statement-breakpoint
ALTER TABLE "measures" ADD COLUMN "obligation_cadence" "obligation_cadence";--> statement-breakpoint
ALTER TABLE "measures" ADD COLUMN "obligation_day" integer;--> statement-breakpoint
ALTER TABLE "measures" ADD COLUMN "obligation_starts_on" date;--> statement-breakpoint
ALTER TABLE "measures" ADD COLUMN "obligation_ends_on" date;--> statement-breakpoint
ALTER TABLE "measures" ADD COLUMN "reminder_every_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "measures" ADD COLUMN "escalate_after_reminders" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "measures" ADD COLUMN "max_days_istruttoria" integer;--> statement-breakpoint
ALTER TABLE "measures" ADD COLUMN "max_days_sospesa" integer;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_gestore_id_gestori_id_fk" FOREIGN KEY ("gestore_id") REFERENCES "public"."gestori"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_gestore_id_gestori_id_fk" FOREIGN KEY ("gestore_id") REFERENCES "public"."gestori"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "escalations_once_uq" ON "escalations" USING btree ("gestore_id","measure_id","period_end");--> statement-breakpoint
CREATE INDEX "escalations_gestore_idx" ON "escalations" USING btree ("gestore_id","escalated_on");--> statement-breakpoint
CREATE UNIQUE INDEX "extra_holidays_day_uq" ON "extra_holidays" USING btree ("month","day",coalesce("year", 0));--> statement-breakpoint
CREATE UNIQUE INDEX "reminders_once_uq" ON "reminders" USING btree ("gestore_id","measure_id","period_end","step");--> statement-breakpoint
CREATE INDEX "reminders_gestore_idx" ON "reminders" USING btree ("gestore_id","sent_on");--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_obligation_complete" CHECK ("measures"."obligation_cadence" is null or ("measures"."obligation_day" is not null and "measures"."obligation_starts_on" is not null));--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_obligation_day_range" CHECK ("measures"."obligation_day" is null or ("measures"."obligation_cadence" = 'monthly' and "measures"."obligation_day" between 1 and 31) or ("measures"."obligation_cadence" = 'every_n_days' and "measures"."obligation_day" between 1 and 366));--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_reminder_positive" CHECK ("measures"."reminder_every_days" >= 1 and "measures"."escalate_after_reminders" >= 1);
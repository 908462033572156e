CREATE TABLE "digest_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"room_id" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"trigger" text NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"outbox_id" bigint,
	CONSTRAINT "digest_runs_room_period" UNIQUE("room_id","period_end"),
	CONSTRAINT "digest_runs_status" CHECK ("digest_runs"."status" in ('posted', 'skipped')),
	CONSTRAINT "digest_runs_trigger" CHECK ("digest_runs"."trigger" in ('schedule', 'command'))
);
--> statement-breakpoint
CREATE TABLE "digest_schedules" (
	"room_id" text PRIMARY KEY NOT NULL,
	"cron" text,
	"tz" text NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone NOT NULL
);

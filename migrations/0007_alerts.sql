CREATE TABLE "alert_approvals" (
	"alert_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"name" text,
	"roles" text[] NOT NULL,
	"decision" text NOT NULL,
	"via" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_approvals_alert_id_user_id_pk" PRIMARY KEY("alert_id","user_id"),
	CONSTRAINT "alert_approvals_decision" CHECK ("alert_approvals"."decision" in ('approve', 'deny', 'ignored'))
);
--> statement-breakpoint
CREATE TABLE "alert_targets" (
	"alert_id" integer NOT NULL,
	"room_alias" text NOT NULL,
	"room_id" text NOT NULL,
	"position" integer NOT NULL,
	"rule_name" text,
	"outcome" text NOT NULL,
	"reason" text,
	"approval_role" text,
	"approval_count" integer,
	"not_requester" boolean,
	"expires_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	CONSTRAINT "alert_targets_alert_id_room_alias_pk" PRIMARY KEY("alert_id","room_alias"),
	CONSTRAINT "alert_targets_outcome" CHECK ("alert_targets"."outcome" in ('pending', 'relayed', 'refused', 'denied', 'expired', 'recalled'))
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"room_id" text NOT NULL,
	"room_alias" text NOT NULL,
	"kind" text NOT NULL,
	"source_ref" text,
	"item" jsonb NOT NULL,
	"tlp" text NOT NULL,
	"rel" text[],
	"requester" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"command_event_id" text,
	CONSTRAINT "alerts_kind" CHECK ("alerts"."kind" in ('sighting', 'rfi', 'text'))
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "ref" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "reply_to_ref" text;--> statement-breakpoint
ALTER TABLE "sightings" ADD COLUMN "received_from_room" text;--> statement-breakpoint
ALTER TABLE "sightings" ADD COLUMN "received_from_ref" text;--> statement-breakpoint
ALTER TABLE "sightings" ADD COLUMN "received_alert_ref" text;--> statement-breakpoint
ALTER TABLE "alert_approvals" ADD CONSTRAINT "alert_approvals_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_targets" ADD CONSTRAINT "alert_targets_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_targets_pending" ON "alert_targets" USING btree ("expires_at") WHERE "alert_targets"."outcome" = 'pending';--> statement-breakpoint
CREATE INDEX "alerts_source" ON "alerts" USING btree ("room_id","source_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_ref" ON "outbox" USING btree ("ref") WHERE "outbox"."ref" is not null;--> statement-breakpoint
CREATE INDEX "outbox_sent_event" ON "outbox" USING btree ("sent_event_id");--> statement-breakpoint
CREATE INDEX "sightings_received_alert" ON "sightings" USING btree ("received_alert_ref");
CREATE TABLE "command_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"command" text NOT NULL,
	"room_id" text NOT NULL,
	"sender" text NOT NULL,
	"ref" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rfis" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rfis_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"room_id" text NOT NULL,
	"originator" text NOT NULL,
	"originator_partner" text NOT NULL,
	"priority" text NOT NULL,
	"ltiov" timestamp with time zone,
	"to_partner" text,
	"to_room" text,
	"to_room_partners" text[],
	"to_room_id" text,
	"question" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"reason" text,
	"answer" text,
	"answered_by" text,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rfis_addressee" CHECK (("rfis"."to_partner" is null) <> ("rfis"."to_room" is null)),
	CONSTRAINT "rfis_priority" CHECK ("rfis"."priority" in ('routine', 'priority', 'immediate')),
	CONSTRAINT "rfis_status" CHECK ("rfis"."status" in ('open', 'accepted', 'deferred', 'referred', 'answered', 'denied', 'closed', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "sightings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sightings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"room_id" text NOT NULL,
	"reporter" text NOT NULL,
	"reporter_partner" text NOT NULL,
	"kind" text NOT NULL,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"precision_m" double precision NOT NULL,
	"position_format" text NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"name" text,
	"mmsi" text,
	"imo" text,
	"tail" text,
	"plate" text,
	"match_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"course" integer,
	"speed_kt" double precision,
	"speed_value" double precision,
	"speed_unit" text,
	"tlp" text NOT NULL,
	"rel" text[],
	"grading" text,
	"remarks" text,
	"matches" text[] DEFAULT '{}'::text[] NOT NULL,
	"logged_at" timestamp with time zone NOT NULL,
	"corrected_at" timestamp with time zone,
	"retracted_at" timestamp with time zone,
	"retracted_by" text,
	CONSTRAINT "sightings_kind" CHECK ("sightings"."kind" in ('vessel', 'aircraft', 'vehicle', 'person', 'other')),
	CONSTRAINT "sightings_tlp" CHECK ("sightings"."tlp" in ('clear', 'green', 'amber', 'amber+strict', 'red')),
	CONSTRAINT "sightings_lat" CHECK ("sightings"."lat" between -90 and 90),
	CONSTRAINT "sightings_lon" CHECK ("sightings"."lon" between -180 and 180)
);
--> statement-breakpoint
CREATE INDEX "rfis_room" ON "rfis" USING btree ("room_id","created_at");--> statement-breakpoint
CREATE INDEX "rfis_to_room" ON "rfis" USING btree ("to_room_id");--> statement-breakpoint
CREATE INDEX "sightings_room_seen" ON "sightings" USING btree ("room_id","seen_at");--> statement-breakpoint
CREATE INDEX "sightings_match_keys" ON "sightings" USING gin ("match_keys");
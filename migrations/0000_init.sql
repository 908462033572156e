CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"room_id" text,
	"detail" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bot_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crypto_store_records" (
	"db_name" text NOT NULL,
	"store_name" text NOT NULL,
	"key" "bytea" NOT NULL,
	"value" "bytea" NOT NULL,
	CONSTRAINT "crypto_store_records_db_name_store_name_key_pk" PRIMARY KEY("db_name","store_name","key")
);
--> statement-breakpoint
CREATE TABLE "crypto_store_schema" (
	"db_name" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"stores" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"room_id" text NOT NULL,
	"event_type" text NOT NULL,
	"content" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"sent_event_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "pending_decryptions" (
	"event_id" text PRIMARY KEY NOT NULL,
	"room_id" text NOT NULL,
	"session_id" text,
	"event" jsonb NOT NULL,
	"notice_sent" boolean DEFAULT false NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "processed_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"room_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_notices" (
	"room_id" text NOT NULL,
	"notice" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "room_notices_room_id_notice_pk" PRIMARY KEY("room_id","notice")
);

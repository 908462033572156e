ALTER TABLE "processed_events" ADD COLUMN "sender" text;--> statement-breakpoint
ALTER TABLE "processed_events" ADD COLUMN "sent_at" timestamp with time zone;
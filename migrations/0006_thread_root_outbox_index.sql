ALTER TABLE "processed_events" ADD COLUMN "thread_root" text;--> statement-breakpoint
CREATE INDEX "outbox_unsent_room" ON "outbox" USING btree ("room_id","id") WHERE "outbox"."sent_at" is null;
ALTER TABLE "sightings" ADD COLUMN "retraction_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sightings" ADD COLUMN "retraction_requested_by" text;--> statement-breakpoint
CREATE INDEX "pending_decryptions_session" ON "pending_decryptions" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "pending_decryptions_room_seen" ON "pending_decryptions" USING btree ("room_id","first_seen");--> statement-breakpoint
CREATE INDEX "pending_decryptions_seen" ON "pending_decryptions" USING btree ("first_seen","event_id");
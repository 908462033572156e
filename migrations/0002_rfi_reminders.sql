ALTER TABLE "rfis" ADD COLUMN "reminded_for" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rfis" ADD COLUMN "overdue_noticed_for" timestamp with time zone;
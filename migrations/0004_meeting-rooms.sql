ALTER TABLE "meeting_participants" ADD COLUMN "connection_id" text;--> statement-breakpoint
ALTER TABLE "meeting_participants" ADD COLUMN "audio_muted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_participants" ADD COLUMN "video_muted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_participants" ADD COLUMN "screen_sharing" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_participants" ADD COLUMN "removed_by" uuid;
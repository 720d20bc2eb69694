CREATE TABLE "stream_webhook_deliveries" (
	"body_sha256" text PRIMARY KEY NOT NULL,
	"event_type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "stream_webhook_deliveries_received_idx" ON "stream_webhook_deliveries" USING btree ("received_at");
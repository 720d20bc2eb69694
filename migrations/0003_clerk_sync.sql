CREATE TABLE "clerk_membership_versions" (
	"clerk_org_id" text NOT NULL,
	"clerk_user_id" text NOT NULL,
	"observed_at_ms" bigint NOT NULL,
	"source" text NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	CONSTRAINT "clerk_membership_versions_clerk_org_id_clerk_user_id_pk" PRIMARY KEY("clerk_org_id","clerk_user_id")
);
--> statement-breakpoint
CREATE TABLE "clerk_object_versions" (
	"kind" text NOT NULL,
	"clerk_id" text NOT NULL,
	"observed_at_ms" bigint NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	CONSTRAINT "clerk_object_versions_kind_clerk_id_pk" PRIMARY KEY("kind","clerk_id")
);
--> statement-breakpoint
CREATE TABLE "clerk_webhook_deliveries" (
	"svix_id" text PRIMARY KEY NOT NULL,
	"event_type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "clerk_membership_versions_user_idx" ON "clerk_membership_versions" USING btree ("clerk_user_id");--> statement-breakpoint
CREATE INDEX "clerk_webhook_deliveries_received_idx" ON "clerk_webhook_deliveries" USING btree ("received_at");
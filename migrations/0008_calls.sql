CREATE TABLE "call_members" (
	"call_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"state" text NOT NULL,
	"responded_at" timestamp with time zone,
	CONSTRAINT "call_members_call_id_user_id_pk" PRIMARY KEY("call_id","user_id"),
	CONSTRAINT "call_members_state_check" CHECK ("call_members"."state" in ('caller', 'ringing', 'accepted', 'declined', 'missed'))
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"caller_id" uuid NOT NULL,
	"rings_until" timestamp with time zone NOT NULL,
	"outcome" text,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calls_meeting_id_unique" UNIQUE("meeting_id"),
	CONSTRAINT "calls_outcome_check" CHECK ("calls"."outcome" in ('answered', 'declined', 'missed', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "meetings" DROP CONSTRAINT "meetings_kind_check";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "system" jsonb;--> statement-breakpoint
ALTER TABLE "call_members" ADD CONSTRAINT "call_members_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_members" ADD CONSTRAINT "call_members_org_id_user_id_memberships_org_id_user_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."memberships"("org_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_caller_id_users_id_fk" FOREIGN KEY ("caller_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_org_id_channel_id_channels_org_id_id_fk" FOREIGN KEY ("org_id","channel_id") REFERENCES "public"."channels"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_members_user_idx" ON "call_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "calls_one_open_per_channel" ON "calls" USING btree ("channel_id") WHERE "calls"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "calls_ringing_idx" ON "calls" USING btree ("rings_until") WHERE "calls"."outcome" is null;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_kind_check" CHECK ("meetings"."kind" in ('instant', 'scheduled', 'personal', 'call'));
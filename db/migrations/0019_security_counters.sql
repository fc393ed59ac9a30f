CREATE TABLE "failure_counts" (
	"action" varchar(100) NOT NULL,
	"reason" varchar(100) NOT NULL,
	"ip" varchar(64) NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "failure_counts_action_reason_ip_window_start_pk" PRIMARY KEY("action","reason","ip","window_start")
);
--> statement-breakpoint
CREATE TABLE "rate_limit_hits" (
	"key" varchar(200) NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "rate_limit_hits_key_window_start_pk" PRIMARY KEY("key","window_start")
);

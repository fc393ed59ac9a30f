CREATE TABLE "pseudonym_keys" (
	"body" varchar(40) PRIMARY KEY NOT NULL,
	"key" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);

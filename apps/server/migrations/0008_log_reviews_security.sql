-- Log reviews are records, never rewritten: the app role may add and read them.
ALTER TABLE log_reviews ADD CONSTRAINT log_reviews_result_check CHECK (result IN ('no_issues', 'findings'));
--> statement-breakpoint
ALTER TABLE log_reviews ADD CONSTRAINT log_reviews_range_check CHECK (from_seq >= 1 AND to_seq >= from_seq AND period_to >= period_from);
--> statement-breakpoint
SELECT mamori_enable_tenant_rls('log_reviews');
--> statement-breakpoint
GRANT SELECT, INSERT ON log_reviews TO mamori_app;

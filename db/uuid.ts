/** Whether `s` can be compared with a uuid column: anything else would make PostgreSQL raise 22P02 (a 500). */
export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

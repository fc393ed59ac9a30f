import { startEmbeddedPostgres } from "~db/embedded-postgres";
const s = await startEmbeddedPostgres({ dir: "/tmp/ingestperf-pgdata", port: 55206 });
console.log(s.url);
process.on("SIGTERM", async () => { await s.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
